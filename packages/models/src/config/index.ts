/**
 * The model part of TinyLLM's configuration: provider and tier settings, their schemas, and tier
 * resolution. Loading `tinyllm.yaml` as a whole is `loadConfig` in `@tinyllm/runtime`.
 *
 * @module
 */
export { defaultTiers } from "./default-tiers";
export type { FleetHostConfig, ModelsConfig, SchedulerConfig, TierModels } from "./models-config";
export { isTierId, resolveModelRef, type ResolvedModelRef } from "./resolve-tier";
export { parseOllamaHost } from "./parse-ollama-host";
export {
  HostSchema,
  HostsSectionSchema,
  LlamaSectionSchema,
  SchedulerSectionSchema,
  nonEmptySetting,
  OllamaSectionSchema,
  OpenAISectionSchema,
  optionalSetting,
  providerIds,
  TierModelsSchema,
  TiersSectionSchema,
  tierIds,
  type ProviderId,
  type TierId,
  type TierModelsFile,
} from "./model-config-schema";
