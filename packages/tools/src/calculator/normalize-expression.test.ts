import { describe, expect, test } from "vitest";
import { normalizeExpression, originalPosition } from "./normalize-expression";
import { errorOf } from "@tinyllm/models/testing";

describe("normalizeExpression", () => {
  test.each([
    ["2 + 2", "2 + 2"],
    ["3 × 4 ÷ 2 − 1", "3 * 4 / 2 - 1"],
    ["2 ** 10", "2 ^ 10"],
    ["x² + y³ + z⁻¹", "x^2 + y^3 + z^-1"],
    ["2π + τ + φ", "2pi + tau + phi"],
    ["√16 + √(9) + ∛27", "sqrt(16) + sqrt(9) + cbrt(27)"],
    ["sin(30°)", "sin(30 deg)"],
    ["100°F to °C", "100 degF to degC"],
    ["15% of 80", "15% * 80"],
    ["15 percent of 80", "15% * 80"],
    ["$1,200.50 * 2", "1200.50 * 2"],
    ["5€ + 3", "5 + 3"],
    ["1,000,000 + (2,500 * 2)", "1000000 + (2500 * 2)"],
    ["max(100,200)", "max(100,200)"],
    ["[100,200]", "[100,200]"],
    ["  2 + 2 = ?  ", "2 + 2"],
    ["2+2=", "2+2"],
    ["2\u00A0+\u20092", "2 + 2"],
    ["1\r\n2", "1\n2"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeExpression(input).text).toBe(expected);
  });

  test("positions map back to the input", () => {
    const normalized = normalizeExpression("3 × 4 ** x");
    expect(normalized.text).toBe("3 * 4 ^ x");
    // "x" is character 9 of the output and character 10 of the input
    expect(originalPosition(normalized, 9)).toBe(10);
    const separated = normalizeExpression("1,000 + y");
    expect(separated.text).toBe("1000 + y");
    expect(originalPosition(separated, 8)).toBe(9);
  });

  test("refuses characters it does not read, with their position", () => {
    const error = errorOf(() => normalizeExpression("1 + ２"));
    expect(error.code).toBe("CALC_SYNTAX");
    expect(error.message).toMatch(/'２' \(U\+FF12\) at character 5/);
    expect(errorOf(() => normalizeExpression("2\u200B+2")).message).not.toMatch(/'/);
    expect(errorOf(() => normalizeExpression("a\u007Fb")).code).toBe("CALC_SYNTAX");
  });

  test("ambiguous thousands separators inside calls are refused", () => {
    const error = errorOf(() => normalizeExpression("max(1,000, 2)"));
    expect(error.code).toBe("CALC_SYNTAX");
    expect(error.hint).toMatch(/1000/);
    expect(errorOf(() => normalizeExpression("[1,000]")).code).toBe("CALC_SYNTAX");
  });
});
