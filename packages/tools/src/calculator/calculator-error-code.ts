import { TinyLLMError, type CalculatorErrorCode } from "@tinyllm/core";

/**
 * Stable error codes of the calculator; they travel in `TinyLLMError.code`. None of them is
 * retryable: the same expression fails the same way, so the caller must change the expression.
 */
export { CalculatorErrorCode } from "@tinyllm/core";

/** @internal Builds a calculator {@link TinyLLMError}; calculator errors are never retryable. */
export function calculatorError(code: CalculatorErrorCode, message: string, hint?: string, cause?: unknown): TinyLLMError {
  return new TinyLLMError({ code, message, ...(hint ? { hint } : {}), isRetryable: false, ...(cause === undefined ? {} : { cause }) });
}
