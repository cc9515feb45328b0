/**
 * TinyLLM's configuration: the `tinyllm.yaml` schema, loading with flag > env > file > default
 * precedence, and the starter file. The model sections come from `@tinyllm/models`.
 *
 * @module
 */
export { ConfigErrorCode } from "./config-error-codes";
export { createConfigInvalidError, formatConfigIssue, type ConfigIssue } from "./config-invalid-error";
export { defaultCacheDir } from "./default-cache-dir";
export { configFileNames, findConfigFile, type FindConfigFileOptions } from "./find-config-file";
export { loadConfig, type ConfigFlags, type LoadConfigOptions, type LoadConfigResult } from "./load-config";
export { parseConfigText, type ParseConfigTextOptions } from "./parse-config-text";
export type { ConfigSource, ResolvedConfig } from "./resolved-config";
export { starterConfigText, writeStarterConfig, type WriteStarterConfigOptions } from "./starter-config";
export { SearchSectionSchema, ServerSectionSchema, TinyLLMConfigSchema, tinyLLMConfigJsonSchema, type TinyLLMConfigFile } from "./tinyllm-config-schema";
