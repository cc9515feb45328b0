import { MemoryErrorCode, TinyLLMError } from "@tinyllm/core";

/** A `MEMORY_INPUT_INVALID` error: bad input to a memory or session call, with what to do instead. */
export function memoryInputInvalid(message: string, hint: string): TinyLLMError {
  return new TinyLLMError({ code: MemoryErrorCode.MemoryInputInvalid, message, hint });
}
