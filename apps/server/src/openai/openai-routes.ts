import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import type { RunSampling } from "@tinyllm/runtime";
import { embedTexts } from "../embed-texts";
import { jsonResponse } from "../http/json-response";
import { readJson } from "../http/read-json";
import { describeError, runFailureError } from "../http/server-error";
import { answerParts, answerText, finishReasonOf, usageOf } from "../runs/answer-stream";
import { ChatMessageSchema, conversationOf } from "../runs/conversation";
import { startChatRun } from "../runs/start-chat-run";
import type { ServerContext, ServerEnv } from "../server-context";

const ChatCompletionSchema = z.looseObject({
  model: z.string().min(1, "name the model: one of the graphs GET /v1/models lists"),
  messages: z.array(ChatMessageSchema),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  seed: z.int().nullish(),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  n: z.int().min(1).max(1, "this server writes one choice per request").nullish(),
  /** Selects a server-side session (its history and summary) and whose long-term memories are used. */
  user: z.string().min(1).max(128).nullish(),
});

const EmbeddingsSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string())]),
  encoding_format: z.enum(["float", "base64"]).optional(),
});

function samplingOf(body: z.output<typeof ChatCompletionSchema>): RunSampling | undefined {
  const sampling: RunSampling = {};
  if (body.temperature !== undefined && body.temperature !== null) sampling.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) sampling.topP = body.top_p;
  if (body.seed !== undefined && body.seed !== null) sampling.seed = body.seed;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) sampling.maxTokens = maxTokens;
  return Object.keys(sampling).length > 0 ? sampling : undefined;
}

/** The OpenAI error body: `{ error: { message, type, param, code } }`. */
export function openAIErrorBody(error: unknown) {
  const { status, code, message } = describeError(error);
  const type = status === 401 ? "authentication_error" : status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
  return { status, body: { error: { message, type, param: null, code: code.toLowerCase() } } };
}

/** The OpenAI-compatible API: `/v1/models`, `/v1/models/{id}`, `/v1/chat/completions`, `/v1/embeddings`. */
export function openAIRoutes(server: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const { graphs } = server;
  const created = Math.floor(graphs.loadedAtMs / 1000);
  const modelObject = (id: string) => ({ id, object: "model", created, owned_by: "tinyllm" });

  app.get("/v1/models", (c) => c.json({ object: "list", data: graphs.ids.map(modelObject) }));
  app.get("/v1/models/:id{.+}", (c) => c.json(modelObject(graphs.get(c.req.param("id")).graph.id)));

  app.post("/v1/chat/completions", async (c) => {
    const started = performance.now();
    const body = await readJson(c, ChatCompletionSchema, server.limits.maxBodyBytes);
    const graph = graphs.get(body.model);
    const conversation = conversationOf(body.messages, server.limits.maxQueryChars);
    const sampling = samplingOf(body);
    const starting = startChatRun(c, server, {
      graph,
      conversation,
      ...(body.user ? { user: body.user } : {}),
      sampling,
      source: "v1/chat/completions",
    });
    const { run, headers } = starting instanceof Promise ? await starting : starting;
    const id = `chatcmpl-${run.id.slice(4)}`;
    const createdSeconds = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      const result = await run.result;
      if (result.status !== "ok") {
        for (const name in headers) c.header(name, headers[name]);
        throw runFailureError(result, run);
      }
      const usage = usageOf(result);
      return jsonResponse(
        c,
        {
          id,
          object: "chat.completion",
          created: createdSeconds,
          model: body.model,
          choices: [
            { index: 0, message: { role: "assistant", content: answerText(result), refusal: null }, logprobs: null, finish_reason: finishReasonOf(result) },
          ],
          usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
        },
        headers,
      );
    }
    for (const name in headers) c.header(name, headers[name]);
    c.header("Content-Type", "text/event-stream; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    const frame = (delta: Record<string, unknown>, finishReason: string | null) => ({
      id,
      object: "chat.completion.chunk",
      created: createdSeconds,
      model: body.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    return stream(c, async (out) => {
      out.onAbort(() => run.cancel("the client disconnected"));
      const send = (value: unknown) => out.write(`data: ${JSON.stringify(value)}\n\n`);
      await send(frame({ role: "assistant", content: "" }, null));
      let first = true;
      for await (const part of answerParts(run)) {
        if (part.type === "text") {
          if (first) server.metrics.firstToken("/v1/chat/completions", (performance.now() - started) / 1000);
          first = false;
          await send(frame({ content: part.text }, null));
          continue;
        }
        const result = part.result;
        if (result.status !== "ok") {
          await send(openAIErrorBody(runFailureError(result, run)).body);
          return;
        }
        await send(frame({}, finishReasonOf(result)));
        if (body.stream_options?.include_usage) {
          const usage = usageOf(result);
          await send({
            id,
            object: "chat.completion.chunk",
            created: createdSeconds,
            model: body.model,
            choices: [],
            usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
          });
        }
        await out.write("data: [DONE]\n\n");
      }
    });
  });

  app.post("/v1/embeddings", async (c) => {
    const body = await readJson(c, EmbeddingsSchema, server.limits.maxBodyBytes);
    const input = typeof body.input === "string" ? [body.input] : body.input;
    const { embeddings, inputTokens } = await embedTexts(server, body.model, input, c.get("apiKey"), c.req.raw.signal);
    return c.json({
      object: "list",
      data: embeddings.map((embedding, index) => ({
        object: "embedding",
        index,
        embedding: body.encoding_format === "base64" ? Buffer.from(new Float32Array(embedding).buffer).toString("base64") : embedding,
      })),
      model: body.model,
      usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
    });
  });

  return app;
}
