import { TinyLLMError, type BenchErrorCode } from "@tinyllm/core";

/** A {@link TinyLLMError} of `@tinyllm/bench`: what went wrong and what to do next. */
export function benchError(code: BenchErrorCode, message: string, hint: string, cause?: unknown): TinyLLMError {
  return new TinyLLMError({ code, message, hint, ...(cause === undefined ? {} : { cause }) });
}
