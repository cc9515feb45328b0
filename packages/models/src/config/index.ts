/**
 * TinyLLM configuration: the `tinyllm.yaml` schema, loading with flag > env > file > default
 * precedence, tier resolution and the starter file.
 *
 * @module
 */
export { ConfigErrorCode } from "./config-error-codes";
export { createConfigInvalidError, formatConfigIssue, type ConfigIssue } from "./config-invalid-error";
export { defaultCacheDir } from "./default-cache-dir";
export { defaultTiers } from "./default-tiers";
export { configFileNames, findConfigFile, type FindConfigFileOptions } from "./find-config-file";
export { loadConfig, type ConfigFlags, type LoadConfigOptions, type LoadConfigResult } from "./load-config";
export { parseConfigText, type ParseConfigTextOptions } from "./parse-config-text";
export type { ConfigSource, ResolvedConfig, TierModels } from "./resolved-config";
export { isTierId, resolveModelRef, type ResolvedModelRef } from "./resolve-tier";
export { starterConfigText, writeStarterConfig, type WriteStarterConfigOptions } from "./starter-config";
export {
  LlamaSectionSchema,
  OllamaSectionSchema,
  OpenAISectionSchema,
  SearchSectionSchema,
  TierModelsSchema,
  TiersSectionSchema,
  TinyLLMConfigSchema,
  providerIds,
  tierIds,
  tinyLLMConfigJsonSchema,
  type ProviderId,
  type TierId,
  type TierModelsFile,
  type TinyLLMConfigFile,
} from "./tinyllm-config-schema";
