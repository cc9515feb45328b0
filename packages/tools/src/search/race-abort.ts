import { TinyLLMError } from "@tinyllm/core";
import { SearchErrorCode } from "./search-error-codes";

/**
 * The error a search rejects with when `signal` aborts: the signal's reason when it is
 * already a `TinyLLMError` (e.g. `runTool`'s `TOOL_TIMEOUT`), otherwise `SEARCH_ABORTED`.
 */
export function toAbortError(signal: AbortSignal, what = "the search"): TinyLLMError {
  const reason: unknown = signal.reason;
  if (TinyLLMError.isInstance(reason)) return reason;
  return new TinyLLMError({ code: SearchErrorCode.SearchAborted, message: `${what} was aborted`, cause: reason });
}

/**
 * Waits for `promise`, but rejects with {@link toAbortError} as soon as `signal` aborts. The
 * promise itself keeps running (its rejection is observed, so it never goes unhandled).
 */
export async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what?: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    throw toAbortError(signal, what);
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(toAbortError(signal, what));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    promise.catch(() => undefined);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
