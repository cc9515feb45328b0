import { describe, expect, test } from "vitest";
import { evaluateExpression } from "./evaluate-expression";
import type { CalculationResult } from "./format-result";
import { errorOf } from "@tinyllm/models/testing";

function text(expression: string): string {
  return evaluateExpression(expression).text;
}

describe("evaluateExpression: arithmetic", () => {
  test("the issue's examples", () => {
    expect(evaluateExpression("2+2")).toEqual({ kind: "number", value: 4, text: "4" });
    expect(evaluateExpression("sqrt(16)*3")).toEqual({ kind: "number", value: 12, text: "12" });
    const compound = evaluateExpression("1000*(1+0.05)^10");
    expect(compound.kind).toBe("number");
    expect(compound.value).toBeCloseTo(1628.894626777442, 9);
    // 12 significant digits: "1628.89462678", i.e. 1628.894627 to that precision or better
    expect(compound.text).toBe("1628.89462678");
    expect(Number(compound.text).toFixed(6)).toBe("1628.894627");
  });

  test("operators, precedence and parentheses", () => {
    expect(text("(2 + 3) * 4")).toBe("20");
    expect(text("2 + 3 * 4")).toBe("14");
    expect(text("2^3^2")).toBe("512");
    expect(text("-2^2")).toBe("-4");
    expect(text("2^-1")).toBe("0.5");
    expect(text("7 mod 3")).toBe("1");
    expect(text("10 % 3")).toBe("1");
    expect(text("5!")).toBe("120");
    expect(text("2(3 + 4)")).toBe("14");
    expect(text("(48 + 24) / 3")).toBe("24");
  });

  test("floating-point noise is hidden in text, kept in value", () => {
    const result = evaluateExpression("0.1 + 0.2");
    expect(result.text).toBe("0.3");
    expect(result.value).toBe(0.30000000000000004);
    expect(text("1/3")).toBe("0.333333333333");
    expect(text("-0")).toBe("0");
  });

  test("precision option", () => {
    expect(evaluateExpression("1000*(1+0.05)^10", { precision: 10 }).text).toBe("1628.894627");
    expect(evaluateExpression("pi", { precision: 4 }).text).toBe("3.142");
  });

  test("small and large magnitudes", () => {
    expect(text("1/80000000")).toBe("1.25e-8");
    expect(text("1/8000000")).toBe("0.000000125");
    expect(text("123456789 * 1000")).toBe("123456789000");
    expect(text("2^52")).toBe("4503599627370496");
  });
});

describe("evaluateExpression: model-isms", () => {
  test.each([
    ["3 × 4", "12"],
    ["12 ÷ 4", "3"],
    ["2 ** 10", "1024"],
    ["10 − 4", "6"],
    ["3²", "9"],
    ["2³ + 1", "9"],
    ["√16 + 1", "5"],
    ["√(9) * 2", "6"],
    ["2π", "6.28318530718"],
    ["1,000,000 / 4", "250000"],
    ["(1,500 + 500) * 2", "4000"],
    ["$1,200 * 0.05", "60"],
    ["2 + 2 =", "4"],
    ["2 + 2 = ?", "4"],
    ["ln(e^2)", "2"],
    ["avg(1, 2, 3, 4)", "2.5"],
    ["arcsin(1) * 2", "3.14159265359"],
    ["nCr(5, 2)", "10"],
  ])("%s → %s", (expression, expected) => {
    expect(text(expression)).toBe(expected);
  });

  test("commas inside calls keep separating arguments", () => {
    expect(text("max(1, 2)")).toBe("2");
    expect(text("max(100,200,300)")).toBe("300");
    expect(errorOf(() => evaluateExpression("max(1,000, 2)")).code).toBe("CALC_SYNTAX");
  });
});

