/**
 * The configuration TinyLLM runs with, after every layer is merged.
 *
 * @module
 */
import type { ProviderId, TierId } from "./tinyllm-config-schema";

/** Where a setting came from, highest precedence first: flag, env, file, default. */
export type ConfigSource = "flag" | "env" | "file" | "default";

/** The models of one tier: a model per provider, and the model's memory size. */
export interface TierModels {
  /** The Ollama tag. */
  ollama?: string;
  /** The GGUF file (absolute when it was written as a path) or a name in `llama.modelsDir`. */
  llama?: string;
  /** The model id on the OpenAI-compatible server. */
  openai?: string;
  /** Approximate memory the model takes, in MB. Unset when unknown. */
  memoryMB?: number;
}

/**
 * The merged configuration. Paths are absolute (file paths resolved against the config
 * file's directory, flag and environment paths against `cwd`, `~` expanded); URLs are
 * normalized. Unset optional values are absent, so the providers' own defaults apply.
 */
export interface ResolvedConfig {
  /** The provider to use. Absent: detect one at run time. */
  provider?: ProviderId;
  /** Ollama settings. */
  ollama: {
    /** Server URL, such as `http://127.0.0.1:11434`. Always set (defaults to it). */
    host: string;
    /** Ollama `keep_alive`: a duration string or seconds. */
    keepAlive?: string | number;
  };
  /** Embedded llama.cpp settings. */
  llama: {
    /** The GGUF file used by tiers that have no `llama` model of their own. */
    modelFile?: string;
    /** Directory of GGUF files. */
    modelsDir?: string;
    /** CPU threads per evaluation. */
    threads?: number;
    /** Use a GPU when one is available. */
    gpu?: boolean;
    /** Context size in tokens. */
    contextSize?: number;
  };
  /** OpenAI-compatible server settings. */
  openai: {
    /** API base URL without a trailing slash, such as `http://127.0.0.1:8080/v1`. */
    baseUrl?: string;
    /** API key. */
    apiKey?: string;
  };
  /** The models of every tier (defaults merged with the file). */
  /** Where the `search` tool looks; both unset means no search tool. */
  search: {
    dir?: string;
    searxngUrl?: string;
  };
  tiers: Record<TierId, TierModels>;
  /** The default graph file. */
  graph?: string;
  /** The directory of prompt files. */
  promptsDir?: string;
  /** Where downloaded GGUF models are cached. Always set. */
  cacheDir: string;
}
