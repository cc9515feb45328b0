import { describe, expect, test } from "vitest";
import { evaluateExpression } from "./evaluate-expression";
import { findCalculableExpression } from "./find-expression";

/** Queries with an explicit expression, and what should be pulled out of them. */
const POSITIVE: ReadonlyArray<readonly [string, string]> = [
  ["What is 2+2?", "2+2"],
  ["what's 15% of 80", "15% of 80"],
  ["calculate sqrt(16)*3 please", "sqrt(16)*3"],
  ["How much is 1000*(1+0.05)^10?", "1000*(1+0.05)^10"],
  ["convert 5 km to miles", "5 km to miles"],
  ["2+2", "2+2"],
  ["What is 2 + 2 = ?", "2 + 2"],
  ["Compute 3^4.", "3^4"],
  ["Please calculate: 12.5 * 4", "12.5 * 4"],
  ["Hey! What is 12*7?", "12*7"],
  ["Can you please compute (48 + 24) / 3?", "(48 + 24) / 3"],
  ["what does 6 * 7 equal?", "6 * 7"],
  ["What is 3 times 4?", "3 * 4"],
  ["what is 7 plus 8 minus 2", "7 + 8 - 2"],
  ["What is 144 divided by 12?", "144 / 12"],
  ["what is 5 squared", "5^2"],
  ["what is the square root of 144", "sqrt(144)"],
  ["What is 2 to the power of 10?", "2 ^ 10"],
  ["what is 5 factorial", "5!"],
  ["What is 10! ?", "10!"],
  ["what is 10 cm in inches?", "10 cm in inches"],
  ["What is 100 degF to degC?", "100 degF to degC"],
  ["How much is 3 cups in ml?", "3 cups in ml"],
  ["What is 100 km/h * 2 h?", "100 km/h * 2 h"],
  ["what is 1,234 + 5,678", "1,234 + 5,678"],
  ["What's 2 pi?", "2 pi"],
  ["evaluate 2^64", "2^64"],
  ["tell me what 17 * 23 is", "17 * 23"],
];

/** Queries the fast path must leave to the model. */
const NEGATIVE: readonly string[] = [
  "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
  "Janet's ducks lay 16 eggs per day. She eats three for breakfast. How many are left?",
  "A train travels 60 km/h for 2 h. How far does it go?",
  "If I have 3 apples and eat 1, how many are left?",
  "what is 7?",
  "What is 2024?",
  "what is -7",
  "What is 1,000?",
  "what is pi?",
  "what is 15%",
  "What is 5 km?",
  "In 1999, what happened?",
  "What is 2020-2024",
  "What's the date 2024-01-15?",
  "What is 12/25/2024?",
  "what is 555-1234",
  "What time is it?",
  "what is 3:30 plus 2 hours",
  "What is the capital of France?",
  "What is love?",
  "How many legs does a spider have?",
  "What is x + 2 = 5?",
  "Solve 2x + 3 = 7",
  "Is 5 > 3?",
  "What is 5 times a day?",
  "what is 25% of 200 dollars?",
  "what is 2 in binary",
  "What is 1/0?",
  "What is 2^1e9?",
  'what is evaluate("1+1")',
  "",
  "?",
];

describe("findCalculableExpression", () => {
  test.each(POSITIVE)("%s → %s", (query, expected) => {
    expect(findCalculableExpression(query)).toBe(expected);
  });

  test.each(NEGATIVE.map((query) => [query]))("%s → undefined", (query) => {
    expect(findCalculableExpression(query)).toBeUndefined();
  });

  test("everything it returns evaluates", () => {
    for (const [query] of POSITIVE) {
      const expression = findCalculableExpression(query);
      expect(expression).toBeDefined();
      expect(() => evaluateExpression(expression ?? "")).not.toThrow();
    }
  });

  test("the issue's examples give the right answers", () => {
    const answer = (query: string) => evaluateExpression(findCalculableExpression(query) ?? "").text;
    expect(answer("What is 2+2?")).toBe("4");
    expect(answer("what's 15% of 80")).toBe("12");
    expect(answer("calculate sqrt(16)*3 please")).toBe("12");
    expect(Number(answer("How much is 1000*(1+0.05)^10?")).toFixed(6)).toBe("1628.894627");
    expect(answer("convert 5 km to miles")).toBe("3.10685596119 miles");
  });

  test("very long or non-string queries are ignored", () => {
    expect(findCalculableExpression(`What is ${"1+".repeat(300)}1?`)).toBeUndefined();
    expect(findCalculableExpression(42 as unknown as string)).toBeUndefined();
  });
});
