/**
 * Helpers that build the {@link TinyLLMError}s model providers throw.
 *
 * @module
 */
import { raceAbort, TinyLLMError } from "@tinyllm/core";
import { ModelErrorCode } from "./model-error-codes";

/** Options of {@link createModelError}. */
export interface CreateModelErrorOptions {
  code: ModelErrorCode;
  message: string;
  hint?: string;
  isRetryable?: boolean;
  cause?: unknown;
}

/** A {@link TinyLLMError} with one of the {@link ModelErrorCode}s. */
export function createModelError({ code, message, hint, isRetryable, cause }: CreateModelErrorOptions): TinyLLMError {
  return new TinyLLMError({ code, message, hint, isRetryable, cause });
}

/**
 * The `MODEL_ABORTED` error for a request stopped by its `abortSignal`.
 *
 * @param options.provider - Provider id, for the message.
 * @param options.cause - The abort reason, when known.
 */
export function createAbortedError({ provider, cause }: { provider: string; cause?: unknown }): TinyLLMError {
  return new TinyLLMError({
    code: ModelErrorCode.ModelAborted,
    message: `The ${provider} model request was aborted.`,
    cause,
  });
}

/** Throws `MODEL_ABORTED` when `abortSignal` is already aborted. */
export function throwIfAborted({ abortSignal, provider }: { abortSignal?: AbortSignal; provider: string }): void {
  if (abortSignal?.aborted) throw createAbortedError({ provider, cause: abortSignal.reason });
}

/** True when `error` is a TinyLLM error with the given code. */
export function isModelError(error: unknown, code?: ModelErrorCode): error is TinyLLMError {
  return TinyLLMError.isInstance(error) && (code === undefined || error.code === code);
}

/**
 * Waits for `promise`, but rejects with `MODEL_ABORTED` as soon as `abortSignal` aborts. The
 * promise itself keeps running (use this for shared work such as loading a model).
 */
export function raceModelAbort<T>({ promise, abortSignal, provider }: { promise: Promise<T>; abortSignal?: AbortSignal; provider: string }): Promise<T> {
  return raceAbort(promise, abortSignal, { toError: (cause) => createAbortedError({ provider, cause }) });
}

/** The message of anything thrown, for error texts. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
