import { describe, expect, it } from "vitest";
import { createCalculator } from "./create-calculator";

describe("createCalculator", () => {
  const calculator = createCalculator();

  it("evaluates real numbers and keeps exact decimals as text", () => {
    expect(calculator.evaluate("17 * 24")).toEqual({ ok: true, value: 408, text: "408" });
    const exact = calculator.evaluate("0.1 + 0.2");
    expect(exact.ok).toBe(true);
    if (exact.ok) expect(Number(exact.value)).toBeCloseTo(0.3, 12);
  });

  it("reports what is not a real number, and bad input, without throwing", () => {
    expect(calculator.evaluate("2 > 1")).toMatchObject({ ok: false, code: "CALC_MATH" });
    expect(calculator.evaluate("import('fs')")).toMatchObject({ ok: false });
    expect(calculator.evaluate("1 +")).toMatchObject({ ok: false, code: "CALC_SYNTAX" });
  });

  it("finds the expression of a query that is only a calculation", () => {
    expect(calculator.bareCalculation("What is 17*24?")).toBe("17*24");
    expect(calculator.bareCalculation("Explain why 17*24 is 408 step by step")).toBeUndefined();
  });
});
