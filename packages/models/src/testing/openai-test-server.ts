/**
 * A loopback HTTP server that speaks the OpenAI API (chat completions with SSE, models,
 * embeddings), backed by a real (tiny) model, with injectable faults.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ChatMessage, ChatOptions, ChatResult, ChatStreamPart, ModelProvider } from "@tinyllm/core";
import {
  clientGoneSignal,
  closeHttpServer,
  cutResponse,
  fakeTextStream,
  HttpError,
  listenOnLoopback,
  pause,
  readJsonBody,
  resolveBackingModel,
  sendJson,
  type RecordedRequest,
} from "./http-test-utils";
import { FaultState, invalidJsonAnswer, type TestServerFault } from "./test-server-fault";

/** Options of {@link startOpenAITestServer}. */
export interface OpenAITestServerOptions {
  /**
   * The provider that generates answers. Default: the embedded llama provider on
   * `resolveTestModel()` with one thread, closed with the server.
   */
  provider?: ModelProvider;
  /** Model name to pass to `provider`; required with `provider`. */
  providerModel?: string;
  /** The model id the server serves. Default `tinyllm-test`. */
  modelName?: string;
  /** When set, requests must send `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
}

/** A running {@link startOpenAITestServer}. */
export interface OpenAITestServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly baseURL: string;
  /** The served model id. */
  readonly modelName: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Injects a fault into the following requests; `undefined` clears it. */
  setFault(fault: TestServerFault | undefined): void;
  /** Stops the server, drops open connections, and closes the provider it created. */
  close(): Promise<void>;
}

type CutFault = Extract<TestServerFault, { kind: "cut-stream" }>;

/**
 * Starts an OpenAI-compatible server on 127.0.0.1 (random port) serving
 * `POST /v1/chat/completions` (JSON, or SSE `data: {...}` events ending in `data: [DONE]`,
 * `stream_options.include_usage`, `response_format` `json_object`/`json_schema`),
 * `GET /v1/models`, `GET /v1/models/{id}` and `POST /v1/embeddings` (float or base64), with
 * OpenAI's error bodies. Faults from {@link OpenAITestServer.setFault} apply to every endpoint.
 *
 * @example
 * ```ts
 * const server = await startOpenAITestServer();
 * const provider = createOpenAIProvider({ baseURL: server.baseURL });
 * await server.close();
 * ```
 */
