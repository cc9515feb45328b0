import { isBigNumber, isComplex, isFraction, isMatrix, isUnit } from "mathjs";
import type { BigNumber, Fraction, Matrix } from "mathjs";

/** @internal The shape of a matrix or nested array, or `undefined` for a scalar. */
export function shapeOf(value: unknown): number[] | undefined {
  if (isMatrix(value)) return (value as Matrix).size();
  if (!Array.isArray(value)) return undefined;
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/** @internal Every scalar inside `value` (the value itself when it is a scalar). */
export function scalarsOf(value: unknown): unknown[] {
  if (isMatrix(value)) return ((value as Matrix).valueOf() as unknown[]).flat(Infinity);
  if (Array.isArray(value)) return value.flat(Infinity);
  return [value];
}

/** @internal Digits of a bigint, without sign. */
function digitsOf(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

/**
 * @internal log10 of the magnitude of a scalar: `-Infinity` for zero, `Infinity` for a
 * non-finite value, `NaN` for NaN and for things without a magnitude. Units use their value.
 */
export function log10Abs(value: unknown): number {
  if (typeof value === "number") return Number.isNaN(value) ? NaN : Math.log10(Math.abs(value));
  if (typeof value === "boolean") return value ? 0 : -Infinity;
  if (isBigNumber(value)) {
    const big = value as BigNumber;
    if (big.isNaN()) return NaN;
    if (!big.isFinite()) return Infinity;
    if (big.isZero()) return -Infinity;
    const [mantissa = "1", exponent = "0"] = big.abs().toExponential(6).split("e");
    return Math.log10(Number(mantissa)) + Number(exponent);
  }
  if (isFraction(value)) {
    const fraction = value as Fraction;
    if (fraction.n === 0n) return -Infinity;
    return digitsOf(fraction.n) - digitsOf(fraction.d);
  }
  if (isComplex(value)) return Math.log10(Math.hypot(value.re, value.im));
  if (isUnit(value)) return value.value === null ? 0 : log10Abs(value.value);
  return NaN;
}

/** @internal Largest |log10 |x|| over the finite non-zero scalars of `value`; 0 when there are none. */
export function maxAbsLog10(value: unknown): number {
  let max = 0;
  for (const scalar of scalarsOf(value)) {
    const log = log10Abs(scalar);
    if (Number.isFinite(log)) max = Math.max(max, Math.abs(log));
  }
  return max;
}

/** @internal A scalar as an approximate JS number (real part of a complex; value of a unit); NaN when it has none. */
export function approxNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isBigNumber(value)) return (value as BigNumber).toNumber();
  if (isFraction(value)) return (value as Fraction).valueOf();
  if (isComplex(value)) return value.re;
  if (isUnit(value)) return value.value === null ? 1 : approxNumber(value.value);
  return NaN;
}

/** @internal Largest |x| over the scalars of `value` (using {@link approxNumber}); NaN propagates. */
export function maxAbs(value: unknown): number {
  let max = 0;
  for (const scalar of scalarsOf(value)) {
    const abs = Math.abs(approxNumber(scalar));
    if (Number.isNaN(abs)) return NaN;
    max = Math.max(max, abs);
  }
  return max;
}

/** @internal Digits of a fraction's numerator plus denominator. */
export function fractionDigits(value: Fraction): number {
  return digitsOf(value.n) + digitsOf(value.d);
}

/** @internal True when a scalar is zero (number, BigNumber, fraction, complex, or a unit with value zero). */
export function isZeroScalar(value: unknown): boolean {
  if (typeof value === "number") return value === 0;
  if (typeof value === "boolean") return !value;
  if (isBigNumber(value)) return (value as BigNumber).isZero();
  if (isFraction(value)) return (value as Fraction).n === 0n;
  if (isComplex(value)) return value.re === 0 && value.im === 0;
  if (isUnit(value)) return value.value !== null && isZeroScalar(value.value);
  return false;
}

/** @internal True when any scalar inside `value` is infinite or NaN. */
export function hasNonFinite(value: unknown): boolean {
  for (const scalar of scalarsOf(value)) {
    if (typeof scalar === "number" && !Number.isFinite(scalar)) return true;
    if (isBigNumber(scalar) && !(scalar as BigNumber).isFinite()) return true;
    if (isComplex(scalar) && !(Number.isFinite(scalar.re) && Number.isFinite(scalar.im))) return true;
    if (isUnit(scalar) && scalar.value !== null && hasNonFinite(scalar.value)) return true;
  }
  return false;
}
