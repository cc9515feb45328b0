import { Hono, type Context } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import type { RunResult } from "@tinyllm/core";
import type { RunSampling } from "@tinyllm/runtime";
import { isUnloadNow, loadedBackingModels, preloadBackingModels, unloadBackingModels } from "../backing-models";
import { embedTexts } from "../embed-texts";
import { isoNow } from "../http/iso-now";
import { jsonResponse } from "../http/json-response";
import { readJson } from "../http/read-json";
import { describeError, runFailureError, serverError } from "../http/server-error";
import { answerParts, answerText, finishReasonOf, usageOf } from "../runs/answer-stream";
import { ChatMessageSchema, checkQueryLength, conversationOf, isPlainChatMessages, type ConversationMessage } from "../runs/conversation";
import { startChatRun } from "../runs/start-chat-run";
import type { LiveRun } from "../runs/run-hub";
import type { ServerContext, ServerEnv } from "../server-context";
import { graphDescription, graphDigest } from "./graph-model-info";

const OptionsSchema = z
  .looseObject({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    seed: z.int().optional(),
    num_predict: z.int().optional(),
  })
  .optional();
const KeepAliveSchema = z.union([z.string(), z.number()]).optional();

const ChatSchema = z.looseObject({
  model: z.string().min(1, "name the model: one of the graphs GET /api/tags lists"),
  messages: z.array(ChatMessageSchema).optional(),
  stream: z.boolean().optional(),
  options: OptionsSchema,
  keep_alive: KeepAliveSchema,
});

type ChatBody = z.output<typeof ChatSchema>;

/** True when `options` is what OptionsSchema takes as it is (none, or a plain object of valid sampling fields). */
function plainOptions(options: unknown): boolean {
  if (options === undefined) return true;
  if (typeof options !== "object" || options === null || Array.isArray(options)) return false;
  const { temperature, top_p: topP, seed, num_predict: numPredict } = options as Record<string, unknown>;
  return (
    (temperature === undefined || (typeof temperature === "number" && Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) &&
    (topP === undefined || (typeof topP === "number" && Number.isFinite(topP) && topP > 0 && topP <= 1)) &&
    (seed === undefined || Number.isSafeInteger(seed)) &&
    (numPredict === undefined || Number.isSafeInteger(numPredict))
  );
}

/**
 * The common `/api/chat` body (a model, text messages, the usual options) checked by hand, as
 * ChatSchema would take it; undefined for anything else, which ChatSchema then checks and words
 * the error of.
 */
function plainChatBody(body: unknown): ChatBody | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const { model, messages, stream: streaming, options, keep_alive: keepAlive } = body as Record<string, unknown>;
  if (typeof model !== "string" || model.length === 0) return undefined;
  if (messages !== undefined && !isPlainChatMessages(messages)) return undefined;
  if (streaming !== undefined && typeof streaming !== "boolean") return undefined;
  if (keepAlive !== undefined && typeof keepAlive !== "string" && typeof keepAlive !== "number") return undefined;
  if (!plainOptions(options)) return undefined;
  return body as ChatBody;
}

const GenerateSchema = z.looseObject({
  model: z.string().min(1, "name the model: one of the graphs GET /api/tags lists"),
  prompt: z.string().optional(),
  system: z.string().optional(),
  stream: z.boolean().optional(),
  options: OptionsSchema,
  keep_alive: KeepAliveSchema,
});

const ShowSchema = z.looseObject({ model: z.string().optional(), name: z.string().optional() });
const EmbedSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string())]),
  keep_alive: KeepAliveSchema,
});
const LegacyEmbedSchema = z.looseObject({ model: z.string().min(1), prompt: z.string() });

const nanos = (ms: number) => Math.max(0, Math.round(ms * 1e6));

function samplingOf(options: z.output<typeof OptionsSchema>, keepAlive: string | number | undefined): RunSampling | undefined {
  const sampling: RunSampling = keepAlive !== undefined ? { keepAlive } : {};
  if (!options) return Object.keys(sampling).length > 0 ? sampling : undefined;
  if (options.temperature !== undefined) sampling.temperature = options.temperature;
  if (options.top_p !== undefined) sampling.topP = options.top_p;
  if (options.seed !== undefined) sampling.seed = options.seed;
  if (options.num_predict !== undefined && options.num_predict > 0) sampling.maxTokens = options.num_predict;
  return sampling;
}

