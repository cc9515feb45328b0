import { isBigNumber, isComplex, isFraction, isMatrix, isUnit } from "mathjs";
import type { BigNumber, FormatOptions, Fraction, Unit } from "mathjs";
import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";
import { calculatorLimits } from "./calculator-policy";
import type { SafeMath } from "./create-safe-math";

/** What kind of value a calculation produced. */
export type CalculationKind = "number" | "bignumber" | "fraction" | "complex" | "unit" | "boolean" | "matrix";

/**
 * The result of {@link evaluateExpression}.
 *
 * | kind | value | text (example) |
 * | --- | --- | --- |
 * | `number` | the JS number | `"1628.89462678"` (12 significant digits; integers below 1e15 in full) |
 * | `bignumber` | decimal string, exact for integers up to 64 digits | `"18446744073709551616"` |
 * | `fraction` | `"n/d"` | `"1/2"` |
 * | `complex` | `"re + im i"` at full precision | `"2i"` |
 * | `unit` | the number in the shown unit (a string if it is a BigNumber or fraction); see `unit` | `"3.10685596119 miles"` |
 * | `boolean` | `true` / `false` | `"true"` |
 * | `matrix` | the array at full precision, as text | `"[1, 2, 3]"` |
 */
export interface CalculationResult {
  kind: CalculationKind;
  /** The value at full precision: a number, an exact decimal or fraction string, or a boolean. */
  value: number | string | boolean;
  /** The value formatted for people and models: 12 significant digits by default. */
  text: string;
  /** For `kind: "unit"`: the unit of `value`, e.g. `"miles"`, `"m / s"`. */
  unit?: string;
}

function formatNumber(math: SafeMath["math"], value: number, precision: number): string {
  if (Object.is(value, -0)) return "0";
  if (Number.isInteger(value) && Math.abs(value) < calculatorLimits.exactThreshold) return String(value);
  return math.format(value, textOptions(precision));
}

function textOptions(precision: number): FormatOptions {
  return { precision, lowerExp: -7, upperExp: 15 };
}

/** `n/d`, or just `n` when the fraction is a whole number. */
function formatFraction(math: SafeMath["math"], value: Fraction): string {
  return value.d === 1n ? (value.s * value.n).toString() : math.format(value, { fraction: "ratio" });
}

/** A BigNumber integer whose digits all fit in the working precision is exact. */
function isExactInteger(value: BigNumber): boolean {
  return value.isInteger() && value.abs().lt(`1e${calculatorLimits.bigNumberPrecision}`);
}

function scalarValue(math: SafeMath["math"], value: unknown): number | string {
  if (typeof value === "number") return Object.is(value, -0) ? 0 : value;
  if (isBigNumber(value)) {
    const big = value as BigNumber;
    return isExactInteger(big) ? big.toFixed() : big.toSignificantDigits(calculatorLimits.bigNumberPrecision).toString();
  }
  if (isFraction(value)) return formatFraction(math, value as Fraction);
  return math.format(value);
}

/**
 * @internal Turns a checked, finite evaluation result into a {@link CalculationResult}.
 * `precision` is the number of significant digits in `text`.
 */
export function formatResult(safe: SafeMath, result: unknown, precision: number): CalculationResult {
  const { math } = safe;
  if (typeof result === "boolean") return { kind: "boolean", value: result, text: String(result) };
  if (typeof result === "number") return { kind: "number", value: Object.is(result, -0) ? 0 : result, text: formatNumber(math, result, precision) };
  if (isBigNumber(result)) {
    const big = result as BigNumber;
    const text = isExactInteger(big) ? big.toFixed() : math.format(big, textOptions(precision));
    return { kind: "bignumber", value: scalarValue(math, big), text: text === "-0" ? "0" : text };
  }
  if (isFraction(result)) {
    const text = formatFraction(math, result as Fraction);
    return { kind: "fraction", value: text, text };
  }
  if (isComplex(result)) return { kind: "complex", value: math.format(result), text: math.format(result, textOptions(precision)) };
  if (isUnit(result)) {
    const withValue = (result.value === null ? math.multiply(1, result) : result) as Unit;
    const shown = (withValue as Unit & { skipAutomaticSimplification?: boolean }).skipAutomaticSimplification ? withValue : withValue.simplify();
    const numeric = shown.toNumeric();
    return { kind: "unit", value: scalarValue(math, numeric), text: math.format(shown, textOptions(precision)), unit: shown.formatUnits() };
  }
  if (isMatrix(result) || Array.isArray(result)) return { kind: "matrix", value: math.format(result), text: math.format(result, textOptions(precision)) };
  throw calculatorError(CalculatorErrorCode.Math, `the calculation produced a ${math.typeOf(result)}, which the calculator does not return`);
}
