import { TinyLLMError } from "@tinyllm/core";

/** An `INVALID_ARGUMENT` error for a bad executor option. @internal */
export function invalidOption(message: string): TinyLLMError {
  return new TinyLLMError({ code: "INVALID_ARGUMENT", message });
}

/** `value` (or `fallback` when undefined), checked to be an integer from `min` to `max`. @internal */
export function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < min || chosen > max) throw invalidOption(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return chosen;
}
