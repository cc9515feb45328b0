import { TinyLLMError } from "@tinyllm/core";

/** Runs `run` and returns the TinyLLM error it throws; fails the test when it throws nothing or something else. @internal */
export function errorOf(run: () => unknown): TinyLLMError {
  try {
    run();
  } catch (error) {
    if (TinyLLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a TinyLLMError");
}
