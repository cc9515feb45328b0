import { describe, expect, it } from "vitest";
import { createCalculator } from "@tinyllm/tools";
import { runMathCheck as runMathCheckWith, type MathCheckInput } from "./math-check";

const calculator = createCalculator();
/** The math check with the real calculator, as the runtime wires it. */
const runMathCheck = (input: MathCheckInput) => runMathCheckWith({ calculator, ...input });

const gsm8k = {
  query:
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
  reference: "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72",
};

describe("runMathCheck", () => {
  it("passes a worked answer whose final number matches the reference, decisively", () => {
    const [result] = runMathCheck({ ...gsm8k, answer: "In May she sold 48/2 = 24 clips. Altogether 48 + 24 = 72 clips. The answer is 72." });
    expect(result).toMatchObject({ name: "math.reference", outcome: "pass", decisive: true, details: { actual: 72, expected: 72 } });
  });

  it("leaves a wrong-looking read undecided when the reference sits where a result could be", () => {
    const [answerFirst] = runMathCheck({
      ...gsm8k,
      answer: "She sold 72 clips in all.\n\nExplanation: in May she sold 48/2 = 24, and 48 + 24 = 72. Together with the 5 hair ties that makes 77 items.",
    });
    expect(answerFirst).toMatchObject({ outcome: "fail", decisive: false, details: { ambiguous: true } });
  });

  it("fails a wrong final number, decisively", () => {
    const [result] = runMathCheck({ ...gsm8k, answer: "In May she sold 24 clips, so she sold 73 clips altogether." });
    expect(result).toMatchObject({ name: "math.reference", outcome: "fail", decisive: true });
    expect(result?.message).toMatch(/73 ≠ reference 72/);
  });

  it("reads one-sentence answers that list intermediate results by their last clause", () => {
    const muffins = {
      query: "A baker made 24 muffins, sold 12, and gave half of the rest away. How many does he keep?",
      reference: "He had 24 - 12 = 12 left.\nHe keeps 12 / 2 = 6.\n#### 6",
    };
    expect(runMathCheck({ ...muffins, answer: "12 were sold, 12 are left, and half of 12 is 6." })[0]).toMatchObject({ outcome: "pass", decisive: true });
    expect(runMathCheck({ ...muffins, answer: "He sold 12 and had 12 left; he gave away 6, leaving 6." })[0]).toMatchObject({
      outcome: "pass",
      decisive: true,
    });
    expect(runMathCheck({ ...muffins, answer: "12 were sold, 12 are left, and half of 12 is 7." })[0]).toMatchObject({ outcome: "fail", decisive: true });
    expect(runMathCheck({ ...muffins, answer: "He sold 12, so 12 are left, and a half of them is 4." })[0]).toMatchObject({ outcome: "fail", decisive: true });
    const apples = { query: "Ann had 12 apples and picked 6 more. How many does she have?", reference: "12 + 6 = 18\n#### 18" };
    expect(runMathCheck({ ...apples, answer: "She has 18 apples, 6 more than before." })[0]).toMatchObject({ outcome: "pass", decisive: true });
    expect(runMathCheck({ ...apples, answer: "She has 19 apples, 6 more than before." })[0]).toMatchObject({ outcome: "fail", decisive: true });
    expect(runMathCheck({ ...apples, answer: "The answer is 18, because 12 + 6 = 18." })[0]).toMatchObject({ outcome: "pass", decisive: true });
    // The stated answer is wrong even though the reason's arithmetic reaches the reference.
    expect(runMathCheck({ ...apples, answer: "The answer is 17, because 12 + 6 = 18." })[0]).not.toMatchObject({ outcome: "pass" });
  });

  it("fails an answer with no number when there is a reference", () => {
    expect(runMathCheck({ ...gsm8k, answer: "She sold many clips." })[0]).toMatchObject({ outcome: "fail", decisive: true });
  });

  it("recomputes a bare calculation with the calculator", () => {
    expect(runMathCheck({ query: "What is 17 * 24?", answer: "17 × 24 = 408" })[0]).toMatchObject({ name: "math.calculator", outcome: "pass", decisive: true });
    expect(runMathCheck({ query: "What is 17 * 24?", answer: "It is 418." })[0]).toMatchObject({ name: "math.calculator", outcome: "fail", decisive: true });
    expect(runMathCheck({ query: "What is 17 * 24?", answer: "408. That's roughly 400." })[0]).toMatchObject({ outcome: "pass" });
    expect(runMathCheck({ query: "What is 17 * 24?", answer: "It's 408 (17 times 24)." })[0]).toMatchObject({ outcome: "pass" });
  });

  it("catches a wrong stated calculation without a reference", () => {
    const [wrong] = runMathCheck({ query: "A shop sells 12 boxes of 15 pens. How many pens?", answer: "12 * 15 = 170, so 170 pens." });
    expect(wrong).toMatchObject({ name: "math.arithmetic", outcome: "fail", decisive: true, details: { stated: 170, actual: 180 } });
    const [right] = runMathCheck({ query: "A shop sells 12 boxes of 15 pens. How many pens?", answer: "12 * 15 = 180, and $1,000 / 8 = $125, 10/3 = 3.33." });
    expect(right).toMatchObject({ name: "math.arithmetic", outcome: "pass", decisive: false, details: { checked: 3 } });
  });

  it("reads signs, and leaves ranges and versions alone", () => {
    expect(runMathCheck({ query: "It is -5 degrees and warms by 3. What now?", answer: "-5 + 3 = -2 degrees." })[0]).toMatchObject({ outcome: "pass" });
    expect(runMathCheck({ query: "How long is a 9-5 day?", answer: "Work hours 9-5 = 8 hours." })[0]).toMatchObject({ decisive: false });
    expect(runMathCheck({ query: "How much newer is it?", answer: "Version 3.10 - 3.9 = 0.1 newer." })[0]).toMatchObject({ decisive: false });
    expect(runMathCheck({ query: "Split 7 apples between 2.", answer: "7 / 2 = 3 each (rounded down)." })[0]).toMatchObject({ decisive: false });
    expect(runMathCheck({ query: "Split 7 apples between 2.", answer: "7 / 2 = 4.5 each." })[0]).toMatchObject({ outcome: "fail", decisive: true });
    expect(runMathCheck({ query: "When does it end?", answer: "It starts at 10:30 + 2 = 12:30." })[0]).toMatchObject({ decisive: false });
    expect(runMathCheck({ query: "Cups?", answer: "10 / 3 = 3 1/3 cups, and 12/20 = 60 percent." })[0]).toMatchObject({ decisive: false });
    expect(runMathCheck({ query: "Total?", answer: "16 − 3 = 12 eggs." })[0]).toMatchObject({ outcome: "fail", decisive: true });
    expect(runMathCheck({ query: "Total?", answer: "3 x 4 = 13 and \\(9 \\times 2 = 18\\)" })[0]).toMatchObject({ outcome: "fail", decisive: true });
  });

  it.each([
    "$4.20 / 6 = $0.70 each.",
    "4.20/6 = 0.70",
    "12 × $3 = $36 in total.",
    "€5 + €7 = €12",
    "She walks 5 km + 3 km = 8 km.",
    "3 * 4 = 12 apples",
    "7 × £2.50 = £17.50",
    "¥300 × 4 = ¥1,200",
    "$5 + 7 dollars = $12",
    "20% of 50 = 10 students",
    "The discount is 25% of $80 = $20.",
    "16 eggs - 3 eggs = 13 eggs",
    "She works $25 / $5 = 5 hours.",
    "60 / 12 = 5 dozen",
    "Each pays 10 / 3 = $3.33.",
    "3 x €4 = €12",
    "35 × $20 + 15 × $30 = $700 + $450 = $1,150",
    "The new value is \\( 80{,}000 \\times 2.5 = 200{,}000 \\).",
  ])("recomputes %j with its currency signs and units, and finds it right", (answer) => {
    expect(runMathCheck({ query: "How much?", answer })[0]).toMatchObject({ name: "math.arithmetic", outcome: "pass", decisive: false });
  });

  it.each([
    ["4.20 / 6 = $0.07", 0.7],
    ["Each costs $4.20 / 6 = $0.07.", 0.7],
    ["12 × $3 = $35", 36],
    ["€5 + €7 = €13", 12],
    ["5 € + 7 € = 13 €", 12],
    ["5 km + 3 km = 9 km", 8],
    ["3 * 4 = 13 apples", 12],
    ["7 × £2.50 = £15.50", 17.5],
    ["20% of 50 = 12", 10],
    ["16 eggs - 3 eggs = 12 eggs left", 13],
    ["She can buy $17 / $8.50 = 3 boxes.", 2],
    ["60 / 12 = 6 dozen", 5],
    ["Split three ways, $10 / 3 = $3.30 each.", 10 / 3],
    ["He earns 35 hours × $20 = $800 a week.", 700],
  ])("fails %j, decisively", (answer, actual) => {
    const [result] = runMathCheck({ query: "How much?", answer });
    expect(result).toMatchObject({ name: "math.arithmetic", outcome: "fail", decisive: true });
    expect(result?.details?.actual).toBeCloseTo(actual, 9);
  });

  it.each([
    "90 minutes + 30 minutes = 2 hours",
    "2 hours × 3 = 360 minutes",
    "$5 × 100 = 500 cents",
    "1 hour + 30 minutes = 90 minutes",
    "2 packs + 6 cans = 18 cans",
    "€5 + $7 = €11.50",
    "3 dozen + 6 = 42",
    "2,000,000 + 500,000 = 2.5 million",
    "20 percent × 50 = 10",
    "5 feet 6 inches + 2 inches = 5 feet 8 inches",
    "11 am + 3 hours = 2 pm",
    "180 - 30% of 180 = 126",
    "2y + 3 = 7",
    "5 times 3 - 1 = 14",
    "sqrt 16 + 2 = 6",
    "$350 000 x 5/100 = $17,500",
    "Yuri scored 1/2 (68) + 10 = 44 points.",
    "Then 3x + 4 - 4 = 28 - 4.",
    "It needs 25 / 8 = 4 boxes.",
    "$25 / 8 = $3 each, rounded down.",
    "2/3 = 0.66",
  ])("leaves %j undecided: a conversion, a scale, or not plain arithmetic", (answer) => {
    expect(runMathCheck({ query: "How much?", answer })[0]).toMatchObject({ decisive: false });
  });

  it("reads a long sum with no = in linear time", () => {
    const terms = Array.from({ length: 400 }, (_, i) => `${i + 1} kg`).join(" + ");
    const started = performance.now();
    const [result] = runMathCheck({ query: "Total weight?", answer: `The total is ${terms}, which is 80,200 kg. Also ${terms.replace(/ kg/g, "")}.` });
    // Backtracking made 14 bare terms take minutes; linear matching takes milliseconds.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ name: "math.arithmetic", decisive: false });
  });

  it("does not decide when there is nothing to compare", () => {
    expect(runMathCheck({ query: "Prove that sqrt 2 is irrational.", answer: "Suppose it were rational…" })[0]).toMatchObject({
      outcome: "skip",
      decisive: false,
    });
  });
});
