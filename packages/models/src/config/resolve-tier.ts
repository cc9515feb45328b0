/**
 * Turns a tier (`T0`..`T3`) or a model name into the model a provider should load.
 *
 * @module
 */
import { ModelErrorCode, TinyLLMError } from "@tinyllm/core";
import type { ModelsConfig } from "./models-config";
import { tierIds, type ProviderId, type TierId } from "./model-config-schema";

/** What {@link resolveModelRef} returns. */
export interface ResolvedModelRef {
  /** The model to ask the provider for: an Ollama tag, a GGUF path or name, or a server model id. */
  model: string;
  /** The tier `ref` named, or the tier whose model for this provider `ref` is. */
  tier?: TierId;
  /** The model's approximate memory size in MB, when known. */
  memoryMB?: number;
}

/** True when `ref` is one of the tier ids `T0`..`T3`. */
export function isTierId(ref: string): ref is TierId {
  return (tierIds as readonly string[]).includes(ref);
}

/**
 * Resolves a model reference for `provider`.
 *
 * - A tier (`"T0"`..`"T3"`, any case) becomes that tier's model for the provider, with its `memoryMB`.
 *   For `llama`, a tier without a `llama` model falls back to `config.llama.modelFile`, so a
 *   single `--model-file` (or `TINYLLM_MODEL_FILE`) serves the whole graph; `memoryMB` is
 *   then unknown (the tier's size described another model).
 * - Anything else is a model name, used as it is; when it is a tier's model for the
 *   provider, that tier and its `memoryMB` come along.
 *
 * Throws a `MODEL_NOT_CONFIGURED` `TinyLLMError` when the tier has no model for the provider
 * (or `ref` is empty); the hint says where to set one.
 *
 * @example
 * ```ts
 * resolveModelRef("T1", "ollama", config); // { model: "qwen2.5:3b", tier: "T1", memoryMB: 1900 }
 * resolveModelRef("T1", "llama", config); // { model: "/abs/model.gguf", tier: "T1" } with llama.modelFile set
 * ```
 */
export function resolveModelRef(ref: string, provider: ProviderId, config: Pick<ModelsConfig, "tiers" | "llama">): ResolvedModelRef {
  const trimmed = ref.trim();
  const name = /^t[0-3]$/.test(trimmed) ? trimmed.toUpperCase() : trimmed;
  if (name === "") {
    throw new TinyLLMError({
      code: ModelErrorCode.ModelNotConfigured,
      message: "The model reference is empty.",
      hint: "name a tier (T0, T1, T2 or T3) or a model",
    });
  }
  if (!isTierId(name)) {
    const tier = tierIds.find((id) => config.tiers[id]?.[provider] === name);
    const memoryMB = tier ? config.tiers[tier]?.memoryMB : undefined;
    return { model: name, ...(tier ? { tier } : {}), ...(memoryMB !== undefined ? { memoryMB } : {}) };
  }
  const models = config.tiers[name];
  const model = models?.[provider];
  if (model) return { model, tier: name, ...(models?.memoryMB !== undefined ? { memoryMB: models.memoryMB } : {}) };
  if (provider === "llama" && config.llama.modelFile) return { model: config.llama.modelFile, tier: name };
  throw new TinyLLMError({
    code: ModelErrorCode.ModelNotConfigured,
    message: `Tier ${name} has no model for the ${provider} provider.`,
    hint: notConfiguredHint(name, provider),
  });
}

function notConfiguredHint(tier: TierId, provider: ProviderId): string {
  switch (provider) {
    case "llama":
      return (
        `pass --model-file <file.gguf> (or set TINYLLM_MODEL_FILE, or llama.modelFile in tinyllm.yaml) to use one model for every tier, ` +
        `or set tiers.${tier}.llama in tinyllm.yaml`
      );
    case "openai":
      return `set tiers.${tier}.openai in tinyllm.yaml to a model id the server lists at GET /v1/models`;
    case "ollama":
      return `set tiers.${tier}.ollama in tinyllm.yaml to an Ollama tag, such as qwen2.5:3b`;
  }
}
