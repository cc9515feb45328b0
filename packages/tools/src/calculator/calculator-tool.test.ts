import { describe, expect, test } from "vitest";
import { runTool } from "../tool/run-tool";
import { toolDescription } from "../tool/tool-registry";
import { calculator, calculatorOutputSchema } from "./calculator-tool";
import { evaluateExpression } from "./evaluate-expression";

describe("calculator tool", () => {
  test("shape", () => {
    expect(calculator.name).toBe("calculator");
    expect(calculator.timeoutMs).toBe(2000);
    expect(calculator.description).toMatch(/instead of calculating in your head/);
    const described = toolDescription(calculator);
    expect(described.parameters).toMatchObject({ type: "object", properties: { expression: { type: "string" } }, required: ["expression"] });
  });

  test("evaluates through runTool", async () => {
    const result = await runTool(calculator, { expression: "sqrt(16) * 3" });
    expect(result).toMatchObject({ ok: true, output: { kind: "number", value: 12, text: "12" } });
    const miles = await runTool(calculator, { expression: "5 km to miles" });
    expect(miles).toMatchObject({ ok: true, output: { kind: "unit", unit: "miles" } });
  });

  test("calculator errors keep their codes and hints", async () => {
    const result = await runTool(calculator, { expression: "2^1e9" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("CALC_LIMIT");
      expect(result.error.hint).toBeTruthy();
    }
    const forbidden = await runTool(calculator, { expression: 'evaluate("1")' });
    expect(forbidden).toMatchObject({ ok: false, error: { code: "CALC_FORBIDDEN" } });
  });

  test("invalid input is refused by the schema", async () => {
    expect(await runTool(calculator, { expr: "1" })).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
    expect(await runTool(calculator, { expression: 5 })).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
  });

  test("an aborted call does not run", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await runTool(calculator, { expression: "1 + 1" }, { abortSignal: controller.signal })).toMatchObject({
      ok: false,
      error: { code: "TOOL_ABORTED" },
    });
  });

  test("every kind of result matches the output schema", () => {
    for (const expression of ["2+2", "2^64", "fraction(1, 3)", "sqrt(-4)", "5 km to miles", "3 > 2", "[1, 2]", "bignumber(1) / 3"]) {
      expect(calculatorOutputSchema.safeParse(evaluateExpression(expression)).success).toBe(true);
    }
  });
});

describe("calculator.fromQuery (the tool-first path)", () => {
  test("should find the expression and say when its value is the whole answer", () => {
    expect(calculator.fromQuery?.("What is 2+2?")).toEqual({ input: { expression: "2+2" }, answersQuery: true });
    expect(calculator.fromQuery?.("How much is 1000*(1+0.05)^10?")?.answersQuery).toBe(true);
    expect(calculator.fromQuery?.("Explain why 2+2 equals 4")?.answersQuery ?? false).toBe(false);
    expect(
      calculator.fromQuery?.(
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether?",
      ),
    ).toBeUndefined();
  });
});
