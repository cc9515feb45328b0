/**
 * The model settings TinyLLM runs with, after every configuration layer is merged. The app's
 * whole configuration (`ResolvedConfig` in `@tinyllm/runtime`) extends it.
 *
 * @module
 */
import type { ProviderId, TierId } from "./model-config-schema";

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
 * The merged model settings. Paths are absolute and URLs normalized; unset optional values are
 * absent, so the providers' own defaults apply.
 */
export interface ModelsConfig {
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
  tiers: Record<TierId, TierModels>;
  /** The fleet: several hosts placed by the scheduler. Absent: one provider, as above. */
  hosts?: FleetHostConfig[];
  /** How the fleet places models. */
  scheduler?: SchedulerConfig;
}

/** One host of the fleet, as configured. */
export interface FleetHostConfig {
  name?: string;
  url: string;
  kind: "ollama" | "openai";
  vramMB: number;
  ramMB?: number;
  labels?: Record<string, string>;
  apiKey?: string;
  models?: Record<string, string>;
}

/** The `scheduler:` settings. Tiers in `pin` and `preload` are resolved to models by the runtime. */
export interface SchedulerConfig {
  pin?: string[];
  preload?: string[];
  cpu?: string[];
  batchAgingMs?: number;
  prefetch?: boolean;
  offloadHorizonMs?: number;
  minGpuShare?: number;
  healthCheckIntervalMs?: number;
  keepAlive?: string | number;
}
