/**
 * The model sections of `tinyllm.yaml`: providers and tiers. The whole file's schema, which adds
 * the app's settings (graph, prompts, search…), is `TinyLLMConfigSchema` in `@tinyllm/runtime`.
 *
 * @module
 */
import { z } from "zod";
import { parseOllamaHost } from "./parse-ollama-host";

/** The model providers TinyLLM can run models with. */
export const providerIds = ["ollama", "llama", "openai"] as const;

/**
 * A model provider: `ollama` (an Ollama server), `llama` (llama.cpp embedded through
 * node-llama-cpp, loading a GGUF file) or `openai` (any OpenAI-compatible server).
 */
export type ProviderId = (typeof providerIds)[number];

/** The model tiers, smallest first. */
export const tierIds = ["T0", "T1", "T2", "T3"] as const;

/**
 * A model tier: `T0` router (~0.5B), `T1` specialist (~3B), `T2` worker (~8B), `T3` judge
 * (~14B).
 */
export type TierId = (typeof tierIds)[number];

/** A Go duration as Ollama's `keep_alive` takes it: `5m`, `1h30m`, `-1s`, `0`. */
const durationPattern = /^(?:[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/;

/** An optional key: `key:` with no value (YAML `null`) counts as not set. */
export function optionalSetting<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

/** A non-empty string setting with a description for error messages. */
export const nonEmptySetting = (description: string) => z.string().min(1, "must not be empty").describe(description);

/** The `ollama:` section. */
export const OllamaSectionSchema = z.strictObject({
  /**
   * Ollama server address: `http://host:port`, or what `OLLAMA_HOST` accepts (`host`,
   * `host:port`, `:port`). Default `http://127.0.0.1:11434`.
   */
  host: optionalSetting(
    z
      .string()
      .refine((value) => parseOllamaHost(value) !== undefined, "expected an Ollama server address such as http://127.0.0.1:11434 or localhost:11434")
      .describe("the Ollama server address, such as http://127.0.0.1:11434"),
  ),
  /**
   * How long Ollama keeps a model loaded after a request: a duration (`"5m"`, `"1h30m"`) or a
   * number of seconds (`-1` keeps it loaded, `0` unloads it at once). Default: the server's.
   */
  keepAlive: optionalSetting(
    z
      .union([z.string().regex(durationPattern, 'expected a duration such as "5m" or "1h30m", or a number of seconds'), z.number()], {
        error: 'expected a duration such as "5m" or "1h30m", or a number of seconds',
      })
      .describe('a duration such as "5m" or "1h30m", or seconds (-1 keeps the model loaded)'),
  ),
});

/** The `llama:` section (embedded llama.cpp). */
export const LlamaSectionSchema = z.strictObject({
  /**
   * A GGUF model file. Tiers without their own `llama` model use it, so one file can serve
   * every tier.
   */
  modelFile: optionalSetting(nonEmptySetting("the path of a .gguf model file")),
  /** A directory of GGUF files; tier `llama` names without a path are looked up there. */
  modelsDir: optionalSetting(nonEmptySetting("a directory of .gguf model files")),
  /** CPU threads per evaluation. Default: the provider's (1). */
  threads: optionalSetting(z.int("expected a whole number").min(1, "must be at least 1").describe("a number of CPU threads, a whole number of at least 1")),
  /** Use a GPU when one is available. Default: the provider's (false). */
  gpu: optionalSetting(z.boolean().describe("true or false")),
  /** Context size in tokens. Default: the model's training size, at most 4096. */
  contextSize: optionalSetting(z.int("expected a whole number").min(1, "must be at least 1").describe("the context size in tokens, a whole number")),
});

/** The `openai:` section (an OpenAI-compatible server). */
export const OpenAISectionSchema = z.strictObject({
  /** The API base URL, usually ending in `/v1`, such as `http://127.0.0.1:8080/v1`. */
  baseUrl: optionalSetting(
    z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://127.0.0.1:8080/v1" })
      .describe("an http(s) URL such as http://127.0.0.1:8080/v1"),
  ),
  /** The API key. Local servers usually need none; prefer the `OPENAI_API_KEY` variable. */
  apiKey: optionalSetting(nonEmptySetting("the API key")),
});

/** The models of one tier: a model per provider, and the model's memory size. */
export const TierModelsSchema = z.strictObject({
  /** The Ollama tag, such as `qwen2.5:3b`. */
  ollama: optionalSetting(nonEmptySetting("an Ollama model tag such as qwen2.5:3b")),
  /**
   * The GGUF file for the `llama` provider: a path (relative to the config file), or a name
   * looked up in `llama.modelsDir`. Unset: `llama.modelFile`.
   */
  llama: optionalSetting(nonEmptySetting("a .gguf file path, or a model name in llama.modelsDir")),
  /** The model id on the OpenAI-compatible server (as listed by `GET /v1/models`). */
  openai: optionalSetting(nonEmptySetting("a model id as listed by the server's GET /v1/models")),
  /** Approximate memory the model takes, in MB (used to decide what fits at once). */
  memoryMB: optionalSetting(z.number("expected a number").positive("must be more than 0").describe("the model's approximate memory size in MB")),
});

/** The `tiers:` section: `T0` to `T3`. */
export const TiersSectionSchema = z.strictObject({
  /** Router (~0.5B): classifies and routes, must be fast. Default Ollama model `qwen2.5:0.5b`. */
  T0: optionalSetting(TierModelsSchema),
  /** Specialist (~3B): focused tasks. Default Ollama model `qwen2.5:3b`. */
  T1: optionalSetting(TierModelsSchema),
  /** Worker (~8B): general work. Default Ollama model `qwen2.5:7b`. */
  T2: optionalSetting(TierModelsSchema),
  /** Judge (~14B): checks and grades the others' work. Default Ollama model `qwen2.5:14b`. */
  T3: optionalSetting(TierModelsSchema),
});

/** The models of one tier, as written in the file. */
export type TierModelsFile = z.infer<typeof TierModelsSchema>;

/** One host of `hosts:`, a fleet of Ollama and OpenAI-compatible servers. */
export const HostSchema = z.strictObject({
  /** A short name for logs and `tinyllm models ps`. Default: the URL's `host:port`. */
  name: optionalSetting(nonEmptySetting("a short name such as gpu0")),
  /** Ollama: the server URL. OpenAI-compatible: the base URL, usually ending in `/v1`. */
  url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://127.0.0.1:11434" }).describe("an http(s) URL"),
  /** `ollama` loads models on demand; `openai` (vLLM, llama-server, LM Studio) serves fixed models. */
  kind: z.enum(["ollama", "openai"], "expected ollama or openai").describe("ollama or openai"),
  /** GPU memory models may use, in MB (0 for a CPU-only host). */
  vramMB: z.number("expected a number of MB").min(0, "must be 0 or more").describe("the GPU memory in MB, such as 8192"),
  /** System memory for models, in MB: on a CPU host (`vramMB: 0`), what `scheduler.cpu` models may use there. */
  ramMB: optionalSetting(z.number("expected a number of MB").min(0, "must be 0 or more").describe("the system memory in MB")),
  /** Free-form labels, such as `gpu: rtx3060`. */
  labels: optionalSetting(z.record(z.string(), z.string("expected a string")).describe("labels such as gpu: rtx3060")),
  /** OpenAI-compatible hosts: the API key (local servers usually need none). */
  apiKey: optionalSetting(nonEmptySetting("the API key")),
  /** OpenAI-compatible hosts: the tiers' Ollama names → this host's model ids, beyond the tiers' `openai` names. */
  models: optionalSetting(z.record(z.string(), nonEmptySetting("a model id")).describe("model name: host model id")),
});

/** The `hosts:` section: the fleet. Unset: one local Ollama (or the provider chosen). */
export const HostsSectionSchema = z
  .array(HostSchema, "expected a list of hosts, each { url, kind, vramMB }")
  .min(1, "list at least one host, or leave `hosts:` out");

/** The `scheduler:` section: how the fleet places models. */
export const SchedulerSectionSchema = z.strictObject({
  /** Tiers (`T0`) or model names kept loaded. Default: the router's T0 model, and the T3 judge when it fits on a GPU beside T0 and leaves T1 and T2 room there or on another GPU. */
  pin: optionalSetting(z.array(nonEmptySetting("a tier such as T0, or a model name"), "expected a list of tiers or model names")),
  /** Tiers or model names loaded at start when they fit. */
  preload: optionalSetting(z.array(nonEmptySetting("a tier such as T1, or a model name"), "expected a list of tiers or model names")),
  /** Tiers or model names run on the CPU hosts (`vramMB: 0` with `ramMB`) when one has room, else on a GPU. */
  cpu: optionalSetting(z.array(nonEmptySetting("a tier such as T0, or a model name"), "expected a list of tiers or model names")),
  /** How much later a batch call ranks than an interactive one that arrived at the same time, in ms (default 60000). */
  batchAgingMs: optionalSetting(z.int("expected a whole number of ms").min(0, "must be 0 or more")),
  /** Load the chosen specialist's model as soon as the router decides (default true). */
  prefetch: optionalSetting(z.boolean("expected true or false")),
  /**
   * Partial offload (default 0: off): a model larger than a GPU whose load would evict a model
   * expected back within this many ms loads beside the models that stay, partly in system
   * memory (Ollama's `num_gpu`).
   */
  offloadHorizonMs: optionalSetting(z.int("expected a whole number of ms").min(0, "must be 0 or more")),
  /** The least share of a model on the GPU for such a partial load (default 0.5). */
  minGpuShare: optionalSetting(z.number("expected a number").gt(0, "must be more than 0").max(1, "must be at most 1")),
  /** How often each host is checked, in ms (default 5000; 0 checks only when a call fails). */
  healthCheckIntervalMs: optionalSetting(z.int("expected a whole number of ms").min(0, "must be 0 or more")),
  /** The `keep_alive` of loaded models that are not pinned (default "30m"). */
  keepAlive: optionalSetting(
    z.union([z.string().regex(durationPattern, 'expected a duration such as "30m"'), z.number()], { error: 'expected a duration such as "30m", or seconds' }),
  ),
});
