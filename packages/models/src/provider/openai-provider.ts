/**
 * The OpenAI-compatible provider, over the official `openai` client. Works with OpenAI and
 * with local servers that speak its API (llama.cpp server, vLLM, LM Studio, Ollama's `/v1`).
 *
 * @module
 */
import OpenAI from "openai";
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { TinyLLMError, mergeAbortSignals } from "@tinyllm/core";
import { createGuardedFetch, IdleTimeoutError, isConnectionLostError, isUnreachableError } from "./guarded-fetch";
import { createAbortedError, createModelError, throwIfAborted } from "./model-error";
import { ModelErrorCode } from "./model-error-codes";
import type { ChatOptions, ChatResult, ChatStreamPart, ModelProvider } from "@tinyllm/core";

/** Options of {@link createOpenAIProvider}. */
export interface OpenAIProviderOptions {
  /** API base URL, ending in `/v1`. Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL?: string;
  /** API key. Default: `OPENAI_API_KEY`, else `"not-needed"` (local servers ignore it). */
  apiKey?: string;
  /**
   * Retries the SDK makes itself on connection errors, 408, 409, 429 and 5xx. Default `0`:
   * TinyLLM retries on its own, guided by `isRetryable`.
   */
  maxRetries?: number;
  /**
   * Longest wait for the response headers and then between two streamed chunks. Default
   * 300000 (5 minutes). `0` disables it.
   */
  idleTimeoutMs?: number;
  /**
   * Name of the output-length parameter. Default `max_tokens`, which local servers accept;
   * OpenAI's reasoning models need `max_completion_tokens`.
   */
  maxTokensParameter?: "max_tokens" | "max_completion_tokens";
  /** Send `strict: true` with `response_format.json_schema`. Default `false`. */
  strictJsonSchema?: boolean;
  /** Extra HTTP headers. */
  headers?: Record<string, string>;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** The OpenAI-compatible provider, a {@link ModelProvider} with `close()`. */
export interface OpenAIProvider extends ModelProvider {
  readonly id: "openai";
  /** The base URL in use. */
  readonly baseURL: string;
  close(): Promise<void>;
}

const providerName = "openai";

/**
 * Creates a provider for OpenAI-compatible HTTP servers through the official `openai` client:
 * `/chat/completions` (plain for `chat`, SSE for `streamChat`), `response_format` with
 * `json_schema`, `/models` and `/embeddings`.
 *
 * Errors are mapped: unreachable server → `MODEL_UNAVAILABLE`, 404 → `MODEL_NOT_FOUND`,
 * 429/5xx and broken streams → retryable `MODEL_REQUEST_FAILED`, abort → `MODEL_ABORTED`.
 * `role: "tool"` messages are sent as user messages (this interface carries no tool call ids).
 *
 * @example
 * ```ts
 * const provider = createOpenAIProvider({ baseURL: "http://127.0.0.1:8080/v1" });
 * const { text } = await provider.chat({ model: "qwen2.5-0.5b", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function createOpenAIProvider(options: OpenAIProviderOptions = {}): OpenAIProvider {
  const baseURL = (options.baseURL ?? process.env.OPENAI_BASE_URL ?? "https://api.openai.com/v1").replace(/\/+$/, "");
  const idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
  const closeController = new AbortController();
  const base = new OpenAI({
    baseURL,
    apiKey: options.apiKey ?? process.env.OPENAI_API_KEY ?? "not-needed",
    maxRetries: options.maxRetries ?? 0,
    defaultHeaders: options.headers,
    // The idle timeout below replaces the SDK's total timeout, which would cut long streams.
    timeout: 24 * 60 * 60 * 1000,
  });

  /** A client for one call: requests abort with `abortSignal`, close(), or the idle timeout. */
  function client(abortSignal?: AbortSignal): { openai: OpenAI; signal: AbortSignal; timedOut: () => boolean } {
    if (closeController.signal.aborted) {
      throw createModelError({
        code: ModelErrorCode.ModelUnavailable,
        message: "The openai provider is closed.",
        hint: "create a new provider with createOpenAIProvider()",
      });
    }
    const signal = mergeAbortSignals(closeController.signal, abortSignal);
    const guarded = createGuardedFetch({ abortSignal: signal, idleTimeoutMs, baseFetch: options.fetch });
    return { openai: base.withOptions({ fetch: guarded.fetch }), signal, timedOut: () => guarded.timedOut };
  }