describe("evaluateExpression: functions and constants", () => {
  test.each([
    ["cbrt(27)", "3"],
    ["nthRoot(32, 5)", "2"],
    ["log(8, 2)", "3"],
    ["log10(1000)", "3"],
    ["log2(1024)", "10"],
    ["log(e)", "1"],
    ["exp(0)", "1"],
    ["abs(-3.5)", "3.5"],
    ["round(2.567, 2)", "2.57"],
    ["floor(2.7) + ceil(2.1)", "5"],
    ["gcd(12, 18)", "6"],
    ["lcm(4, 6)", "12"],
    ["combinations(10, 3)", "120"],
    ["permutations(5, 2)", "20"],
    ["isPrime(97)", "true"],
    ["mean(2, 4, 9)", "5"],
    ["median([3, 1, 2])", "2"],
    ["max([1, 5, 3])", "5"],
    ["sum(1:100)", "5050"],
    ["std(2, 4, 4, 4, 5, 5, 7, 9)", "2.1380899353"],
    ["hypot(3, 4)", "5"],
    ["tau / pi", "2"],
    ["phi", "1.61803398875"],
    ["e", "2.71828182846"],
  ])("%s → %s", (expression, expected) => {
    expect(text(expression)).toBe(expected);
  });

  test("trigonometry in radians and degrees", () => {
    expect(text("sin(pi / 2)")).toBe("1");
    expect(text("sin(30 deg)")).toBe("0.5");
    expect(text("sin(30°)")).toBe("0.5");
    expect(text("cos(60 deg)")).toBe("0.5");
    expect(text("atan2(1, 1) * 4")).toBe("3.14159265359");
    expect(text("asin(0.5) rad to deg")).toBe("30 deg");
  });
});

describe("evaluateExpression: percentages", () => {
  test.each([
    ["15% of 80", "12"],
    ["15 % of 80", "12"],
    ["15 percent of 200", "30"],
    ["50%", "0.5"],
    ["15% * 80", "12"],
    ["80 + 15%", "92"],
    ["80 - 25%", "60"],
    ["20% of 50% of 80", "8"],
  ])("%s → %s", (expression, expected) => {
    expect(text(expression)).toBe(expected);
  });
});

describe("evaluateExpression: units", () => {
  test("conversions", () => {
    const miles = evaluateExpression("5 km to miles");
    expect(miles).toMatchObject({ kind: "unit", unit: "miles", text: "3.10685596119 miles" });
    expect(miles.value).toBeCloseTo(3.10685596119, 10);
    expect(evaluateExpression("100 degF to degC")).toMatchObject({ kind: "unit", unit: "degC", text: "37.7777777778 degC" });
    expect(text("100°F to °C")).toBe("37.7777777778 degC");
    expect(text("1 mile in km")).toBe("1.609344 km");
    expect(text("10 km/h to m/s")).toBe("2.77777777778 m / s");
    expect(text("5 min to s")).toBe("300 s");
  });

  test("arithmetic with units", () => {
    expect(text("5 ft + 3 in")).toBe("5.25 ft");
    expect(text("100 km/h * 2 h")).toBe("200 km");
    expect(text("5 kg * gravity to N")).toBe("49.03325 N");
    expect(evaluateExpression("5 km * 3 m")).toMatchObject({ kind: "unit", value: 15000, unit: "m^2" });
  });

  test("incompatible units are a math error", () => {
    const error = errorOf(() => evaluateExpression("5 km + 3 kg"));
    expect(error.code).toBe("CALC_MATH");
    expect(error.hint).toMatch(/compatible units/);
  });
});

describe("evaluateExpression: exact results", () => {
  test("large integers are exact BigNumbers", () => {
    expect(evaluateExpression("2^64")).toEqual({ kind: "bignumber", value: "18446744073709551616", text: "18446744073709551616" });
    expect(evaluateExpression("factorial(25)")).toEqual({ kind: "bignumber", value: "15511210043330985984000000", text: "15511210043330985984000000" });
    expect(text("25!")).toBe("15511210043330985984000000");
    expect(text("12345678901234567890 + 1")).toBe("12345678901234567891");
    expect(text("2^53 + 1")).toBe("9007199254740993");
    expect(text("10^15 * 1.1")).toBe("1100000000000000");
    expect(text("combinations(60, 30)")).toBe("118264581564861424");
  });

  test("overflowing doubles are redone with BigNumbers", () => {
    expect(evaluateExpression("2^2000")).toMatchObject({ kind: "bignumber", text: "1.14813069527e+602" });
    expect(evaluateExpression("factorial(171)")).toMatchObject({ kind: "bignumber", text: "1.24101807022e+309" });
    expect(evaluateExpression("1e400 / 1e390")).toMatchObject({ kind: "bignumber", text: "10000000000" });
    expect(evaluateExpression("1 / 2^2000")).toMatchObject({ kind: "bignumber", text: "8.70980981622e-603" });
  });

  test("non-integer BigNumbers keep 64 digits in value", () => {
    const result = evaluateExpression("bignumber(1) / 3");
    expect(result.kind).toBe("bignumber");
    expect(result.text).toBe("0.333333333333");
    expect(result.value).toBe(`0.${"3".repeat(64)}`);
  });

  test("fractions", () => {
    expect(evaluateExpression("fraction(1/3) + 1/6")).toEqual({ kind: "fraction", value: "1/2", text: "1/2" });
    expect(text("fraction(1, 3) + fraction(1, 6)")).toBe("1/2");
    expect(text("fraction(2, 3) * 3")).toBe("2");
    expect(text("fraction(-4, 3)")).toBe("-4/3");
    expect(text("number(fraction(1, 4))")).toBe("0.25");
  });
});