/** The last object of an Ollama answer: `done: true`, the reason, durations (ns) and counts. */
function doneFields(result: RunResult, startedMs: number, firstTokenMs: number | undefined) {
  const totalMs = performance.now() - startedMs;
  const promptMs = (firstTokenMs ?? performance.now()) - startedMs;
  const usage = usageOf(result);
  return {
    done: true,
    done_reason: finishReasonOf(result),
    total_duration: nanos(totalMs),
    load_duration: 0,
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: nanos(promptMs),
    eval_count: usage.outputTokens,
    eval_duration: nanos(totalMs - promptMs),
  };
}

/** Sets each header on the response to come (`c.header`). */
function setHeaders(c: Context<ServerEnv>, headers: Record<string, string>): void {
  for (const name in headers) c.header(name, headers[name]);
}

function runFailure(result: RunResult, run: LiveRun): Error {
  return runFailureError(result, run);
}

/** The Ollama API: `/`, `/api/version`, `/api/tags`, `/api/show`, `/api/ps`, `/api/chat`, `/api/generate`, `/api/embed`, `/api/embeddings`. */
export function ollamaRoutes(server: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const { graphs, runtime } = server;
  const modifiedAt = () => new Date(graphs.loadedAtMs).toISOString();

  app.get("/", (c) => c.text("Ollama is running"));
  app.get("/api/version", (c) => c.json({ version: server.version }));
  app.get("/api/tags", (c) =>
    c.json({
      models: graphs.ids.map((id) => {
        const loaded = graphs.get(id);
        return {
          name: `${id}:latest`,
          model: `${id}:latest`,
          modified_at: modifiedAt(),
          size: 0,
          digest: graphDigest(loaded),
          details: graphDescription(loaded),
        };
      }),
    }),
  );
  app.post("/api/show", async (c) => {
    const body = await readJson(c, ShowSchema, server.limits.maxBodyBytes);
    const name = body.model ?? body.name;
    if (!name) throw serverError("SERVER_BAD_REQUEST", "model: name the model to show", 'send {"model":"multi_domain"}');
    const loaded = graphs.get(name);
    const graph = loaded.graph;
    return c.json({
      modelfile: `# TinyLLM graph ${graph.id}\nFROM ${graph.id}\n`,
      parameters: "",
      template: "{{ .Prompt }}",
      details: graphDescription(loaded),
      model_info: {
        "general.architecture": "tinyllm-graph",
        "tinyllm.graph.id": graph.id,
        "tinyllm.graph.version": graph.version,
        "tinyllm.graph.nodes": graph.nodeList.length,
        ...(graph.description ? { "general.description": graph.description } : {}),
      },
      capabilities: ["completion"],
      modified_at: modifiedAt(),
    });
  });
  app.get("/api/ps", async (c) => {
    const models = await loadedBackingModels(runtime);
    server.metrics.loadedModels(models.length);
    return c.json({
      models: models.map((model) => ({
        name: model.name,
        model: model.name,
        size: model.sizeBytes,
        digest: "",
        details: { format: "gguf", family: "", families: null, parameter_size: "", quantization_level: "" },
        expires_at: model.expiresAt ?? new Date(Date.now() + 5 * 60_000).toISOString(),
        size_vram: model.sizeVramBytes,
        ...(model.contextLength ? { context_length: model.contextLength } : {}),
      })),
    });
  });

  /** Ollama's load and unload idiom: an empty prompt (or no messages), with `keep_alive: 0` to unload. */
  const loadOrUnload = async (c: Context<ServerEnv>, model: string, keepAlive: unknown, kind: "chat" | "generate") => {
    graphs.get(model);
    const unload = isUnloadNow(keepAlive);
    if (unload) await unloadBackingModels(runtime);
    else await preloadBackingModels(runtime, keepAlive as string | number | undefined, c.req.raw.signal);
    const base = { model, created_at: new Date().toISOString(), done: true, done_reason: unload ? "unload" : "load" };
    return c.json(kind === "chat" ? { ...base, message: { role: "assistant", content: "" } } : { ...base, response: "" });
  };

  const answer = async (
    c: Context<ServerEnv>,
    kind: "chat" | "generate",
    request: { model: string; query: string; messages: ConversationMessage[]; streaming: boolean; sampling: RunSampling | undefined },
  ) => {
    const started = performance.now();
    const graph = graphs.get(request.model);
    const starting = startChatRun(c, server, {
      graph,
      conversation: { query: request.query, messages: request.messages },
      sampling: request.sampling,
      source: kind === "chat" ? "api/chat" : "api/generate",
    });
    const { run, headers } = starting instanceof Promise ? await starting : starting;
    if (request.streaming) return streamAnswer(c, kind, request.model, run, headers, started);
    const result = await run.result;
    if (result.status !== "ok") {
      setHeaders(c, headers);
      throw runFailure(result, run);
    }
    const firstTokenMs = run.firstTokenMs === undefined ? undefined : run.startedAtPerfMs + run.firstTokenMs;
    const done = doneFields(result, started, firstTokenMs);
    const text = answerText(result);
    // The fields in the order of the streamed answer's last line, without spreads (every request's path).
    const answer: Record<string, unknown> = { model: request.model, created_at: isoNow() };
    if (kind === "chat") answer.message = { role: "assistant", content: text };
    else answer.response = text;
    for (const key in done) answer[key] = done[key as keyof typeof done];
    return jsonResponse(c, answer, headers);
  };

  /** The answer as NDJSON lines, as the run writes it (its own function: the plain answer's path makes no closures). */
  const streamAnswer = (c: Context<ServerEnv>, kind: "chat" | "generate", model: string, run: LiveRun, headers: Record<string, string>, started: number) => {
    const chunk = (text: string) => {
      const base = { model, created_at: isoNow() };
      return kind === "chat" ? { ...base, message: { role: "assistant", content: text }, done: false } : { ...base, response: text, done: false };
    };
    setHeaders(c, headers);
    c.header("Content-Type", "application/x-ndjson");
    return stream(c, async (out) => {
      out.onAbort(() => run.cancel("the client disconnected"));
      let firstTokenMs: number | undefined;
      for await (const part of answerParts(run)) {
        if (part.type === "text") {
          if (firstTokenMs === undefined) {
            firstTokenMs = performance.now();
            server.metrics.firstToken(`/api/${kind}`, (firstTokenMs - started) / 1000);
          }
          await out.write(`${JSON.stringify(chunk(part.text))}\n`);
          continue;
        }
        const result = part.result;
        if (result.status !== "ok") {
          await out.write(`${JSON.stringify({ error: describeError(runFailure(result, run)).message })}\n`);
          return;
        }
        const last = chunk("");
        await out.write(`${JSON.stringify({ ...last, ...doneFields(result, started, firstTokenMs) })}\n`);
      }
    });
  };

  app.post("/api/chat", async (c) => {
    const body = await readJson(c, ChatSchema, server.limits.maxBodyBytes, plainChatBody);
    if (!body.messages || body.messages.length === 0) return loadOrUnload(c, body.model, body.keep_alive, "chat");
    const conversation = conversationOf(body.messages, server.limits.maxQueryChars);
    // `return await`: an async function that returns a promise takes two more turns to settle.
    return await answer(c, "chat", {
      model: body.model,
      query: conversation.query,
      messages: conversation.messages,
      streaming: body.stream !== false,
      sampling: samplingOf(body.options, body.keep_alive),
    });
  });

  app.post("/api/generate", async (c) => {
    const body = await readJson(c, GenerateSchema, server.limits.maxBodyBytes);
    if (body.prompt === undefined || body.prompt === "") return loadOrUnload(c, body.model, body.keep_alive, "generate");
    if (body.prompt.trim() === "") throw serverError("SERVER_BAD_REQUEST", "the prompt is blank", "ask something");
    checkQueryLength(body.prompt, server.limits.maxQueryChars);
    const messages: ConversationMessage[] = [
      ...(body.system ? [{ role: "system" as const, content: body.system }] : []),
      { role: "user", content: body.prompt },
    ];
    return answer(c, "generate", {
      model: body.model,
      query: body.prompt,
      messages,
      streaming: body.stream !== false,
      sampling: samplingOf(body.options, body.keep_alive),
    });
  });

  app.post("/api/embed", async (c) => {
    const started = performance.now();
    const body = await readJson(c, EmbedSchema, server.limits.maxBodyBytes);
    const input = typeof body.input === "string" ? [body.input] : body.input;
    const { embeddings, inputTokens } = await embedTexts(server, body.model, input, c.get("apiKey"), c.req.raw.signal);
    return c.json({ model: body.model, embeddings, total_duration: nanos(performance.now() - started), load_duration: 0, prompt_eval_count: inputTokens });
  });

  app.post("/api/embeddings", async (c) => {
    const body = await readJson(c, LegacyEmbedSchema, server.limits.maxBodyBytes);
    const { embeddings } = await embedTexts(server, body.model, [body.prompt], c.get("apiKey"), c.req.raw.signal);
    return c.json({ embedding: embeddings[0] ?? [] });
  });

  return app;
}
