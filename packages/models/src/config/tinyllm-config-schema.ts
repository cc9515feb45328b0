/**
 * The schema of `tinyllm.yaml`, TinyLLM's configuration file.
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
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

const nonEmpty = (description: string) => z.string().min(1, "must not be empty").describe(description);

/** The `ollama:` section. */
export const OllamaSectionSchema = z.strictObject({
  /**
   * Ollama server address: `http://host:port`, or what `OLLAMA_HOST` accepts (`host`,
   * `host:port`, `:port`). Default `http://127.0.0.1:11434`.
   */
  host: optional(
    z
      .string()
      .refine((value) => parseOllamaHost(value) !== undefined, "expected an Ollama server address such as http://127.0.0.1:11434 or localhost:11434")
      .describe("the Ollama server address, such as http://127.0.0.1:11434"),
  ),
  /**
   * How long Ollama keeps a model loaded after a request: a duration (`"5m"`, `"1h30m"`) or a
   * number of seconds (`-1` keeps it loaded, `0` unloads it at once). Default: the server's.
   */
  keepAlive: optional(
    z
      .union([
        z.string().regex(durationPattern, 'expected a duration such as "5m" or "1h30m", or a number of seconds'),
        z.number(),
      ], { error: 'expected a duration such as "5m" or "1h30m", or a number of seconds' })
      .describe('a duration such as "5m" or "1h30m", or seconds (-1 keeps the model loaded)'),
  ),
});

/** The `llama:` section (embedded llama.cpp). */
export const LlamaSectionSchema = z.strictObject({
  /**
   * A GGUF model file. Tiers without their own `llama` model use it, so one file can serve
   * every tier.
   */
  modelFile: optional(nonEmpty("the path of a .gguf model file")),
  /** A directory of GGUF files; tier `llama` names without a path are looked up there. */
  modelsDir: optional(nonEmpty("a directory of .gguf model files")),
  /** CPU threads per evaluation. Default: the provider's (1). */
  threads: optional(z.int("expected a whole number").min(1, "must be at least 1").describe("a number of CPU threads, a whole number of at least 1")),
  /** Use a GPU when one is available. Default: the provider's (false). */
  gpu: optional(z.boolean().describe("true or false")),
  /** Context size in tokens. Default: the model's training size, at most 4096. */
  contextSize: optional(z.int("expected a whole number").min(1, "must be at least 1").describe("the context size in tokens, a whole number")),
});

/** The `openai:` section (an OpenAI-compatible server). */
export const OpenAISectionSchema = z.strictObject({
  /** The API base URL, usually ending in `/v1`, such as `http://127.0.0.1:8080/v1`. */
  baseUrl: optional(
    z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://127.0.0.1:8080/v1" })
      .describe("an http(s) URL such as http://127.0.0.1:8080/v1"),
  ),
  /** The API key. Local servers usually need none; prefer the `OPENAI_API_KEY` variable. */
  apiKey: optional(nonEmpty("the API key")),
});

/** The `search:` section: where the `search` tool looks. Unset: no search tool. */
export const SearchSectionSchema = z.strictObject({
  /** A folder of text and markdown files to search locally (BM25). */
  dir: optional(nonEmpty("a folder of .md / .txt files")),
  /** A SearXNG instance with its JSON format enabled, such as `http://127.0.0.1:8888`. */
  searxngUrl: optional(z.url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://127.0.0.1:8888" }).describe("an http(s) URL")),
});

/** The models of one tier: a model per provider, and the model's memory size. */
export const TierModelsSchema = z.strictObject({
  /** The Ollama tag, such as `qwen2.5:3b`. */
  ollama: optional(nonEmpty("an Ollama model tag such as qwen2.5:3b")),
  /**
   * The GGUF file for the `llama` provider: a path (relative to the config file), or a name
   * looked up in `llama.modelsDir`. Unset: `llama.modelFile`.
   */
  llama: optional(nonEmpty("a .gguf file path, or a model name in llama.modelsDir")),
  /** The model id on the OpenAI-compatible server (as listed by `GET /v1/models`). */
  openai: optional(nonEmpty("a model id as listed by the server's GET /v1/models")),
  /** Approximate memory the model takes, in MB (used to decide what fits at once). */
  memoryMB: optional(z.number("expected a number").positive("must be more than 0").describe("the model's approximate memory size in MB")),
});

/** The `tiers:` section: `T0` to `T3`. */
export const TiersSectionSchema = z.strictObject({
  /** Router (~0.5B): classifies and routes, must be fast. Default Ollama model `qwen2.5:0.5b`. */
  T0: optional(TierModelsSchema),
  /** Specialist (~3B): focused tasks. Default Ollama model `qwen2.5:3b`. */
  T1: optional(TierModelsSchema),
  /** Worker (~8B): general work. Default Ollama model `qwen2.5:7b`. */
  T2: optional(TierModelsSchema),
  /** Judge (~14B): checks and grades the others' work. Default Ollama model `qwen2.5:14b`. */
  T3: optional(TierModelsSchema),
});

/**
 * The schema of `tinyllm.yaml`. Every key is optional, unknown keys are errors and an empty
 * value (`key:` with nothing after it) counts as not set. Relative paths resolve against the
 * file's directory (see `loadConfig`). The schema only validates: it has no defaults or
 * transforms, so it converts to JSON Schema (see {@link tinyLLMConfigJsonSchema}).
 */
export const TinyLLMConfigSchema = z.strictObject({
  /** The provider that runs the models. Unset: detected at run time. */
  provider: optional(z.enum(providerIds, "expected one of: ollama, llama, openai").describe("ollama, llama or openai")),
  /** Ollama settings. */
  ollama: optional(OllamaSectionSchema),
  /** Embedded llama.cpp settings. */
  llama: optional(LlamaSectionSchema),
  /** OpenAI-compatible server settings. */
  openai: optional(OpenAISectionSchema),
  /** The model of each tier, per provider. Merged key by key over the defaults. */
  tiers: optional(TiersSectionSchema),
  /** Where the `search` tool looks: a local folder or a SearXNG instance. */
  search: optional(SearchSectionSchema),
  /** The default graph file. */
  graph: optional(nonEmpty("the path of a graph .yaml file")),
  /** The directory of prompt files. */
  promptsDir: optional(nonEmpty("a directory of prompt files")),
  /** Where downloaded GGUF models are cached. Default `~/.cache/tinyllm/models` (honours `XDG_CACHE_HOME`). */
  cacheDir: optional(nonEmpty("a directory for downloaded .gguf models")),
});

/** The content of a `tinyllm.yaml` file, as validated by {@link TinyLLMConfigSchema}. */
export type TinyLLMConfigFile = z.infer<typeof TinyLLMConfigSchema>;

/** The models of one tier, as written in the file. */
export type TierModelsFile = z.infer<typeof TierModelsSchema>;

/**
 * The JSON Schema (draft 2020-12) of `tinyllm.yaml`, for editors: save it and point
 * `# yaml-language-server: $schema=<file>` at it.
 */
export function tinyLLMConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TinyLLMConfigSchema) as Record<string, unknown>;
}
