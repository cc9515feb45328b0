import { raceAbort, TinyLLMError } from "@tinyllm/core";
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
 * promise itself keeps running.
 */
export function raceSearchAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what?: string): Promise<T> {
  return signal ? raceAbort(promise, signal, { toError: () => toAbortError(signal, what) }) : promise;
}
