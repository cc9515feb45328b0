/**
 * A loopback HTTP server that speaks Ollama's API, backed by a real (tiny) model, with
 * injectable faults. For testing Ollama clients without Ollama.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ChatMessage, ChatOptions, ChatResult, ModelProvider } from "@tinyllm/core";
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

/** Options of {@link startOllamaTestServer}. */
export interface OllamaTestServerOptions {
  /**
   * The provider that generates answers. Default: the embedded llama provider on
   * `resolveTestModel()` with one thread, closed with the server.
   */
  provider?: ModelProvider;
  /** Model name to pass to `provider`; required with `provider`. */
  providerModel?: string;
  /** The name the server gives its model. Default `tinyllm-test:latest`. */
  modelName?: string;
  /** Version `/api/version` reports. Default `0.12.6`. */
  version?: string;
  /**
   * Whether the model supports native tool calling. With `true` (default) a chat request
   * with `tools` makes the backing model choose a tool under a JSON grammar, answered as
   * `message.tool_calls`, the way Ollama parses a tool model's output; with `false` it gets
   * Ollama's 400 "does not support tools".
   */
  toolSupport?: boolean;
}

/** A running {@link startOllamaTestServer}. */
export interface OllamaTestServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`, usable as the Ollama host. */
  readonly url: string;
  /** The served model, with its tag. */
  readonly modelName: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Injects a fault into the following requests; `undefined` clears it. */
  setFault(fault: TestServerFault | undefined): void;
  /** Stops the server, drops open connections, and closes the provider it created. */
  close(): Promise<void>;
}

interface LoadedEntry {
  expiresAt: number;
}

/**
 * Starts an Ollama-compatible server on 127.0.0.1 (random port). It serves `/api/chat`
 * (NDJSON streaming or not, `format` as `"json"` or a JSON schema), `/api/generate`,
 * `/api/embed`, `/api/tags`, `/api/ps`, `/api/show`, `/api/pull` (streamed progress) and
 * `/api/version`, answering with a real model through `provider`.
 *
 * Unknown models get Ollama's 404 `{"error":"model 'x' not found"}`. Faults from
 * {@link OllamaTestServer.setFault} apply to every endpoint except `/api/version`.
 *
 * @example
 * ```ts
 * const server = await startOllamaTestServer();
 * const ollama = createOllamaProvider({ host: server.url });
 * server.setFault({ kind: "cut-stream", afterChunks: 2 });
 * await server.close();
 * ```
 */
export async function startOllamaTestServer(options: OllamaTestServerOptions = {}): Promise<OllamaTestServer> {
  const backing = await resolveBackingModel(options);
  const modelName = withTag(options.modelName ?? "tinyllm-test");
  const version = options.version ?? "0.12.6";
  const faults = new FaultState();
  const requests: RecordedRequest[] = [];
  const loaded = new Map<string, LoadedEntry>();
  const modifiedAt = new Date().toISOString();
  const digest = createHash("sha256").update(modelName).digest("hex");
  let sizeBytes: number | undefined;

  const modelSize = async (): Promise<number> => {
    if (sizeBytes === undefined) {
      const models = await backing.provider.listModels();
      sizeBytes = models.find((model) => model.name === backing.providerModel)?.sizeBytes ?? 0;
    }
    return sizeBytes;
  };
  const details = {
    parent_model: "",
    format: "gguf",
    family: "llama",
    families: ["llama"],
    parameter_size: "260K",
    quantization_level: "F32",
  };
  const knows = (name: unknown): boolean => typeof name === "string" && withTag(name) === modelName;
  const notFound = (response: ServerResponse, name: unknown): void =>
    sendJson(response, 404, { error: `model '${typeof name === "string" ? name : ""}' not found` });
  const touch = (keepAlive: unknown): void => {
    const durationMs = parseKeepAliveMs(keepAlive);
    if (durationMs === 0) loaded.delete(modelName);
    else loaded.set(modelName, { expiresAt: durationMs < 0 ? Date.UTC(2318, 0, 1) : Date.now() + durationMs });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const route = `${request.method} ${url.pathname}`;
    const body = request.method === "POST" || request.method === "DELETE" ? await readJsonBody(request) : undefined;
    requests.push({ method: request.method ?? "GET", path: url.pathname, ...(body !== undefined ? { body } : {}) });
    if (route === "GET /api/version") return sendJson(response, 200, { version });
    if (route === "GET /" || route === "HEAD /") {
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      return void response.end("Ollama is running");
    }

    const gone = clientGoneSignal(response);
    const fault = faults.take(() => true);
    if (fault?.kind === "slow-first-byte") {
      await pause({ delayMs: fault.delayMs, abortSignal: gone });
      if (gone.aborted) return;
    }
    if (fault?.kind === "server-error") {
      return sendJson(response, fault.status ?? 500, {
        error: fault.message ?? "llama runner process has terminated: exit status 2",
      });
    }
    const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (fault?.kind === "model-not-found") return notFound(response, record.model ?? record.name);
    const cut = fault?.kind === "cut-stream" ? fault : undefined;
    const invalidJson = fault?.kind === "invalid-json";

    switch (route) {
      case "GET /api/tags":
        return sendJson(response, 200, {
          models: [{ name: modelName, model: modelName, modified_at: modifiedAt, size: await modelSize(), digest, details }],
        });
      case "GET /api/ps": {
        const now = Date.now();
        for (const [name, entry] of loaded) if (entry.expiresAt <= now) loaded.delete(name);
        return sendJson(response, 200, {
          models: await Promise.all(
            [...loaded].map(async ([name, entry]) => ({
              name,
              model: name,
              size: await modelSize(),
              digest,
              details,
              expires_at: new Date(entry.expiresAt).toISOString(),
              size_vram: 0,
            })),
          ),
        });
      }
      case "POST /api/show":
        if (!knows(record.model ?? record.name)) return notFound(response, record.model ?? record.name);
        return sendJson(response, 200, {
          modelfile: `FROM ${backing.providerModel}\n`,
          parameters: "temperature 0",
          template: "{{ .Prompt }}",
          details,
          model_info: { "general.architecture": "llama", "general.parameter_count": 260_000, "llama.context_length": 2048 },
          capabilities: ["completion", "embedding"],
          modified_at: modifiedAt,
        });
      case "POST /api/pull":
        return pull(record, response, gone, cut);
      case "POST /api/embed": {
        if (!knows(record.model)) return notFound(response, record.model);
        const input = typeof record.input === "string" ? [record.input] : ((record.input as string[] | undefined) ?? []);
        const started = performance.now();
        const { embeddings } = await backing.provider.embed({ model: backing.providerModel, input, abortSignal: gone });
        touch(record.keep_alive);
        return sendJson(response, 200, {
          model: modelName,
          embeddings,
          total_duration: nanoseconds(performance.now() - started),
          load_duration: 0,
          prompt_eval_count: input.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0),
        });
      }
      case "POST /api/chat":
      case "POST /api/generate": {
        if (!knows(record.model)) return notFound(response, record.model);
        const isChat = route === "POST /api/chat";
        const messages = isChat ? toMessages(record.messages) : [{ role: "user" as const, content: String(record.prompt ?? "") }];
        touch(record.keep_alive);
        if (messages.length === 0 || (!isChat && (record.prompt === undefined || record.prompt === ""))) {
          // Ollama loads (or with keep_alive 0 unloads) the model and answers at once.
          const reason = parseKeepAliveMs(record.keep_alive) === 0 ? "unload" : "load";
          return sendJson(response, 200, {
            model: modelName,
            created_at: new Date().toISOString(),
            ...(isChat ? { message: { role: "assistant", content: "" } } : { response: "" }),
            done: true,
            done_reason: reason,
          });
        }
        const tools = isChat && Array.isArray(record.tools) ? (record.tools as { function?: { name?: unknown } }[]) : [];
        if (tools.length > 0) {
          if (options.toolSupport === false) return sendJson(response, 400, { error: `registry.ollama.ai/library/${modelName} does not support tools` });
          if (messages.at(-1)?.role !== "tool") return toolCall({ tools, messages, response, gone });
        }
        return generate({ record, isChat, messages, response, gone, cut, invalidJson });
      }
      default:
        response.writeHead(404, { "Content-Type": "text/plain" });
        return void response.end("404 page not found");
    }
  }

  async function toolCall({
    tools,
    messages,
    response,
    gone,
  }: {
    tools: { function?: { name?: unknown } }[];
    messages: ChatMessage[];
    response: ServerResponse;
    gone: AbortSignal;
  }): Promise<void> {
    const names = tools.map((t) => String(t.function?.name ?? "")).filter((n) => n !== "");
    const result = await backing.provider.chat({
      model: backing.providerModel,
      messages,
      maxTokens: 96,
      jsonSchema: { type: "object", properties: { name: { enum: names }, arguments: { type: "object", properties: {} } }, required: ["name", "arguments"] },
      abortSignal: gone,
    });
    let call: { name: string; arguments: Record<string, unknown> };
    try {
      const parsed = JSON.parse(result.text) as { name: string; arguments?: Record<string, unknown> };
      call = { name: parsed.name, arguments: parsed.arguments ?? {} };
    } catch {
      call = { name: names[0] ?? "", arguments: {} };
    }
    const body = {
      model: modelName,
      created_at: new Date().toISOString(),
      message: { role: "assistant", content: "", tool_calls: [{ function: call }] },
      done: true,
      done_reason: "stop",
      prompt_eval_count: result.usage.inputTokens,
      eval_count: result.usage.outputTokens,
    };
    response.writeHead(200, { "Content-Type": "application/x-ndjson" });
    response.end(`${JSON.stringify(body)}\n`);
  }

  async function generate({
    record,
    isChat,
    messages,
    response,
    gone,
    cut,
    invalidJson,
  }: {
    record: Record<string, unknown>;
    isChat: boolean;
    messages: ChatMessage[];
    response: ServerResponse;
    gone: AbortSignal;
    cut: Extract<TestServerFault, { kind: "cut-stream" }> | undefined;
    invalidJson: boolean;
  }): Promise<void> {
    const stream = record.stream !== false;
    const started = performance.now();
    const modelOptions = (record.options ?? {}) as Record<string, unknown>;
    const format = record.format;
    const jsonSchema =
      format === "json"
        ? { type: "object", additionalProperties: true }
        : typeof format === "object" && format !== null
          ? (format as Record<string, unknown>)
          : undefined;
    const chat: ChatOptions = {
      model: backing.providerModel,
      messages,
      ...(typeof record.system === "string" ? { system: record.system } : {}),
      ...(typeof modelOptions.temperature === "number" ? { temperature: modelOptions.temperature } : {}),
      ...(typeof modelOptions.top_p === "number" ? { topP: modelOptions.top_p } : {}),
      ...(typeof modelOptions.seed === "number" ? { seed: modelOptions.seed } : {}),
      ...(typeof modelOptions.num_predict === "number" && modelOptions.num_predict >= 0 ? { maxTokens: modelOptions.num_predict } : {}),
      ...(Array.isArray(modelOptions.stop) ? { stop: modelOptions.stop as string[] } : {}),
      ...(jsonSchema ? { jsonSchema } : {}),
      abortSignal: gone,
    };
    const part = (content: string, done: boolean, result?: ChatResult): Record<string, unknown> => ({
      model: modelName,
      created_at: new Date().toISOString(),
      ...(isChat ? { message: { role: "assistant", content } } : { response: content }),
      done,
      ...(done && result
        ? {
            done_reason: result.finishReason === "length" ? "length" : "stop",
            total_duration: nanoseconds(performance.now() - started),
            load_duration: 0,
            prompt_eval_count: result.usage.inputTokens,
            prompt_eval_duration: nanoseconds(result.timeToFirstTokenMs ?? 0),
            eval_count: result.usage.outputTokens,
            eval_duration: nanoseconds(result.durationMs - (result.timeToFirstTokenMs ?? 0)),
            ...(isChat ? {} : { context: [] }),
          }
        : {}),
    });

    const deltas = invalidJson && jsonSchema ? fakeTextStream(invalidJsonAnswer) : backing.provider.streamChat(chat);
    if (!stream) {
      let text = "";
      let result: ChatResult | undefined;
      try {
        for await (const item of deltas) {
          if (item.type === "text-delta") text += item.text;
          else result = item.result;
        }
      } catch (error) {
        if (gone.aborted) return;
        return sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
      }
      const payload = JSON.stringify(part(text, true, result));
      if (cut) {
        response.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
        return await cutResponse(response, cut, payload.slice(0, Math.floor(payload.length / 2)));
      }
      response.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
      return void response.end(payload);
    }

    let chunks = 0;
    try {
      for await (const item of deltas) {
        if (gone.aborted) return;
        if (!response.headersSent) response.writeHead(200, { "Content-Type": "application/x-ndjson" });
        if (item.type === "text-delta") {
          const line = `${JSON.stringify(part(item.text, false))}\n`;
          chunks += 1;
          if (cut && chunks >= (cut.afterChunks ?? 2)) return await cutResponse(response, cut, line);
          response.write(line);
        } else {
          if (cut) return await cutResponse(response, cut, "");
          response.write(`${JSON.stringify(part("", true, item.result))}\n`);
        }
      }
      response.end();
    } catch (error) {
      if (gone.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) return sendJson(response, 500, { error: message });
      // Ollama reports a failure after the stream started as an error line.
      response.end(`${JSON.stringify({ error: message })}\n`);
    }
  }

  async function pull(
    record: Record<string, unknown>,
    response: ServerResponse,
    gone: AbortSignal,
    cut: Extract<TestServerFault, { kind: "cut-stream" }> | undefined,
  ): Promise<void> {
    const name = record.model ?? record.name;
    const stream = record.stream !== false;
    if (!knows(name)) {
      const error = { error: "pull model manifest: file does not exist" };
      if (!stream) return sendJson(response, 500, error);
      response.writeHead(200, { "Content-Type": "application/x-ndjson" });
      response.write(`${JSON.stringify({ status: "pulling manifest" })}\n`);
      return void response.end(`${JSON.stringify(error)}\n`);
    }
    const total = await modelSize();
    const layer = `sha256:${digest}`;
    const steps: Array<Record<string, unknown>> = [
      { status: "pulling manifest" },
      ...[0, 0.25, 0.5, 1].map((share) => ({
        status: `pulling ${digest.slice(0, 12)}`,
        digest: layer,
        total,
        completed: Math.round(total * share),
      })),
      { status: "verifying sha256 digest" },
      { status: "writing manifest" },
      { status: "success" },
    ];
    if (!stream) return sendJson(response, 200, { status: "success" });
    response.writeHead(200, { "Content-Type": "application/x-ndjson" });
    let sent = 0;
    for (const step of steps) {
      if (gone.aborted) return;
      sent += 1;
      if (cut && sent >= (cut.afterChunks ?? 2)) return await cutResponse(response, cut, `${JSON.stringify(step)}\n`);
      response.write(`${JSON.stringify(step)}\n`);
      // Let the client see the parts one by one.
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
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
    const role = ["system", "user", "assistant", "tool"].includes(item.role as string) ? (item.role as ChatMessage["role"]) : "user";
    return {
      role,
      content: typeof item.content === "string" ? item.content : "",
      ...(typeof item.tool_name === "string" ? { toolName: item.tool_name } : {}),
    };
  });
}

function withTag(name: string): string {
  return name.includes(":") ? name : `${name}:latest`;
}

/** Ollama's keep_alive: a duration string (`5m`, `1h30m`, `10s`), seconds, or negative = forever. */
function parseKeepAliveMs(value: unknown): number {
  if (value === undefined || value === null || value === "") return 5 * 60_000;
  if (typeof value === "number") return value < 0 ? -1 : value * 1000;
  const text = String(value).trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) < 0 ? -1 : Number(text) * 1000;
  if (text.startsWith("-")) return -1;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(match[1]) * units[match[2]!]!;
  return total;
}

function nanoseconds(ms: number): number {
  return Math.max(0, Math.round(ms * 1e6));
}
