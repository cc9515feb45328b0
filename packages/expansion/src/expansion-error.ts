import { TinyLLMError, type ExpansionErrorCode } from "@tinyllm/core";

/** A {@link TinyLLMError} of `@tinyllm/expansion`: what went wrong and what to do next. */
export function expansionError(code: ExpansionErrorCode, message: string, hint: string, cause?: unknown): TinyLLMError {
  return new TinyLLMError({ code, message, hint, ...(cause === undefined ? {} : { cause }) });
}
