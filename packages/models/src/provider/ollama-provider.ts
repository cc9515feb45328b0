/**
 * The Ollama provider, over the official `ollama` client.
 *
 * @module
 */
import { Ollama, type ChatRequest, type ChatResponse, type Message } from "ollama";
import { TinyLLMError, mergeAbortSignals } from "@tinyllm/core";
import { createGuardedFetch, IdleTimeoutError, isConnectionLostError, isUnreachableError } from "./guarded-fetch";
import { createAbortedError, createModelError, throwIfAborted } from "./model-error";
import { ModelErrorCode } from "./model-error-codes";
import type { ChatOptions, ChatResult, ChatStreamPart, ModelInfo, ModelProvider, ToolCall } from "@tinyllm/core";
import { defaultOllamaHost, parseOllamaHost } from "../config/parse-ollama-host";

/** Options of {@link createOllamaProvider}. */
export interface OllamaProviderOptions {
  /** Server URL. Default: `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  host?: string;
  /** How long Ollama keeps a model loaded after a call (`"5m"`, seconds, `-1` forever, `0` unload). */
  keepAlive?: string | number;
  /**
   * Longest wait for the first byte and then between two streamed chunks. Default 300000
   * (5 minutes: Ollama may be loading a large model). `0` disables it.
   */
  idleTimeoutMs?: number;
  /** Extra HTTP headers, e.g. for a proxy. */
  headers?: Record<string, string>;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** A model Ollama currently holds in memory (`ollama ps`). */
export interface OllamaRunningModel extends ModelInfo {
  /** Bytes of the model in GPU memory. */
  vramBytes?: number;
  /** When Ollama unloads the model, ISO 8601. */
  expiresAt?: string;
}

/** What Ollama reports about one model (`ollama show`). */
export interface OllamaModelDetails extends ModelInfo {
  /** Prompt template of the model. */
  template?: string;
  /** Modelfile `PARAMETER` lines. */
  parameters?: string;
  /** Features, e.g. `completion`, `embedding`, `tools`. */
  capabilities?: string[];
  /** Raw `model_info` (GGUF metadata) as Ollama returns it. */
  modelInfo?: Record<string, unknown>;
}

/** One progress report of {@link OllamaProvider.pull}. */
export interface OllamaPullProgress {
  status: string;
  digest?: string;
  totalBytes?: number;
  completedBytes?: number;
}

/** The Ollama provider: a {@link ModelProvider} plus Ollama's model management calls. */
export interface OllamaProvider extends ModelProvider {
  readonly id: "ollama";
  /** The server URL in use. */
  readonly host: string;
  /** Models loaded in memory right now. */
  ps(options?: { abortSignal?: AbortSignal }): Promise<OllamaRunningModel[]>;
  /**
   * Loads a model now and keeps it for `keepAlive` (Ollama's empty-prompt preload), or with
   * `keepAlive: 0` unloads it (Ollama's unload). `gpuLayers` loads it with that many layers on
   * the GPU (`num_gpu`); a later call that sends another value makes Ollama load it again.
   */
  keepLoaded(name: string, options: { keepAlive: string | number; gpuLayers?: number; abortSignal?: AbortSignal }): Promise<void>;
  /** Details of one model; `MODEL_NOT_FOUND` when Ollama lacks it. */
  show(name: string, options?: { abortSignal?: AbortSignal }): Promise<OllamaModelDetails>;
  /** Downloads a model, reporting streamed progress. Resolves on `success`. */
  pull(name: string, options?: { onProgress?: (progress: OllamaPullProgress) => void; abortSignal?: AbortSignal }): Promise<{ status: string }>;
  close(): Promise<void>;
}

/** Ollama's default address. */
export { defaultOllamaHost };

const providerName = "ollama";

/**
 * Creates a provider that talks to an Ollama server through the official `ollama` client.
 * Errors are mapped: unreachable server → `MODEL_UNAVAILABLE`, unknown model →
 * `MODEL_NOT_FOUND` (with the `ollama pull` command), 5xx and broken streams →
 * retryable `MODEL_REQUEST_FAILED`, abort → `MODEL_ABORTED`.
 *
 * Chat calls always stream internally, so `timeToFirstTokenMs` is measured and a stalled or
 * cut connection is noticed (see `idleTimeoutMs`).
 *
 * @example
 * ```ts
 * const ollama = createOllamaProvider({ keepAlive: "10m" });
 * const { text } = await ollama.chat({ model: "qwen2.5:0.5b", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function createOllamaProvider(options: OllamaProviderOptions = {}): OllamaProvider {
  const host = normalizeOllamaHost(options.host ?? process.env.OLLAMA_HOST ?? defaultOllamaHost);
  const idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
  const closeController = new AbortController();

  /** A client whose every request is bound to `abortSignal` and the idle timeout. */
  function client(abortSignal?: AbortSignal): { ollama: Ollama; timedOut: () => boolean; signal: AbortSignal } {
    if (closeController.signal.aborted) {
      throw createModelError({
        code: ModelErrorCode.ModelUnavailable,
        message: "The ollama provider is closed.",
        hint: "create a new provider with createOllamaProvider()",
      });
    }
    const signal = mergeAbortSignals(closeController.signal, abortSignal);
    const guarded = createGuardedFetch({ abortSignal: signal, idleTimeoutMs, baseFetch: options.fetch });
    const ollama = new Ollama({ host, fetch: guarded.fetch, headers: options.headers });
    return { ollama, timedOut: () => guarded.timedOut, signal };
  }

