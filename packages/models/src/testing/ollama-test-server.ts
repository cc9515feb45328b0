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
import { OllamaTestScheduler, type ModelLease, type OllamaTestLoadedModel, type OllamaTestModel, type OllamaTestServerEvent } from "./ollama-test-scheduler";
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
  /** The name the server gives its model, without `models`. Default `tinyllm-test:latest`. */
  modelName?: string;
  /**
   * The models served, all answered by the same backing `provider` model. Default: one model,
   * `modelName`, sized as the backing model's file, loading at once.
   */
  models?: OllamaTestModel[];
  /**
   * The GPU memory in MiB that loaded models share. Default: unlimited (only
   * `maxLoadedModels` evicts). The first model on an empty server may be larger (it is then
   * partly offloaded); later ones must fit, or others are evicted.
   */
  vramMB?: number;
  /** At most this many models loaded at once, as `OLLAMA_MAX_LOADED_MODELS`. Default 3. */
  maxLoadedModels?: number;
  /** The port to listen on (127.0.0.1). Default: a random free one. */
  port?: number;
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
  /** The served model (the first of `models`), with its tag. */
  readonly modelName: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Injects a fault into the following requests; `undefined` clears it. */
  setFault(fault: TestServerFault | undefined): void;
  /** Every load and unload, oldest first. */
  readonly events: readonly OllamaTestServerEvent[];
  /** The models loaded now (not ones still loading), in load order. */
  loaded(): OllamaTestLoadedModel[];
  /**
   * Resolves as soon as `predicate` holds over {@link events} (checked now and on each new
   * event); rejects after `timeoutMs` with the events seen.
   */
  waitFor(predicate: (events: readonly OllamaTestServerEvent[]) => boolean, options: { timeoutMs: number }): Promise<void>;
  /**
   * The host dies: stops listening, cuts every open connection (in-flight requests included),
   * and forgets every loaded model (`unload` events, reason `stopped`). The provider stays open.
   */
  stop(): Promise<void>;
  /** The host comes back: listens again on the same port with nothing loaded (stops first if running). */
  restart(): Promise<void>;
  /** Stops the server, drops open connections, and closes the provider it created. */
  close(): Promise<void>;
}

export type { OllamaTestLoadedModel, OllamaTestModel, OllamaTestServerEvent } from "./ollama-test-scheduler";

const mebibyte = 2 ** 20;
/** Repeating layers of a served model when none are given (`<arch>.block_count`). */
const defaultBlockCount = 32;

/** When a request started and how long it waited for loads, for Ollama's durations. */
interface Timing {
  started: number;
  loadDurationMs: number;
}

/**
 * Starts an Ollama-compatible server on 127.0.0.1 (random port). It serves `/api/chat`
 * (NDJSON streaming or not, `format` as `"json"` or a JSON schema), `/api/generate`,
 * `/api/embed`, `/api/tags`, `/api/ps`, `/api/show`, `/api/pull` (streamed progress) and
 * `/api/version`, answering with a real model through `provider`.
 *
 * Models load and unload as in Ollama's scheduler: a request for a model not loaded waits
 * `loadMs` for it (one load at a time, blocking the FIFO queue), models that do not fit in
 * `vramMB` or beyond `maxLoadedModels` evict the idle one with the shortest keep-alive, and
 * `keep_alive` (default 5m, negative = forever, 0 = unload after the request) expires on real
 * timers. {@link OllamaTestServer.events} records every load and unload.
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
 *
 * // Two 3 GB models on a 4 GB GPU: the second evicts the first.
 * const host = await startOllamaTestServer({
 *   models: [{ name: "a", sizeMB: 3000, loadMs: 50 }, { name: "b", sizeMB: 3000, loadMs: 50 }],
 *   vramMB: 4096,
 * });
 * ```
 */
