/**
 * The one interface every model backend implements. Treat any change to it as breaking and
 * bump {@link ModelProvider.specificationVersion}.
 *
 * @module
 */

/** A chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** For `role: "tool"`: the tool whose result this is. */
  toolName?: string;
  /** For `role: "assistant"`: the tool calls the model made (native tool calling). */
  toolCalls?: ToolCall[];
}

/** A tool a model may call natively (Ollama `tools`): name, description, JSON schema. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the tool's arguments. */
  parameters: Record<string, unknown>;
}

/** One tool call a model made. */
export interface ToolCall {
  name: string;
  arguments: unknown;
}

/** Sampling and request options shared by every chat call. */
export interface ChatOptions {
  /** Model name as the provider knows it (Ollama tag, GGUF path or file name, OpenAI model id). */
  model: string;
  messages: ChatMessage[];
  /** A system prompt, placed before `messages`. */
  system?: string;
  temperature?: number;
  topP?: number;
  seed?: number;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  stop?: string[];
  /**
   * Constrain the answer to this JSON schema (Ollama `format`, a llama.cpp grammar, OpenAI
   * `response_format`). The text of the answer is then JSON.
   */
  jsonSchema?: Record<string, unknown>;
  /**
   * Tools the model may call natively (Ollama). Providers without native tool calling ignore
   * it; `runToolLoop` uses its JSON protocol with them.
   */
  tools?: ToolSpec[];
  /**
   * How long the backend keeps the model loaded after this call, as Ollama's `keep_alive`
   * takes it (`"5m"`, seconds, `-1` forever, `0` unload now). Providers that hold models
   * themselves, or cannot unload them, ignore it.
   */
  keepAlive?: string | number;
  /**
   * How many of the model's layers the backend puts on the GPU, the rest staying in system
   * memory (Ollama's `num_gpu`). A scheduler sets it to load a model partly offloaded beside
   * others; providers that place models themselves ignore it.
   */
  gpuLayers?: number;
  abortSignal?: AbortSignal;
}

/** Token counts of one call. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** The outcome of one chat call. */
export interface ChatResult {
  text: string;
  model: string;
  usage: TokenUsage;
  finishReason: "stop" | "length" | "abort" | "error" | "other";
  /** Wall time of the call. */
  durationMs: number;
  /** Time until the first token arrived, when streamed or measurable. */
  timeToFirstTokenMs?: number;
  /** Tool calls the model made (native tool calling only). */
  toolCalls?: ToolCall[];
}

/** Parts of a streamed chat answer, a tagged union. */
export type ChatStreamPart = { type: "text-delta"; text: string } | { type: "finish"; result: ChatResult };

/** Options of an embedding call. */
export interface EmbedOptions {
  model: string;
  input: string[];
  /** As {@link ChatOptions.gpuLayers}: the model's layers on the GPU, should the call load it. */
  gpuLayers?: number;
  abortSignal?: AbortSignal;
}

/** What a provider reports about one model. */
export interface ModelInfo {
  name: string;
  /** Size on disk or in memory, in bytes, when known. */
  sizeBytes?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
}

/**
 * What a provider can do. Callers read these instead of guessing from the provider's id or from
 * error messages.
 */
export interface ProviderCapabilities {
  /** `tools` reach the model and its `toolCalls` come back (e.g. Ollama's `tools`). Without it, callers use a JSON protocol. */
  readonly nativeToolCalls: boolean;
  /** `jsonSchema` constrains decoding (a grammar, structured outputs), so the answer always parses; otherwise it is a request the model may ignore. */
  readonly jsonSchema: boolean;
  /** `embed` works. */
  readonly embeddings: boolean;
  /** `streamChat` yields text as it is generated; otherwise it yields the whole text at the end. */
  readonly streaming: boolean;
}

/**
 * A model backend. Implementations: Ollama, embedded llama.cpp, OpenAI-compatible HTTP.
 * Every method honours `abortSignal` and throws only {@link @tinyllm/core!TinyLLMError}s.
 */
export interface ModelProvider {
  readonly specificationVersion: "v1";
  /** Provider id: `ollama`, `llama`, `openai`, or a custom one. */
  readonly id: string;
  /** What this provider can do. */
  readonly capabilities: ProviderCapabilities;
  /** One chat completion. */
  chat(options: ChatOptions): Promise<ChatResult>;
  /** A chat completion streamed as parts; the last part is `finish`. */
  streamChat(options: ChatOptions): AsyncIterable<ChatStreamPart>;
  /** Embeddings, one vector per input. */
  embed(options: EmbedOptions): Promise<{ embeddings: number[][]; model: string }>;
  /**
   * How many tokens a chat request's prompt takes, and the model's context size, without
   * generating. Optional: providers that cannot tell leave it out, and callers then assume the
   * prompt fits.
   */
  countTokens?(options: Pick<ChatOptions, "model" | "messages" | "system" | "abortSignal">): Promise<{ inputTokens: number; contextTokens: number }>;
  /** Models the provider can serve. */
  listModels(options?: { abortSignal?: AbortSignal }): Promise<ModelInfo[]>;
  /** Releases resources (loaded models, sockets). Safe to call twice. */
  close?(): Promise<void>;
}