  function mapError(
    error: unknown,
    context: { model?: string; signal?: AbortSignal; timedOut?: () => boolean; action: string; pulling?: boolean },
  ): TinyLLMError {
    if (TinyLLMError.isInstance(error)) return error;
    if (context.timedOut?.() || error instanceof IdleTimeoutError) {
      return createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `Ollama at ${host} sent no data for ${idleTimeoutMs} ms during ${context.action}.`,
        hint: "the server may be overloaded or stuck; try again, or raise idleTimeoutMs",
        isRetryable: true,
        cause: error,
      });
    }
    if (context.signal?.aborted) return createAbortedError({ provider: providerName, cause: error });
    if (isUnreachableError(error)) {
      return createModelError({
        code: ModelErrorCode.ModelUnavailable,
        message: `Ollama is not reachable at ${host}: start it with \`ollama serve\`, or set OLLAMA_HOST`,
        hint: "install Ollama from https://ollama.com if it is missing",
        isRetryable: true,
        cause: error,
      });
    }
    const status = (error as { status_code?: unknown }).status_code;
    const message = error instanceof Error ? error.message : String(error);
    if (context.pulling && (status === 404 || /not found|file does not exist/i.test(message))) {
      return createModelError({
        code: ModelErrorCode.ModelNotFound,
        message: `Ollama at ${host} cannot pull "${context.model}": the registry has no such model (${message}).`,
        hint: "check the name and tag at https://ollama.com/library",
        cause: error,
      });
    }
    if (status === 404 || /not found|file does not exist/i.test(message)) {
      const model = context.model ?? "the model";
      return createModelError({
        code: ModelErrorCode.ModelNotFound,
        message: `Ollama at ${host} has no model "${model}": run \`ollama pull ${model}\``,
        hint: "or pick an installed model from `ollama list`",
        cause: error,
      });
    }
    if (status === 400 && /does not support tools/i.test(message)) {
      return createModelError({
        code: ModelErrorCode.ModelToolsUnsupported,
        message: `Ollama's model "${context.model ?? "?"}" does not take native tool calls: ${message}`,
        hint: "use a model with tool support (e.g. qwen2.5), or let TinyLLM use its JSON tool protocol",
        cause: error,
      });
    }
    if (typeof status === "number") {
      return createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `Ollama at ${host} failed ${context.action} with HTTP ${status}: ${message}`,
        hint: status >= 500 ? "check the Ollama server log (`journalctl -u ollama` or the terminal running `ollama serve`)" : undefined,
        isRetryable: status >= 500 || status === 429,
        cause: error,
      });
    }
    if (isConnectionLostError(error) || /did not receive done/i.test(message)) {
      return createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `The connection to Ollama at ${host} broke before ${context.action} finished: ${message}`,
        hint: "Ollama may have crashed or restarted; try again",
        isRetryable: true,
        cause: error,
      });
    }
    return createModelError({
      code: ModelErrorCode.ModelRequestFailed,
      message: `Ollama at ${host} failed ${context.action}: ${message}`,
      isRetryable: true,
      cause: error,
    });
  }

  async function* stream(chat: ChatOptions): AsyncGenerator<ChatStreamPart> {
    const started = performance.now();
    throwIfAborted({ abortSignal: chat.abortSignal, provider: providerName });
    // Aborted when the consumer stops reading early, so the server stops generating.
    const consumerGone = new AbortController();
    const { ollama, timedOut } = client(mergeAbortSignals(consumerGone.signal, chat.abortSignal));
    // Only the caller's abort and close() count as MODEL_ABORTED.
    const callerSignal = mergeAbortSignals(closeController.signal, chat.abortSignal);
    const context = { model: chat.model, signal: callerSignal, timedOut, action: `chat with ${chat.model}` };
    let text = "";
    let firstTokenAt: number | undefined;
    let final: ChatResponse | undefined;
    const toolCalls: ToolCall[] = [];
    try {
      const response = await ollama.chat({ ...toChatRequest(chat, chat.keepAlive ?? options.keepAlive), stream: true });
      for await (const part of response) {
        for (const call of part.message?.tool_calls ?? []) toolCalls.push({ name: call.function.name, arguments: call.function.arguments });
        const delta = part.message?.content ?? "";
        if (delta.length > 0) {
          firstTokenAt ??= performance.now();
          text += delta;
          yield { type: "text-delta", text: delta };
        }
        if (part.done) {
          final = part;
          break;
        }
      }
    } catch (error) {
      throw mapError(error, context);
    } finally {
      if (!final) consumerGone.abort(new Error("stream consumer stopped reading"));
    }
    if (!final) throw mapError(new Error("Did not receive done response in stream."), context);
    const result: ChatResult = {
      text,
      model: chat.model,
      usage: { inputTokens: final.prompt_eval_count ?? 0, outputTokens: final.eval_count ?? 0 },
      finishReason: toFinishReason(final.done_reason),
      durationMs: performance.now() - started,
      ...(firstTokenAt !== undefined ? { timeToFirstTokenMs: firstTokenAt - started } : {}),
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
    };
    yield { type: "finish", result };
  }

  const provider: OllamaProvider = {
    specificationVersion: "v1",
    id: "ollama",
    capabilities: { nativeToolCalls: true, jsonSchema: true, embeddings: true, streaming: true },
    host,

    async chat(chat) {
      for await (const part of stream(chat)) {
        if (part.type === "finish") return part.result;
      }
      throw mapError(new Error("Did not receive done response in stream."), { model: chat.model, action: `chat with ${chat.model}` });
    },

    streamChat(chat) {
      return stream(chat);
    },

    async embed({ model, input, gpuLayers, abortSignal }) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { ollama, timedOut, signal } = client(abortSignal);
      if (input.length === 0) return { embeddings: [], model };
      try {
        const response = await ollama.embed({
          model,
          input,
          ...(options.keepAlive !== undefined ? { keep_alive: options.keepAlive } : {}),
          ...(gpuLayers !== undefined ? { options: { num_gpu: gpuLayers } } : {}),
        });
        if (!Array.isArray(response.embeddings) || response.embeddings.length !== input.length) {
          throw createModelError({
            code: ModelErrorCode.ModelOutputInvalid,
            message: `Ollama returned ${response.embeddings?.length ?? 0} embeddings for ${input.length} inputs.`,
          });
        }
        return { embeddings: response.embeddings, model };
      } catch (error) {
        throw mapError(error, { model, signal, timedOut, action: `embedding with ${model}` });
      }
    },

    async listModels({ abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { ollama, timedOut, signal } = client(abortSignal);
      try {
        const { models } = await ollama.list();
        return models.map((model) => ({
          name: model.name,
          sizeBytes: model.size,
          ...details(model.details),
        }));
      } catch (error) {
        throw mapError(error, { signal, timedOut, action: "listing models" });
      }
    },

    async keepLoaded(name, { keepAlive, gpuLayers, abortSignal }) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { ollama, timedOut, signal } = client(abortSignal);
      try {
        await ollama.generate({
          model: name,
          prompt: "",
          keep_alive: keepAlive,
          stream: false,
          ...(gpuLayers !== undefined ? { options: { num_gpu: gpuLayers } } : {}),
        });
      } catch (error) {
        throw mapError(error, { model: name, signal, timedOut, action: `${keepAlive === 0 ? "unloading" : "loading"} ${name}` });
      }
    },

    async ps({ abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { ollama, timedOut, signal } = client(abortSignal);
      try {
        const { models } = await ollama.ps();
        return models.map((model) => ({
          name: model.name,
          sizeBytes: model.size,
          vramBytes: model.size_vram,
          expiresAt: model.expires_at ? new Date(model.expires_at).toISOString() : undefined,
          ...details(model.details),
        }));
      } catch (error) {
        throw mapError(error, { signal, timedOut, action: "listing running models" });
      }
    },

    async show(name, { abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { ollama, timedOut, signal } = client(abortSignal);
      try {
        const response = await ollama.show({ model: name });
        return {
          name,
          ...details(response.details),
          template: response.template,
          parameters: response.parameters,
          capabilities: response.capabilities,
          modelInfo: response.model_info as unknown as Record<string, unknown> | undefined,
        };
      } catch (error) {
        throw mapError(error, { model: name, signal, timedOut, action: `showing ${name}` });
      }
    },

    async pull(name, { onProgress, abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { ollama, timedOut, signal } = client(abortSignal);
      const context = { model: name, signal, timedOut, action: `pulling ${name}`, pulling: true };
      try {
        const progress = await ollama.pull({ model: name, stream: true });
        for await (const part of progress) {
          onProgress?.({
            status: part.status,
            ...(part.digest ? { digest: part.digest } : {}),
            ...(typeof part.total === "number" ? { totalBytes: part.total } : {}),
            ...(typeof part.completed === "number" ? { completedBytes: part.completed } : {}),
          });
          if (part.status === "success") return { status: "success" };
        }
      } catch (error) {
        throw mapError(error, context);
      }
      if (signal.aborted) throw mapError(signal.reason, context);
      throw mapError(new Error("Did not receive success response in stream."), context);
    },

    async close() {
      closeController.abort(new Error("ollama provider closed"));
    },
  };
  return provider;
}

function toChatRequest(chat: ChatOptions, keepAlive: string | number | undefined): ChatRequest {
  const messages: Message[] = [];
  if (chat.system) messages.push({ role: "system", content: chat.system });
  for (const message of chat.messages) {
    messages.push({
      role: message.role,
      content: message.content,
      ...(message.role === "tool" && message.toolName ? { tool_name: message.toolName } : {}),
      ...(message.toolCalls && message.toolCalls.length > 0
        ? { tool_calls: message.toolCalls.map((c) => ({ function: { name: c.name, arguments: (c.arguments ?? {}) as Record<string, unknown> } })) }
        : {}),
    });
  }
  const modelOptions: NonNullable<ChatRequest["options"]> = {};
  if (chat.temperature !== undefined) modelOptions.temperature = chat.temperature;
  if (chat.topP !== undefined) modelOptions.top_p = chat.topP;
  if (chat.seed !== undefined) modelOptions.seed = chat.seed;
  if (chat.maxTokens !== undefined) modelOptions.num_predict = chat.maxTokens;
  if (chat.stop && chat.stop.length > 0) modelOptions.stop = chat.stop;
  if (chat.gpuLayers !== undefined) modelOptions.num_gpu = chat.gpuLayers;
  return {
    model: chat.model,
    messages,
    ...(Object.keys(modelOptions).length > 0 ? { options: modelOptions } : {}),
    ...(chat.jsonSchema ? { format: chat.jsonSchema } : {}),
    ...(chat.tools && chat.tools.length > 0
      ? { tools: chat.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters as never } })) }
      : {}),
    ...(keepAlive !== undefined ? { keep_alive: keepAlive } : {}),
  };
}

function details(value: { family?: string; parameter_size?: string; quantization_level?: string } | undefined): Partial<ModelInfo> {
  if (!value) return {};
  return {
    ...(value.family ? { family: value.family } : {}),
    ...(value.parameter_size ? { parameterSize: value.parameter_size } : {}),
    ...(value.quantization_level ? { quantization: value.quantization_level } : {}),
  };
}

function toFinishReason(reason: string | undefined): ChatResult["finishReason"] {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    default:
      return "other";
  }
}

/**
 * Adds the scheme and default port the way the `ollama` client and CLI read `OLLAMA_HOST`:
 * `localhost` → `http://localhost:11434`, `:8080` → `http://127.0.0.1:8080`.
 */
export function normalizeOllamaHost(host: string): string {
  const parsed = parseOllamaHost(host);
  if (parsed === undefined) throw new TypeError(`'${host}' is not an http(s) address`);
  return parsed;
}