  function mapError(error: unknown, context: { model?: string; signal: AbortSignal; timedOut: () => boolean; action: string }): TinyLLMError {
    if (TinyLLMError.isInstance(error)) return error;
    if (context.timedOut() || error instanceof IdleTimeoutError) {
      return createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `The server at ${baseURL} sent no data for ${idleTimeoutMs} ms during ${context.action}.`,
        hint: "the server may be overloaded or stuck; try again, or raise idleTimeoutMs",
        isRetryable: true,
        cause: error,
      });
    }
    if (context.signal.aborted || error instanceof OpenAI.APIUserAbortError) {
      return createAbortedError({ provider: providerName, cause: error });
    }
    if (isUnreachableError(error)) {
      return createModelError({
        code: ModelErrorCode.ModelUnavailable,
        message: `The OpenAI-compatible server is not reachable at ${baseURL}: start it, or set baseURL (OPENAI_BASE_URL)`,
        hint: "local servers: `llama-server -m model.gguf --port 8080` serves http://127.0.0.1:8080/v1",
        isRetryable: true,
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof OpenAI.APIError && typeof error.status === "number") {
      const status = error.status;
      if (status === 404) {
        return createModelError({
          code: ModelErrorCode.ModelNotFound,
          message: `The server at ${baseURL} has no model "${context.model ?? "?"}" (HTTP 404: ${message}).`,
          hint: "check the model id against GET /models (listModels()), and that baseURL ends with /v1",
          cause: error,
        });
      }
      return createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `The server at ${baseURL} failed ${context.action} with HTTP ${status}: ${message}`,
        hint:
          status === 401 || status === 403
            ? "set apiKey or OPENAI_API_KEY"
            : status >= 500
              ? "check the server's log; the request may succeed when retried"
              : undefined,
        isRetryable: status >= 500 || status === 429 || status === 408,
        cause: error,
      });
    }
    if (isConnectionLostError(error)) {
      return createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `The connection to ${baseURL} broke before ${context.action} finished: ${message}`,
        hint: "the server may have crashed or restarted; try again",
        isRetryable: true,
        cause: error,
      });
    }
    return createModelError({
      code: ModelErrorCode.ModelRequestFailed,
      message: `The server at ${baseURL} failed ${context.action}: ${message}`,
      isRetryable: error instanceof OpenAI.APIError,
      cause: error,
    });
  }

  function toRequest(chat: ChatOptions): ChatCompletionCreateParamsBase {
    const messages: ChatCompletionMessageParam[] = [];
    if (chat.system) messages.push({ role: "system", content: chat.system });
    for (const message of chat.messages) {
      if (message.role === "tool") {
        messages.push({ role: "user", content: `Result of tool ${message.toolName ?? "call"}:\n${message.content}` });
      } else {
        messages.push({ role: message.role, content: message.content });
      }
    }
    const request: ChatCompletionCreateParamsBase = { model: chat.model, messages };
    if (chat.temperature !== undefined) request.temperature = chat.temperature;
    if (chat.topP !== undefined) request.top_p = chat.topP;
    if (chat.seed !== undefined) request.seed = chat.seed;
    if (chat.maxTokens !== undefined) {
      if (options.maxTokensParameter === "max_completion_tokens") request.max_completion_tokens = chat.maxTokens;
      else request.max_tokens = chat.maxTokens;
    }
    if (chat.stop && chat.stop.length > 0) request.stop = chat.stop;
    if (chat.jsonSchema) {
      request.response_format = {
        type: "json_schema",
        json_schema: { name: "response", schema: chat.jsonSchema, strict: options.strictJsonSchema ?? false },
      };
    }
    return request;
  }

  async function* stream(chat: ChatOptions): AsyncGenerator<ChatStreamPart> {
    const started = performance.now();
    throwIfAborted({ abortSignal: chat.abortSignal, provider: providerName });
    const consumerGone = new AbortController();
    const { openai, timedOut } = client(mergeAbortSignals(consumerGone.signal, chat.abortSignal));
    const callerSignal = mergeAbortSignals(closeController.signal, chat.abortSignal);
    const context = { model: chat.model, signal: callerSignal, timedOut, action: `chat with ${chat.model}` };
    let text = "";
    let firstTokenAt: number | undefined;
    let finishReason: string | undefined;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    let complete = false;
    try {
      const response = await openai.chat.completions.create({
        ...toRequest(chat),
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of response) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content ?? "";
        if (delta.length > 0) {
          firstTokenAt ??= performance.now();
          text += delta;
          yield { type: "text-delta", text: delta };
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
      complete = true;
    } catch (error) {
      throw mapError(error, context);
    } finally {
      if (!complete) consumerGone.abort(new Error("stream consumer stopped reading"));
    }
    // The SDK ends the iteration quietly on abort, and on a stream cut without `[DONE]`.
    if (timedOut()) throw mapError(new IdleTimeoutError(idleTimeoutMs), context);
    if (callerSignal.aborted) throw mapError(callerSignal.reason, context);
    if (!finishReason) {
      throw createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `The stream from ${baseURL} ended before chat with ${chat.model} finished (no finish_reason, no [DONE]).`,
        hint: "the server may have crashed or restarted; try again",
        isRetryable: true,
      });
    }
    yield {
      type: "finish",
      result: {
        text,
        model: chat.model,
        usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 },
        finishReason: toFinishReason(finishReason),
        durationMs: performance.now() - started,
        ...(firstTokenAt !== undefined ? { timeToFirstTokenMs: firstTokenAt - started } : {}),
      },
    };
  }

  const provider: OpenAIProvider = {
    specificationVersion: "v1",
    id: "openai",
    capabilities: { nativeToolCalls: false, jsonSchema: options.strictJsonSchema ?? false, embeddings: true, streaming: true },
    baseURL,

    async chat(chat) {
      const started = performance.now();
      throwIfAborted({ abortSignal: chat.abortSignal, provider: providerName });
      const { openai, signal, timedOut } = client(chat.abortSignal);
      const context = { model: chat.model, signal, timedOut, action: `chat with ${chat.model}` };
      try {
        const completion = await openai.chat.completions.create({ ...toRequest(chat), stream: false });
        const choice = completion.choices[0];
        if (!choice) {
          throw createModelError({
            code: ModelErrorCode.ModelOutputInvalid,
            message: `The server at ${baseURL} returned no choices for ${chat.model}.`,
          });
        }
        return {
          text: choice.message.content ?? "",
          model: chat.model,
          usage: {
            inputTokens: completion.usage?.prompt_tokens ?? 0,
            outputTokens: completion.usage?.completion_tokens ?? 0,
          },
          finishReason: toFinishReason(choice.finish_reason),
          durationMs: performance.now() - started,
        };
      } catch (error) {
        throw mapError(error, context);
      }
    },

    streamChat(chat) {
      return stream(chat);
    },

    async embed({ model, input, abortSignal }) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { openai, signal, timedOut } = client(abortSignal);
      if (input.length === 0) return { embeddings: [], model };
      try {
        const response = await openai.embeddings.create({ model, input, encoding_format: "float" });
        const embeddings = [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
        if (embeddings.length !== input.length) {
          throw createModelError({
            code: ModelErrorCode.ModelOutputInvalid,
            message: `The server at ${baseURL} returned ${embeddings.length} embeddings for ${input.length} inputs.`,
          });
        }
        return { embeddings, model };
      } catch (error) {
        throw mapError(error, { model, signal, timedOut, action: `embedding with ${model}` });
      }
    },

    async listModels({ abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      const { openai, signal, timedOut } = client(abortSignal);
      try {
        const models: Array<{ name: string }> = [];
        for await (const model of openai.models.list()) models.push({ name: model.id });
        return models;
      } catch (error) {
        throw mapError(error, { signal, timedOut, action: "listing models" });
      }
    },

    async close() {
      closeController.abort(new Error("openai provider closed"));
    },
  };
  return provider;
}

function toFinishReason(reason: string | null | undefined): ChatResult["finishReason"] {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    default:
      return "other";
  }
}