describe("evaluateExpression: other kinds", () => {
  test("booleans", () => {
    expect(evaluateExpression("5 > 3")).toEqual({ kind: "boolean", value: true, text: "true" });
    expect(text("1 < 2 < 3")).toBe("true");
    expect(text("2 == 3")).toBe("false");
    expect(text("true and not false")).toBe("true");
    expect(text("5 > 3 ? 10 : 20")).toBe("10");
  });

  test("complex numbers", () => {
    expect(evaluateExpression("sqrt(-4)")).toEqual({ kind: "complex", value: "2i", text: "2i" });
    expect(text("(1 + 2i) * 2")).toBe("2 + 4i");
    expect(text("e^(i*pi)")).toBe("-1");
  });

  test("small matrices", () => {
    expect(evaluateExpression("[1, 2, 3] * 2")).toEqual({ kind: "matrix", value: "[2, 4, 6]", text: "[2, 4, 6]" });
    expect(text("det([[1, 2], [3, 4]])")).toBe("-2");
    expect(text("inv([[2, 0], [0, 4]])")).toBe("[[0.5, 0], [0, 0.25]]");
    expect(text("[[1, 2], [3, 4]] * [[5], [6]]")).toBe("[[17], [39]]");
    expect(text("[[1, 1], [1, 0]]^10")).toBe("[[89, 55], [55, 34]]");
    expect(text("size(ones(3, 4))")).toBe("[3, 4]");
  });
});

describe("evaluateExpression: math errors", () => {
  test.each([
    ["1/0", /division by zero/],
    ["0/0", /division by zero/],
    ["5 / (3 - 3)", /division by zero/],
    ["log(0)", /log\(0\)/],
    ["gamma(-1)", /not a finite number/],
    ["inv([[1, 2], [2, 4]])", /determinant is zero/],
    ["factorial(-1)", /non-negative/],
  ])("%s is CALC_MATH", (expression, message) => {
    const error = errorOf(() => evaluateExpression(expression));
    expect(error.code).toBe("CALC_MATH");
    expect(error.message).toMatch(message);
    expect(error.isRetryable).toBe(false);
  });
});

describe("evaluateExpression: syntax and unknown names", () => {
  test("syntax errors give the character position in the original input", () => {
    const error = errorOf(() => evaluateExpression("2 +* 3"));
    expect(error.code).toBe("CALC_SYNTAX");
    expect(error.message).toMatch(/at character 4/);
    expect(error.hint).toBeTruthy();
    // positions survive rewrites: "×" and "**" are mapped back
    expect(errorOf(() => evaluateExpression("3 × 4 ** * 2")).message).toMatch(/at character 10/);
    expect(errorOf(() => evaluateExpression("(1 + 2")).code).toBe("CALC_SYNTAX");
    expect(errorOf(() => evaluateExpression("1 2")).hint).toMatch(/operator between values/);
  });

  test("a function name without parentheses is a syntax error", () => {
    const error = errorOf(() => evaluateExpression("sqrt 16"));
    expect(error.code).toBe("CALC_SYNTAX");
    expect(error.message).toMatch(/sqrt\(16\)/);
  });

  test("unknown names come with suggestions", () => {
    const sqr = errorOf(() => evaluateExpression("sqr(4)"));
    expect(sqr.code).toBe("CALC_UNDEFINED");
    expect(sqr.hint).toMatch(/sqrt/);
    expect(errorOf(() => evaluateExpression("2 * pie")).hint).toMatch(/pi/);
    expect(errorOf(() => evaluateExpression("SQRT(4)")).hint).toMatch(/sqrt/);
    const variable = errorOf(() => evaluateExpression("x + 1"));
    expect(variable.code).toBe("CALC_UNDEFINED");
    expect(variable.hint).toMatch(/no variables/);
    expect(errorOf(() => evaluateExpression("3 x 4")).hint).toMatch(/\* for multiplication/);
  });

  test("results are plain data", () => {
    const result: CalculationResult = evaluateExpression("5 km to miles");
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
