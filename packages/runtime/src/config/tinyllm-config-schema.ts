/**
 * The schema of `tinyllm.yaml`, TinyLLM's configuration file: the model sections of
 * `@tinyllm/models` plus the app's own settings.
 *
 * @module
 */
import { z } from "zod";
import {
  HostsSectionSchema,
  LlamaSectionSchema,
  SchedulerSectionSchema,
  nonEmptySetting as nonEmpty,
  OllamaSectionSchema,
  OpenAISectionSchema,
  optionalSetting as optional,
  providerIds,
  TiersSectionSchema,
} from "@tinyllm/models";

/** The `search:` section: where the `search` tool looks. Unset: no search tool. */
export const SearchSectionSchema = z.strictObject({
  /** A folder of text and markdown files to search locally (BM25). */
  dir: optional(nonEmpty("a folder of .md / .txt files")),
  /** A SearXNG instance with its JSON format enabled, such as `http://127.0.0.1:8888`. */
  searxngUrl: optional(z.url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://127.0.0.1:8888" }).describe("an http(s) URL")),
});

/** The `memory:` section: long-term memory's embedding model. Unset: recall is lexical (BM25). */
export const MemorySectionSchema = z.strictObject({
  /** A model of the provider that writes embeddings (e.g. `nomic-embed-text` on Ollama), fused with BM25 for recall by meaning. */
  embedModel: optional(nonEmpty("an embedding model such as nomic-embed-text")),
});

/** The `server:` section: what `tinyllm serve` listens on, its API keys, CORS origins and limits. */
export const ServerSectionSchema = z.strictObject({
  host: optional(nonEmpty("an address such as 127.0.0.1")),
  port: optional(z.int("expected a port number").min(0).max(65535).describe("a port number")),
  apiKeys: optional(z.array(nonEmpty("a key")).describe("a list of API keys")),
  corsOrigins: optional(z.array(nonEmpty("an origin such as http://localhost:3000")).describe("a list of origins")),
  limits: optional(
    z.strictObject({
      maxBodyBytes: optional(z.int().min(1)),
      maxQueryChars: optional(z.int().min(1)),
      maxConcurrentPerKey: optional(z.int().min(1)),
      maxQueuedPerKey: optional(z.int().min(0)),
      maxQueueWaitMs: optional(z.int().min(1)),
      requestDeadlineMs: optional(z.int().min(1)),
      maxTokensPerCall: optional(z.int().min(1)),
    }),
  ),
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
  /**
   * The fleet: several Ollama and OpenAI-compatible servers, each `{ url, kind, vramMB }`, whose
   * models the scheduler places. Unset: one provider (a local Ollama by default).
   */
  hosts: optional(HostsSectionSchema),
  /** How the fleet places models: pins, preloads, priorities, prefetch, health checks. */
  scheduler: optional(SchedulerSectionSchema),
  /** Where the `search` tool looks: a local folder or a SearXNG instance. */
  search: optional(SearchSectionSchema),
  /** What `tinyllm serve` listens on, its API keys, CORS origins and limits. */
  server: optional(ServerSectionSchema),
  /** Long-term memory's embedding model. */
  memory: optional(MemorySectionSchema),
  /** The default graph file. */
  graph: optional(nonEmpty("the path of a graph .yaml file")),
  /** The directory of prompt files. */
  promptsDir: optional(nonEmpty("a directory of prompt files")),
  /** Where downloaded GGUF models are cached. Default `~/.cache/tinyllm/models` (honours `XDG_CACHE_HOME`). */
  cacheDir: optional(nonEmpty("a directory for downloaded .gguf models")),
});

/** The content of a `tinyllm.yaml` file, as validated by {@link TinyLLMConfigSchema}. */
export type TinyLLMConfigFile = z.infer<typeof TinyLLMConfigSchema>;

/**
 * The JSON Schema (draft 2020-12) of `tinyllm.yaml`, for editors: save it and point
 * `# yaml-language-server: $schema=<file>` at it.
 */
export function tinyLLMConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TinyLLMConfigSchema) as Record<string, unknown>;
}