export async function startOllamaTestServer(options: OllamaTestServerOptions = {}): Promise<OllamaTestServer> {
  const scheduler = new OllamaTestScheduler({
    ...(options.vramMB !== undefined ? { vramMB: options.vramMB } : {}),
    ...(options.maxLoadedModels !== undefined ? { maxLoadedModels: options.maxLoadedModels } : {}),
  });
  const served = new Map<string, Required<OllamaTestModel>>();
  if (options.models?.length === 0) throw new Error("test server: models must name at least one model");
  for (const model of options.models ?? []) {
    const name = withTag(model.name);
    if (served.has(name)) throw new Error(`test server: model ${name} is listed twice`);
    if (!(model.sizeMB >= 0) || !((model.loadMs ?? 0) >= 0)) throw new Error(`test server: model ${name} needs sizeMB ≥ 0 and loadMs ≥ 0`);
    if (model.blockCount !== undefined && !(Number.isInteger(model.blockCount) && model.blockCount > 0))
      throw new Error(`test server: model ${name} needs a whole blockCount > 0`);
    served.set(name, { name, sizeMB: model.sizeMB, loadMs: model.loadMs ?? 0, blockCount: model.blockCount ?? defaultBlockCount });
  }
  const backing = await resolveBackingModel(options);
  if (served.size === 0) {
    const name = withTag(options.modelName ?? "tinyllm-test");
    const files = await backing.provider.listModels();
    const sizeBytes = files.find((file) => file.name === backing.providerModel)?.sizeBytes ?? 0;
    served.set(name, { name, sizeMB: sizeBytes / mebibyte, loadMs: 0, blockCount: defaultBlockCount });
  }
  const modelName = [...served.keys()][0]!;
  const version = options.version ?? "0.12.6";
  const faults = new FaultState();
  const requests: RecordedRequest[] = [];
  const modifiedAt = new Date().toISOString();
  const digestOf = (name: string): string => createHash("sha256").update(name).digest("hex");
  const bytes = (mebibytes: number): number => Math.round(mebibytes * mebibyte);
  const details = {
    parent_model: "",
    format: "gguf",
    family: "llama",
    families: ["llama"],
    parameter_size: "260K",
    quantization_level: "F32",
  };
  const find = (name: unknown): Required<OllamaTestModel> | undefined => (typeof name === "string" ? served.get(withTag(name)) : undefined);
  const notFound = (response: ServerResponse, name: unknown): void =>
    sendJson(response, 404, { error: `model '${typeof name === "string" ? name : ""}' not found` });

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
          models: [...served.values()].map((model) => ({
            name: model.name,
            model: model.name,
            modified_at: modifiedAt,
            size: bytes(model.sizeMB),
            digest: digestOf(model.name),
            details,
          })),
        });
      case "GET /api/ps":
        return sendJson(response, 200, {
          models: scheduler.loaded().map((model) => ({
            name: model.name,
            model: model.name,
            size: bytes(model.sizeMB),
            digest: digestOf(model.name),
            details,
            // Ollama shows a keep-alive of forever as a date about 290 years ahead.
            expires_at: new Date(Number.isFinite(model.expiresAt) ? model.expiresAt : Date.UTC(2318, 0, 1)).toISOString(),
            size_vram: bytes(model.vramMB),
          })),
        });
      case "POST /api/show": {
        const model = find(record.model ?? record.name);
        if (!model) return notFound(response, record.model ?? record.name);
        return sendJson(response, 200, {
          modelfile: `FROM ${backing.providerModel}\n`,
          parameters: "temperature 0",
          template: "{{ .Prompt }}",
          details,
          model_info: {
            "general.architecture": "llama",
            "general.parameter_count": 260_000,
            "llama.context_length": 2048,
            "llama.block_count": model.blockCount,
          },
          capabilities: ["completion", "embedding"],
          modified_at: modifiedAt,
        });
      }
      case "POST /api/pull":
        return pull(record, response, gone, cut);
      case "POST /api/embed": {
        const model = find(record.model);
        if (!model) return notFound(response, record.model);
        const input = typeof record.input === "string" ? [record.input] : ((record.input as string[] | undefined) ?? []);
        const started = performance.now();
        return withModel(model, record, gone, async (lease) => {
          const { embeddings } = await backing.provider.embed({ model: backing.providerModel, input, abortSignal: gone });
          sendJson(response, 200, {
            model: model.name,
            embeddings,
            total_duration: nanoseconds(performance.now() - started),
            load_duration: nanoseconds(lease.loadDurationMs),
            prompt_eval_count: input.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0),
          });
        });
      }
      case "POST /api/chat":
      case "POST /api/generate": {
        const model = find(record.model);
        if (!model) return notFound(response, record.model);
        const isChat = route === "POST /api/chat";
        const messages = isChat ? toMessages(record.messages) : [{ role: "user" as const, content: String(record.prompt ?? "") }];
        if (messages.length === 0 || (!isChat && (record.prompt === undefined || record.prompt === ""))) {
          // Ollama preloads the model (answering once it is loaded), or with keep_alive 0
          // unloads it (at once when idle, else when its requests end) and answers at once.
          const unload = parseKeepAliveMs(record.keep_alive) === 0;
          if (unload) scheduler.expire(model.name);
          else await withModel(model, record, gone, async () => {});
          if (gone.aborted) return;
          return sendJson(response, 200, {
            model: model.name,
            created_at: new Date().toISOString(),
            ...(isChat ? { message: { role: "assistant", content: "" } } : { response: "" }),
            done: true,
            done_reason: unload ? "unload" : "load",
          });
        }
        const tools = isChat && Array.isArray(record.tools) ? (record.tools as { function?: { name?: unknown } }[]) : [];
        if (tools.length > 0 && options.toolSupport === false) {
          return sendJson(response, 400, { error: `registry.ollama.ai/library/${model.name} does not support tools` });
        }
        const started = performance.now();
        return withModel(model, record, gone, (lease) => {
          const timing = { started, loadDurationMs: lease.loadDurationMs };
          if (tools.length > 0 && messages.at(-1)?.role !== "tool") return toolCall({ model, tools, messages, response, gone, timing });
          return generate({ model, record, isChat, messages, response, gone, cut, invalidJson, timing });
        });
      }
      default:
        response.writeHead(404, { "Content-Type": "text/plain" });
        return void response.end("404 page not found");
    }
  }

  /** Runs `work` while the request holds `model`, after waiting for the scheduler to load it. */
  async function withModel(
    model: Required<OllamaTestModel>,
    record: Record<string, unknown>,
    gone: AbortSignal,
    work: (lease: ModelLease) => Promise<void>,
  ): Promise<void> {
    let lease: ModelLease;
    try {
      const numGpu = (record.options as { num_gpu?: unknown } | undefined)?.num_gpu;
      lease = await scheduler.acquire(model, parseKeepAliveMs(record.keep_alive), gone, typeof numGpu === "number" ? numGpu : undefined);
    } catch (error) {
      if (gone.aborted) return;
      throw error;
    }
    try {
      if (!gone.aborted) await work(lease);
    } finally {
      lease.release();
    }
  }

  async function toolCall({
    model,
    tools,
    messages,
    response,
    gone,
    timing,
  }: {
    model: Required<OllamaTestModel>;
    tools: { function?: { name?: unknown } }[];
    messages: ChatMessage[];
    response: ServerResponse;
    gone: AbortSignal;
    timing: Timing;
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
      model: model.name,
      created_at: new Date().toISOString(),
      message: { role: "assistant", content: "", tool_calls: [{ function: call }] },
      done: true,
      done_reason: "stop",
      total_duration: nanoseconds(performance.now() - timing.started),
      load_duration: nanoseconds(timing.loadDurationMs),
      prompt_eval_count: result.usage.inputTokens,
      eval_count: result.usage.outputTokens,
    };
    response.writeHead(200, { "Content-Type": "application/x-ndjson" });
    response.end(`${JSON.stringify(body)}\n`);
  }

  async function generate({
    model,
    record,
    isChat,
    messages,
    response,
    gone,
    cut,
    invalidJson,
    timing,
  }: {
    model: Required<OllamaTestModel>;
    record: Record<string, unknown>;
    isChat: boolean;
    messages: ChatMessage[];
    response: ServerResponse;
    gone: AbortSignal;
    cut: Extract<TestServerFault, { kind: "cut-stream" }> | undefined;
    invalidJson: boolean;
    timing: Timing;
  }): Promise<void> {
    const stream = record.stream !== false;
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
      model: model.name,
      created_at: new Date().toISOString(),
      ...(isChat ? { message: { role: "assistant", content } } : { response: content }),
      done,
      ...(done && result
        ? {
            done_reason: result.finishReason === "length" ? "length" : "stop",
            total_duration: nanoseconds(performance.now() - timing.started),
            load_duration: nanoseconds(timing.loadDurationMs),
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
    const model = find(name);
    if (!model) {
      const error = { error: "pull model manifest: file does not exist" };
      if (!stream) return sendJson(response, 500, error);
      response.writeHead(200, { "Content-Type": "application/x-ndjson" });
      response.write(`${JSON.stringify({ status: "pulling manifest" })}\n`);
      return void response.end(`${JSON.stringify(error)}\n`);
    }
    const total = bytes(model.sizeMB);
    const digest = digestOf(model.name);
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
  let port: number;
  try {
    port = await listenOnLoopback(server, options.port ?? 0);
  } catch (error) {
    if (backing.owned) await backing.provider.close?.();
    throw error;
  }
  const stop = async (): Promise<void> => {
    scheduler.stop();
    if (server.listening) await closeHttpServer(server);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    modelName,
    requests,
    events: scheduler.events,
    loaded: () => scheduler.loaded(),
    waitFor: (predicate, waitOptions) => scheduler.waitFor(predicate, waitOptions),
    setFault: (fault) => faults.set(fault),
    stop,
    async restart() {
      await stop();
      await listenOnLoopback(server, port);
    },
    async close() {
      await stop();
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

/**
 * Ollama's keep_alive in ms: default 5 minutes; a number of seconds or a duration string
 * (`5m`, `1h30m`, `10s`, `500ms`); negative = forever (-1). Anything else is a 400, as in Ollama.
 */
function parseKeepAliveMs(value: unknown): number {
  if (value === undefined || value === null || value === "") return 5 * 60_000;
  if (typeof value === "number") return value < 0 ? -1 : value * 1000;
  const text = String(value).trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) < 0 ? -1 : Number(text) * 1000;
  if (!/^-?(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) throw new HttpError(400, `time: invalid duration "${text}"`);
  if (text.startsWith("-")) return -1;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(match[1]) * units[match[2]!]!;
  return total;
}

function nanoseconds(ms: number): number {
  return Math.max(0, Math.round(ms * 1e6));
}
