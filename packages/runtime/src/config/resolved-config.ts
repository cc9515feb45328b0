/**
 * The configuration TinyLLM runs with, after every layer is merged.
 *
 * @module
 */
import type { ModelsConfig } from "@tinyllm/models";

/** Where a setting came from, highest precedence first: flag, env, file, default. */
export type ConfigSource = "flag" | "env" | "file" | "default";

/**
 * The merged configuration: the model settings of `@tinyllm/models` plus the app's. Paths are
 * absolute (file paths resolved against the config file's directory, flag and environment paths
 * against `cwd`, `~` expanded); URLs are normalized. Unset optional values are absent, so the
 * providers' own defaults apply.
 */
export interface ResolvedConfig extends ModelsConfig {
  /** Where the `search` tool looks; both unset means no search tool. */
  search: {
    dir?: string;
    searxngUrl?: string;
  };
  /** The `server:` section as written (flags and `TINYLLM_API_KEYS` are applied by the server). */
  server: {
    host?: string;
    port?: number;
    apiKeys?: string[];
    corsOrigins?: string[];
    limits?: {
      maxBodyBytes?: number;
      maxQueryChars?: number;
      maxConcurrentPerKey?: number;
      maxQueuedPerKey?: number;
      maxQueueWaitMs?: number;
      requestDeadlineMs?: number;
      maxTokensPerCall?: number;
    };
  };
  /** Long-term memory's embedding model; unset means lexical recall. */
  memory: {
    embedModel?: string;
  };
  /** The default graph file. */
  graph?: string;
  /** The directory of prompt files. */
  promptsDir?: string;
  /** Where downloaded GGUF models are cached. Always set. */
  cacheDir: string;
}