export async function startOpenAITestServer(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const backing = await resolveBackingModel(options);
  const modelName = options.modelName ?? "tinyllm-test";
  const faults = new FaultState();
  const requests: RecordedRequest[] = [];
  const created = Math.floor(Date.now() / 1000);
  const modelObject = { id: modelName, object: "model", created, owned_by: "tinyllm" };

  const apiError = (response: ServerResponse, status: number, message: string, type: string, code: string | null = null): void =>
    sendJson(response, status, { error: { message, type, param: null, code } });
  const modelNotFound = (response: ServerResponse, name: unknown): void =>
    apiError(
      response,
      404,
      `The model \`${typeof name === "string" ? name : ""}\` does not exist or you do not have access to it.`,
      "invalid_request_error",
      "model_not_found",
    );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "");
    const body = request.method === "POST" ? await readJsonBody(request) : undefined;
    requests.push({ method: request.method ?? "GET", path, ...(body !== undefined ? { body } : {}) });

    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return apiError(response, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    const gone = clientGoneSignal(response);
    const fault = faults.take(() => true);
    if (fault?.kind === "slow-first-byte") {
      await pause({ delayMs: fault.delayMs, abortSignal: gone });
      if (gone.aborted) return;
    }
    if (fault?.kind === "server-error") {
      return apiError(response, fault.status ?? 500, fault.message ?? "The server had an error while processing your request.", "server_error");
    }
    const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (fault?.kind === "model-not-found") return modelNotFound(response, record.model ?? path.split("/").pop());
    const cut = fault?.kind === "cut-stream" ? fault : undefined;

    const route = `${request.method} ${path}`;
    if (route === "GET /v1/models") return sendJson(response, 200, { object: "list", data: [modelObject] });
    if (request.method === "GET" && path.startsWith("/v1/models/")) {
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      return id === modelName ? sendJson(response, 200, modelObject) : modelNotFound(response, id);
    }
    if (route === "POST /v1/embeddings") {
      if (record.model !== modelName) return modelNotFound(response, record.model);
      const input = typeof record.input === "string" ? [record.input] : ((record.input as string[] | undefined) ?? []);
      const { embeddings } = await backing.provider.embed({ model: backing.providerModel, input, abortSignal: gone });
      const base64 = record.encoding_format === "base64";
      const tokens = input.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
      return sendJson(response, 200, {
        object: "list",
        data: embeddings.map((embedding, index) => ({
          object: "embedding",
          index,
          embedding: base64 ? Buffer.from(new Float32Array(embedding).buffer).toString("base64") : embedding,
        })),
        model: modelName,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    if (route === "POST /v1/chat/completions") {
      if (record.model !== modelName) return modelNotFound(response, record.model);
      return completions({ record, response, gone, cut, invalidJson: fault?.kind === "invalid-json" });
    }
    return apiError(response, 404, `Unknown request URL: ${request.method} ${path}.`, "invalid_request_error", "unknown_url");
  }

  async function completions({
    record,
    response,
    gone,
    cut,
    invalidJson,
  }: {
    record: Record<string, unknown>;
    response: ServerResponse;
    gone: AbortSignal;
    cut: CutFault | undefined;
    invalidJson: boolean;
  }): Promise<void> {
    const format = record.response_format as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
    const jsonSchema =
      format?.type === "json_schema" && format.json_schema?.schema
        ? format.json_schema.schema
        : format?.type === "json_object"
          ? { type: "object", additionalProperties: true }
          : undefined;
    const maxTokens = record.max_completion_tokens ?? record.max_tokens;
    const stop = typeof record.stop === "string" ? [record.stop] : Array.isArray(record.stop) ? (record.stop as string[]) : undefined;
    const chat: ChatOptions = {
      model: backing.providerModel,
      messages: toMessages(record.messages),
      ...(typeof record.temperature === "number" ? { temperature: record.temperature } : {}),
      ...(typeof record.top_p === "number" ? { topP: record.top_p } : {}),
      ...(typeof record.seed === "number" ? { seed: record.seed } : {}),
      ...(typeof maxTokens === "number" ? { maxTokens } : {}),
      ...(stop ? { stop } : {}),
      ...(jsonSchema ? { jsonSchema } : {}),
      abortSignal: gone,
    };
    const id = `chatcmpl-${randomUUID()}`;
    const parts: AsyncIterable<ChatStreamPart> = invalidJson && jsonSchema ? fakeTextStream(invalidJsonAnswer) : backing.provider.streamChat(chat);
    const usageOf = (result: ChatResult) => ({
      prompt_tokens: result.usage.inputTokens,
      completion_tokens: result.usage.outputTokens,
      total_tokens: result.usage.inputTokens + result.usage.outputTokens,
    });
    const finishReasonOf = (result: ChatResult) => (result.finishReason === "length" ? "length" : "stop");

    if (record.stream !== true) {
      let text = "";
      let result: ChatResult | undefined;
      try {
        for await (const part of parts) {
          if (part.type === "text-delta") text += part.text;
          else result = part.result;
        }
      } catch (error) {
        if (gone.aborted) return;
        return apiError(response, 500, error instanceof Error ? error.message : String(error), "server_error");
      }
      const payload = JSON.stringify({
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: modelName,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            logprobs: null,
            finish_reason: result ? finishReasonOf(result) : "stop",
          },
        ],
        usage: result ? usageOf(result) : { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        system_fingerprint: "tinyllm-test",
      });
      response.writeHead(200, { "Content-Type": "application/json" });
      if (cut) return cutResponse(response, cut, payload.slice(0, Math.floor(payload.length / 2)));
      return void response.end(payload);
    }

    const includeUsage = (record.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model: modelName,
        system_fingerprint: "tinyllm-test",
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    let sent = 0;
    try {
      for await (const part of parts) {
        if (gone.aborted) return;
        if (!response.headersSent) {
          response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
          response.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]));
        }
        if (part.type === "text-delta") {
          const event = chunk([{ index: 0, delta: { content: part.text }, logprobs: null, finish_reason: null }]);
          sent += 1;
          if (cut && sent >= (cut.afterChunks ?? 2)) return await cutResponse(response, cut, event);
          response.write(event);
        } else {
          if (cut) return await cutResponse(response, cut, "");
          response.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReasonOf(part.result) }]));
          if (includeUsage) response.write(chunk([], { usage: usageOf(part.result) }));
          response.write("data: [DONE]\n\n");
        }
      }
      response.end();
    } catch (error) {
      if (gone.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) return apiError(response, 500, message, "server_error");
      // OpenAI reports a failure after the stream started as an error event.
      response.end(`data: ${JSON.stringify({ error: { message, type: "server_error", param: null, code: null } })}\n\n`);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      apiError(response, status, error instanceof Error ? error.message : String(error), status < 500 ? "invalid_request_error" : "server_error");
    });
  });
  const port = await listenOnLoopback(server);

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    modelName,
    requests,
    setFault: (fault) => faults.set(fault),
    async close() {
      await closeHttpServer(server);
      if (backing.owned) await backing.provider.close?.();
    },
  };
}

function toMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: Record<string, unknown>) => {
    const role = item.role === "developer" ? "system" : (item.role as string);
    const content =
      typeof item.content === "string"
        ? item.content
        : Array.isArray(item.content)
          ? (item.content as Array<{ type?: string; text?: string }>).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("")
          : "";
    return {
      role: ["system", "user", "assistant", "tool"].includes(role) ? (role as ChatMessage["role"]) : "user",
      content,
    };
  });
}
