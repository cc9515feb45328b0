import { TinyLLMError } from "@tinyllm/core";

/**
 * Stable error codes of the calculator; they travel in `TinyLLMError.code`. None of them is
 * retryable: the same expression fails the same way, so the caller must change the expression.
 */
export const CalculatorErrorCode = {
  /** The expression does not parse, or uses a character the calculator does not read. The message gives the character position. */
  Syntax: "CALC_SYNTAX",
  /** The expression uses something the calculator refuses on purpose: assignment, property access, strings, a disabled function such as `evaluate` or `createUnit`. The message names it. */
  Forbidden: "CALC_FORBIDDEN",
  /** A size, time, length or magnitude bound was hit: input length, nesting, exponent, factorial, matrix size, time budget. */
  Limit: "CALC_LIMIT",
  /** A name the calculator does not know; the hint suggests close known names. */
  Undefined: "CALC_UNDEFINED",
  /** The expression is well formed but mathematically undefined here: division by zero, incompatible units, a non-finite result, a singular matrix, a wrong argument type. */
  Math: "CALC_MATH",
} as const;

/** One of the {@link CalculatorErrorCode} values. */
export type CalculatorErrorCode = (typeof CalculatorErrorCode)[keyof typeof CalculatorErrorCode];

/** @internal Builds a calculator {@link TinyLLMError}; calculator errors are never retryable. */
export function calculatorError(code: CalculatorErrorCode, message: string, hint?: string, cause?: unknown): TinyLLMError {
  return new TinyLLMError({ code, message, ...(hint ? { hint } : {}), isRetryable: false, ...(cause === undefined ? {} : { cause }) });
}
