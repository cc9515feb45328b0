/**
 * The built-in tier models.
 *
 * @module
 */
import type { TierModels } from "./models-config";
import type { TierId } from "./model-config-schema";

/**
 * The built-in models of each tier: Qwen2.5 instruct models from the Ollama library
 * (`ollama pull qwen2.5:3b`). `memoryMB` is the size of the default (Q4_K_M) download, a
 * lower bound of the memory the model takes once loaded. There are no built-in `llama` or
 * `openai` models: set them in `tinyllm.yaml`, or give `llama.modelFile` for every tier.
 * T2 uses the 7B model: Qwen2.5 has no 8B size.
 */
export const defaultTiers: Readonly<Record<TierId, Readonly<TierModels>>> = Object.freeze({
  T0: Object.freeze({ ollama: "qwen2.5:0.5b", memoryMB: 400 }),
  T1: Object.freeze({ ollama: "qwen2.5:3b", memoryMB: 1900 }),
  T2: Object.freeze({ ollama: "qwen2.5:7b", memoryMB: 4700 }),
  T3: Object.freeze({ ollama: "qwen2.5:14b", memoryMB: 9000 }),
});
