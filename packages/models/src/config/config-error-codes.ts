/**
 * Stable error codes raised by the TinyLLM configuration layer. They travel in
 * `TinyLLMError.code`.
 *
 * @module
 */

/** Error codes of the configuration layer. */
export const ConfigErrorCode = {
  /**
   * The configuration is invalid: the config file (YAML syntax, unknown key, wrong type; the
   * message names file, line and column), an environment variable or a flag (the message
   * names it), or a config file that cannot be found or read.
   */
  ConfigInvalid: "CONFIG_INVALID",
  /** `writeStarterConfig` found a file at the target path and `force` was not set. */
  ConfigExists: "CONFIG_EXISTS",
  /** `writeStarterConfig` could not write the file (permissions, missing disk space, ...). */
  ConfigWriteFailed: "CONFIG_WRITE_FAILED",
  /** A tier has no model for the chosen provider (see `resolveModelRef`). */
  ModelNotConfigured: "MODEL_NOT_CONFIGURED",
} as const;

/** One of the {@link ConfigErrorCode} values. */
export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];
