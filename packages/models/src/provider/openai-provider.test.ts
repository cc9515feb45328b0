import { createServer } from "node:http";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateObject } from "@tinyllm/core";
import { captureError } from "../testing/capture-error";
import { closeHttpServer, listenOnLoopback } from "../testing/http-test-utils";
import { startOpenAITestServer, type OpenAITestServer } from "../testing/openai-test-server";
import type { ChatStreamPart } from "@tinyllm/core";
import { createOpenAIProvider, type OpenAIProvider } from "./openai-provider";
import { describeProviderConformance } from "../testing/provider-conformance";

describeProviderConformance({
  name: "openai provider",
  test: { describe, it, beforeAll, afterAll },
  createSubject: async () => {
    const server = await startOpenAITestServer();
    return { provider: createOpenAIProvider({ baseURL: server.baseURL }), model: server.modelName, cleanup: () => server.close() };
  },
});

let server: OpenAITestServer;
let openai: OpenAIProvider;
let model: string;

const user = (content: string) => [{ role: "user" as const, content }];

beforeAll(async () => {
  server = await startOpenAITestServer({ apiKey: "sk-test" });
  model = server.modelName;
  openai = createOpenAIProvider({ baseURL: server.baseURL, apiKey: "sk-test", idleTimeoutMs: 20_000 });
});

afterAll(async () => {
  await openai?.close();
  await server?.close();
});

afterEach(() => server.setFault(undefined));

describe("createOpenAIProvider against the test server", () => {
  it("sends chat parameters and reads usage from plain and streamed answers", async () => {
    const result = await openai.chat({
      model,
      system: "You tell stories.",
      messages: [...user("Once upon a time"), { role: "tool", content: "42", toolName: "calc" }],
      maxTokens: 12,
      temperature: 0.4,
      topP: 0.8,
      seed: 5,
      stop: ["\n\n\n"],
    });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(server.requests.at(-1)?.body).toMatchObject({
      model,
      max_tokens: 12,
      temperature: 0.4,
      top_p: 0.8,
      seed: 5,
      stop: ["\n\n\n"],
      messages: [
        { role: "system", content: "You tell stories." },
        { role: "user", content: "Once upon a time" },
        { role: "user", content: "Result of tool calc:\n42" },
      ],
    });
    expect((server.requests.at(-1)?.body as { stream?: boolean }).stream).toBe(false);

    const parts: ChatStreamPart[] = [];
    for await (const part of openai.streamChat({ model, messages: user("Once"), maxTokens: 8 })) parts.push(part);
    expect(server.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const finish = parts.at(-1);
    expect(finish?.type === "finish" && finish.result.usage.outputTokens).toBeGreaterThan(0);
    expect(finish?.type === "finish" && finish.result.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it("sends jsonSchema as response_format json_schema", async () => {
    const jsonSchema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const result = await openai.chat({ model, messages: user("JSON"), jsonSchema, maxTokens: 20 });
    expect((server.requests.at(-1)?.body as Record<string, unknown>).response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema: jsonSchema, strict: false },
    });
    expect(typeof (JSON.parse(result.text) as { ok: unknown }).ok).toBe("boolean");
  });

  it("serves the official client directly, including base64 embeddings", async () => {
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: "sk-test", maxRetries: 0 });
    const embedding = await client.embeddings.create({ model, input: ["hello", "world"] });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.data[0]!.embedding.length).toBeGreaterThan(0);
    expect((await client.models.retrieve(model)).id).toBe(model);
    const wrongKey = await captureError(createOpenAIProvider({ baseURL: server.baseURL, apiKey: "bad" }).listModels());
    expect(wrongKey.code).toBe("MODEL_REQUEST_FAILED");
    expect(wrongKey.hint).toContain("OPENAI_API_KEY");
  });

  it("maps 404, 5xx and unreachable servers", async () => {
    const missing = await captureError(openai.chat({ model: "gpt-nope", messages: user("hi") }));
    expect(missing.code).toBe("MODEL_NOT_FOUND");
    expect(missing.message).toContain("gpt-nope");

    server.setFault({ kind: "server-error", status: 502 });
    const failed = await captureError(openai.chat({ model, messages: user("hi") }));
    expect(failed.code).toBe("MODEL_REQUEST_FAILED");
    expect(failed.isRetryable).toBe(true);
    expect(failed.message).toContain("502");
    server.setFault(undefined);

    const probe = createServer();
    const port = await listenOnLoopback(probe);
    await closeHttpServer(probe);
    const offline = createOpenAIProvider({ baseURL: `http://127.0.0.1:${port}/v1` });
    const unreachable = await captureError(offline.listModels());
    expect(unreachable.code).toBe("MODEL_UNAVAILABLE");
    expect(unreachable.message).toContain(`http://127.0.0.1:${port}/v1`);
    expect(unreachable.isRetryable).toBe(true);
  });

  it("turns a stream cut mid-way into a clear error, not a hang", async () => {
    for (const mode of ["destroy", "end"] as const) {
      server.setFault({ kind: "cut-stream", afterChunks: 2, mode, times: 1 });
      const deltas: string[] = [];
      const error = await captureError(
        (async () => {
          for await (const part of openai.streamChat({ model, messages: user("Once"), maxTokens: 40 })) {
            if (part.type === "text-delta") deltas.push(part.text);
          }
        })(),
      );
      expect(error.code).toBe("MODEL_REQUEST_FAILED");
      expect(error.isRetryable).toBe(true);
      expect(error.message).toMatch(/broke before|ended before/);
      expect(deltas.length).toBeGreaterThanOrEqual(1);
    }
    server.setFault({ kind: "cut-stream", mode: "end", times: 1 });
    const plain = await captureError(openai.chat({ model, messages: user("Once"), maxTokens: 8 }));
    expect(plain.code).toBe("MODEL_REQUEST_FAILED");
  });

  it("times out a slow first byte and aborts while waiting", async () => {
    server.setFault({ kind: "slow-first-byte", delayMs: 10_000 });
    const impatient = createOpenAIProvider({ baseURL: server.baseURL, apiKey: "sk-test", idleTimeoutMs: 200 });
    const timeout = await captureError(impatient.chat({ model, messages: user("hi") }));
    expect(timeout.code).toBe("MODEL_REQUEST_FAILED");
    expect(timeout.message).toContain("no data for 200 ms");

    const controller = new AbortController();
    const started = performance.now();
    const pending = captureError(openai.chat({ model, messages: user("hi"), abortSignal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    expect((await pending).code).toBe("MODEL_ABORTED");
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("lets generateObject repair invalid structured output", async () => {
    const schema = z.object({ ok: z.boolean() });
    server.setFault({ kind: "invalid-json", times: 1 });
    const { object, repaired } = await generateObject({ provider: openai, model, schema, messages: user("ok?"), maxTokens: 20 });
    expect(repaired).toBe(true);
    expect(typeof object.ok).toBe("boolean");
  });

  it("defaults apiKey and baseURL from the environment", async () => {
    const previous = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = "sk-test";
    process.env.OPENAI_BASE_URL = server.baseURL;
    try {
      const fromEnv = createOpenAIProvider();
      expect(fromEnv.baseURL).toBe(server.baseURL);
      expect((await fromEnv.listModels()).map((info) => info.name)).toEqual([model]);
    } finally {
      for (const [key, value] of [
        ["OPENAI_API_KEY", previous.key],
        ["OPENAI_BASE_URL", previous.url],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
