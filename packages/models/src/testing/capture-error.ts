/**
 * A test helper to await an expected rejection.
 *
 * @module
 */
import { TinyLLMError } from "@tinyllm/core";

/**
 * Awaits `promise` and returns what it rejects with, as a {@link TinyLLMError}. Throws when
 * the promise resolves or rejects with anything that is not a TinyLLM error, so tests fail
 * with a clear message.
 *
 * @example
 * ```ts
 * const error = await captureError(provider.chat({ model: "nope", messages }));
 * expect(error.code).toBe("MODEL_NOT_FOUND");
 * ```
 */
export async function captureError(promise: Promise<unknown>): Promise<TinyLLMError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    if (TinyLLMError.isInstance(error)) return error;
    throw new Error(`expected a TinyLLMError, got: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
      cause: error,
    });
  }
  throw new Error(`expected a rejection, but the promise resolved with: ${safeJson(value)}`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs `run` and returns the {@link TinyLLMError} it throws, the synchronous counterpart of
 * {@link captureError}. Throws when `run` returns or throws anything else, so tests fail with a
 * clear message.
 */
export function errorOf(run: () => unknown): TinyLLMError {
  try {
    run();
  } catch (error) {
    if (TinyLLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a TinyLLMError, and nothing was thrown");
}
