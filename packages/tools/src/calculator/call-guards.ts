import { isBigNumber, isComplex, isFraction, isMatrix, isUnit } from "mathjs";
import type { Fraction } from "mathjs";
import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";
import { calculatorLimits } from "./calculator-policy";
import type { SafeMath } from "./create-safe-math";
import { approxNumber, fractionDigits, hasNonFinite, isZeroScalar, log10Abs, maxAbs, maxAbsLog10, scalarsOf, shapeOf } from "./value-magnitude";

/** @internal What the guards need to know about the evaluation in progress. */
export interface GuardContext {
  readonly safe: SafeMath;
  /** Number mode: the first step whose result stopped being finite, e.g. "division by zero in divide(1, 0)". */
  issue: string | undefined;
}

const L = calculatorLimits;
const LOG10_E = Math.LOG10E;
const LOG_FUNCTIONS = new Set(["log", "log10", "log2", "log1p"]);

function limit(message: string, hint?: string): never {
  throw calculatorError(CalculatorErrorCode.Limit, message, hint);
}

/** @internal A short printable form of a value for error messages. */
export function describeValue(safe: SafeMath, value: unknown): string {
  let text: string;
  try {
    text = safe.math.format(value, { precision: 6 });
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** @internal `name(a, b)` for error messages. */
export function describeCall(safe: SafeMath, label: string, args: readonly unknown[]): string {
  return `${label}(${args.map((arg) => describeValue(safe, arg)).join(", ")})`;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

function productShape(a: readonly number[] | undefined, b: readonly number[] | undefined): number[] | undefined {
  if (!a) return b ? [...b] : undefined;
  if (!b) return [...a];
  if (a.length === 2 && b.length === 2) return [a[0] ?? 0, b[1] ?? 0];
  if (a.length === 2 && b.length === 1) return [a[0] ?? 0];
  if (a.length === 1 && b.length === 2) return [b[1] ?? 0];
  if (a.length === 1 && b.length === 1) return undefined;
  return broadcastShape([a, b]);
}

function broadcastShape(shapes: ReadonlyArray<readonly number[]>): number[] {
  const rank = Math.max(...shapes.map((shape) => shape.length));
  const result: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    let size = 1;
    for (const shape of shapes) size = Math.max(size, shape[shape.length - rank + axis] ?? 1);
    result.push(size);
  }
  return result;
}

/** Refuses calls whose array result would exceed `maxElements` (outer products, broadcasting). */
function guardShapes(label: string, name: string, args: readonly unknown[]): void {
  const shapes = args.map(shapeOf);
  const present = shapes.filter((shape): shape is number[] => shape !== undefined);
  for (const shape of present) {
    if (elementCount(shape) > L.maxElements) limit(`${label}: an argument has ${elementCount(shape)} elements; the calculator allows at most ${L.maxElements}`);
  }
  if (present.length < 2) return;
  const predicted = name === "multiply" ? shapes.reduce<number[] | undefined>((acc, shape) => productShape(acc, shape), undefined) : broadcastShape(present);
  const count = predicted ? elementCount(predicted) : 1;
  if (count > L.maxElements) limit(`${label}: the result would have ${count} elements; the calculator allows at most ${L.maxElements}`, "use smaller arrays");
}

function guardDimensions(safe: SafeMath, label: string, args: readonly unknown[]): void {
  const dims = args.flatMap(scalarsOf).map(approxNumber);
  if (dims.length > 3) limit(`${label}: at most 3 dimensions are allowed`);
  let count = 1;
  for (const dim of dims) {
    if (!Number.isFinite(dim) || dim > L.maxElements)
      limit(`${describeCall(safe, label, args)} is too large: at most ${L.maxElements} elements are allowed`, "use smaller sizes");
    count *= Math.max(0, Math.floor(dim));
  }
  if (count > L.maxElements)
    limit(`${describeCall(safe, label, args)} would have ${count} elements; the calculator allows at most ${L.maxElements}`, "use smaller sizes");
}

function guardRange(safe: SafeMath, label: string, args: readonly unknown[]): void {
  const [start, end, step = 1] = args.map(approxNumber);
  if (start === undefined || end === undefined) return;
  // mathjs adds the step in a loop: a step below the numbers' resolution never advances
  // (range(1e16, 1e16 + 5) grows an array until the process aborts).
  const scale = Math.max(Math.abs(start), Math.abs(end));
  if (!(Math.abs(step) >= scale * 2 ** -50))
    limit(`${describeCall(safe, label, args)}: the step is too small for numbers of this size`, "use a larger step or smaller numbers");
  const count = step === 0 ? Infinity : (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
  if (!(count <= L.maxElements))
    limit(
      `${describeCall(safe, label, args)} would have ${Number.isFinite(count) ? count : "too many"} elements; the calculator allows at most ${L.maxElements}`,
      "use a shorter range or a larger step",
    );
}

function guardPow(safe: SafeMath, label: string, args: readonly unknown[]): void {
  const [base, exponent] = args;
  const call = () => describeCall(safe, label, args);
  const exponentSize = maxAbs(exponent);
  if (label !== "dotPow" && (isMatrix(base) || Array.isArray(base))) {
    const cap = scalarsOf(base).some(isFraction) ? 64 : L.maxMatrixPower;
    if (!(exponentSize <= cap)) limit(`${call()}: matrix powers are limited to exponents of at most ${cap}`);
    const size = shapeOf(base)?.[0] ?? 0;
    const ops = size ** 3 * 2 * Math.ceil(Math.log2(exponentSize + 1));
    const maxOps = safe.mode === "bignumber" ? L.maxBigMatrixOps : L.maxMatrixOps;
    if (ops > maxOps) limit(`${call()} is too expensive: about ${ops} multiplications, the limit is ${maxOps}`, "use a smaller matrix or exponent");
    return;
  }
  const bases = scalarsOf(base);
  if (bases.some(isUnit) && !(exponentSize <= L.maxUnitPower)) limit(`${call()}: powers of units are limited to exponents of at most ${L.maxUnitPower}`);
  const fractions = bases.filter(isFraction) as Fraction[];
  if (fractions.length > 0) {
    const digits = exponentSize * Math.max(...fractions.map(fractionDigits));
    if (!(digits <= L.maxFractionDigits))
      limit(
        `${call()}: the exact fraction would have about ${Number.isFinite(digits) ? Math.round(digits) : "too many"} digits; the limit is ${L.maxFractionDigits}`,
        "use a decimal instead of fraction(...)",
      );
  }
  if (safe.mode === "number" && (hasNonFinite(base) || hasNonFinite(exponent))) return;
  let imaginary = 0;
  for (const scalar of scalarsOf(exponent)) if (isComplex(scalar)) imaginary = Math.max(imaginary, Math.abs(scalar.im));
  const estimate = exponentSize * maxAbsLog10(base) + (imaginary * Math.PI) / Math.LN10;
  if (!(estimate <= L.maxDecimalExponent)) {
    limit(
      `${call()} would be about 10^${Number.isFinite(estimate) ? Math.round(estimate) : "∞"} in size, beyond the calculator's range of 10^±${L.maxDecimalExponent}`,
      "to compare huge powers use logarithms, e.g. 1e9 * log10(2) is the number of digits of 2^1e9",
    );
  }
}

function guardGrowth(safe: SafeMath, label: string, args: readonly unknown[]): void {
  const [x] = args;
  if (safe.mode === "number" && hasNonFinite(x)) return;
  const estimate = maxAbs(x) * LOG10_E;
  if (!(estimate <= L.maxDecimalExponent))
    limit(
      `${describeCall(safe, label, args)} would be about 10^${Number.isFinite(estimate) ? Math.round(estimate) : "∞"}, beyond the calculator's range of 10^±${L.maxDecimalExponent}`,
    );
}

function guardFactorial(safe: SafeMath, label: string, args: readonly unknown[], offset: number): void {
  const largest = Math.max(...scalarsOf(args[0]).map((scalar) => approxNumber(scalar)));
  if (!(largest + offset <= L.maxFactorial)) {
    limit(
      `${describeCall(safe, label, args)} is too large: factorials are limited to n ≤ ${L.maxFactorial} (about 10^1000)`,
      "use lgamma(n + 1) for the natural logarithm of n!",
    );
  }
}

function guardCombinatorics(safe: SafeMath, label: string, args: readonly unknown[]): void {
  const [n, k] = args.map((arg) => maxAbs(arg));
  if (n === undefined) return;
  if (k === undefined) {
    if (!(n <= L.maxFactorial)) limit(`${describeCall(safe, label, args)} is too large: n! is limited to n ≤ ${L.maxFactorial}`);
    return;
  }
  // mathjs's number permutations(n, k) splits [n-k+1, n] with a 32-bit shift: n must stay below 2^30.
  if (label === "permutations" && !(n < 2 ** 30)) limit(`${describeCall(safe, label, args)}: permutations(n, k) is limited to n < 2^30`);
  const steps = label === "permutations" ? k : Math.min(k, n - k);
  if (!Number.isFinite(n) || !(steps <= L.maxCombinatoricSteps))
    limit(
      `${describeCall(safe, label, args)} is too expensive: k is limited to ${L.maxCombinatoricSteps}`,
      "use lgamma for logarithms of huge binomial coefficients",
    );
}

/**
 * @internal Checks a call before it runs and refuses, with `CALC_LIMIT`, anything whose cost or
 * size is out of bounds: powers beyond 10^±1000, huge factorials, oversized arrays, long loops.
 * In BigNumber mode a division by zero throws `CALC_MATH`; in number mode it is recorded in
 * `ctx.issue` and evaluation goes on (the BigNumber pass reports it).
 *
 * @param name the mathjs function name (aliases resolved), e.g. `pow` for both `^` and `pow()`.
 */
export function guardCall(name: string, args: readonly unknown[], ctx: GuardContext): void {
  const { safe } = ctx;
  guardShapes(name, name, args);
  switch (name) {
    case "pow":
    case "dotPow":
      guardPow(safe, name, args);
      break;
    case "nthRoot": {
      const root = approxNumber(args[1] ?? 2);
      if (Math.abs(root) < 1 && root !== 0 && !(safe.mode === "number" && hasNonFinite(args[0]))) {
        const estimate = maxAbsLog10(args[0]) / Math.abs(root);
        if (!(estimate <= L.maxDecimalExponent))
          limit(`${describeCall(safe, name, args)} would be about 10^${Math.round(estimate)}, beyond the calculator's range`);
      }
      break;
    }
    case "exp":
    case "expm1":
    case "sinh":
    case "cosh":
      guardGrowth(safe, name, args);
      break;
    case "factorial":
      guardFactorial(safe, name, args, 0);
      break;
    case "gamma":
      guardFactorial(safe, name, args, -1);
      break;
    case "combinations":
    case "permutations":
      guardCombinatorics(safe, name, args);
      break;
    case "isPrime":
      for (const scalar of scalarsOf(args[0])) {
        const big = isBigNumber(scalar);
        if (!(Math.abs(approxNumber(scalar)) <= (big ? L.maxBigPrimeTest : L.maxPrimeTest))) {
          limit(`${describeCall(safe, name, args)}: isPrime is limited to n ≤ 2^53 for numbers and n < 3.3e24 for bignumber(n)`);
        }
      }
      break;
    case "round":
    case "fix":
    case "floor":
    case "ceil":
      if (args.length > 1 && !(maxAbs(args[1]) <= L.maxRoundDigits)) limit(`${describeCall(safe, name, args)}: at most ${L.maxRoundDigits} digits`);
      break;
    case "zeros":
    case "ones":
    case "identity":
      guardDimensions(safe, name, args);
      break;
    case "range":
      guardRange(safe, name, args);
      break;
    case "divide":
    case "dotDivide": {
      const divisor = args[1];
      if (shapeOf(divisor) === undefined && isZeroScalar(divisor)) {
        const reason = `division by zero in ${describeCall(safe, name, args)}`;
        if (safe.mode === "bignumber") throw calculatorError(CalculatorErrorCode.Math, reason, "the divisor is zero; check the expression");
        ctx.issue ??= reason;
      }
      break;
    }
    default:
      break;
  }
}

function isAllowedScalar(value: unknown): boolean {
  return typeof value === "number" || typeof value === "boolean" || isBigNumber(value) || isFraction(value) || isComplex(value) || isUnit(value);
}

/**
 * @internal Checks a value a step produced: allowed type, array size, magnitude within
 * 10^±1000, fraction size, and finiteness (number mode records the first non-finite step in
 * `ctx.issue`; BigNumber mode throws `CALC_MATH`).
 */
export function checkResult(label: string, value: unknown, args: readonly unknown[], ctx: GuardContext): void {
  const { safe } = ctx;
  const shape = shapeOf(value);
  if (shape && elementCount(shape) > L.maxElements)
    limit(`${label}: the result has ${elementCount(shape)} elements; the calculator allows at most ${L.maxElements}`);
  const scalars = scalarsOf(value);
  for (const scalar of scalars) {
    if (!isAllowedScalar(scalar))
      throw calculatorError(CalculatorErrorCode.Math, `${label} produced a value of type ${safe.math.typeOf(scalar)}, which the calculator does not return`);
    if (isFraction(scalar) && fractionDigits(scalar as Fraction) > L.maxFractionDigits)
      limit(`${label}: the exact fraction has more than ${L.maxFractionDigits} digits`, "use a decimal instead of fraction(...)");
    if (isBigNumber(scalar) || isFraction(scalar) || (isUnit(scalar) && isBigNumber(scalar.value))) {
      const log = log10Abs(scalar);
      if (Number.isFinite(log) && Math.abs(log) > L.maxDecimalExponent)
        limit(`${label}: the result is about 10^${Math.round(log)}, beyond the calculator's range of 10^±${L.maxDecimalExponent}`);
    }
  }
  if (hasNonFinite(value) && !args.some(hasNonFinite)) {
    const zeroArgument = args.length === 1 && isZeroScalar(args[0]) && LOG_FUNCTIONS.has(label);
    const reason = zeroArgument
      ? `${label}(0) is undefined (it tends to -Infinity)`
      : safe.mode === "bignumber"
        ? `${describeCall(safe, label, args)} is not a finite number`
        : `${describeCall(safe, label, args)} is too large or undefined`;
    if (safe.mode === "bignumber") throw calculatorError(CalculatorErrorCode.Math, reason, "check for division by zero, log(0) or a pole such as tan(pi/2)");
    ctx.issue ??= reason;
  }
}
