import { createServer } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateObject } from "@tinyllm/core";
import { captureError } from "../testing/capture-error";
import { closeHttpServer, listenOnLoopback } from "../testing/http-test-utils";
import { startOllamaTestServer, type OllamaTestServer } from "../testing/ollama-test-server";
import type { ChatStreamPart } from "@tinyllm/core";
import { createOllamaProvider, normalizeOllamaHost, type OllamaProvider, type OllamaPullProgress } from "./ollama-provider";
import { describeProviderConformance } from "../testing/provider-conformance";

describeProviderConformance({
  name: "ollama provider",
  test: { describe, it, beforeAll, afterAll },
  createSubject: async () => {
    const testServer = await startOllamaTestServer();
    return { provider: createOllamaProvider({ host: testServer.url }), model: testServer.modelName, cleanup: () => testServer.close() };
  },
});

let server: OllamaTestServer;
let ollama: OllamaProvider;
let model: string;

const user = (content: string) => [{ role: "user" as const, content }];

beforeAll(async () => {
  server = await startOllamaTestServer();
  model = server.modelName;
  ollama = createOllamaProvider({ host: server.url, keepAlive: "10m", idleTimeoutMs: 20_000 });
});

afterAll(async () => {
  await ollama?.close();
  await server?.close();
});

afterEach(() => server.setFault(undefined));

async function closedPort(): Promise<number> {
  const probe = createServer();
  const port = await listenOnLoopback(probe);
  await closeHttpServer(probe);
  return port;
}

describe("createOllamaProvider against the test server", () => {
  it("chats, sending options, keep_alive and usage", async () => {
    const result = await ollama.chat({
      model,
      system: "You tell stories.",
      messages: user("Once upon a time"),
      maxTokens: 20,
      temperature: 0.5,
      topP: 0.9,
      seed: 3,
      stop: ["\n\n\n"],
    });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.model).toBe(model);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.timeToFirstTokenMs).toBeGreaterThan(0);
    const body = server.requests.at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model,
      stream: true,
      keep_alive: "10m",
      options: { temperature: 0.5, top_p: 0.9, seed: 3, num_predict: 20, stop: ["\n\n\n"] },
      messages: [
        { role: "system", content: "You tell stories." },
        { role: "user", content: "Once upon a time" },
      ],
    });
  });

  it("streams NDJSON deltas that concatenate to the final text", async () => {
    const parts: ChatStreamPart[] = [];
    for await (const part of ollama.streamChat({ model, messages: user("Once"), maxTokens: 16 })) parts.push(part);
    const finish = parts.at(-1);
    expect(finish?.type).toBe("finish");
    const text = parts.flatMap((part) => (part.type === "text-delta" ? [part.text] : [])).join("");
    expect(parts.length).toBeGreaterThan(2);
    expect(finish?.type === "finish" && finish.result.text).toBe(text);
  });

  it("sends jsonSchema as format and gets JSON back", async () => {
    const jsonSchema = {
      type: "object",
      properties: { mood: { type: "string", enum: ["happy", "sad"] }, ok: { type: "boolean" } },
      required: ["mood", "ok"],
    };
    const result = await ollama.chat({ model, messages: user("JSON please"), jsonSchema, maxTokens: 40 });
    expect((server.requests.at(-1)?.body as Record<string, unknown>).format).toEqual(jsonSchema);
    const value = JSON.parse(result.text) as { mood: string; ok: boolean };
    expect(["happy", "sad"]).toContain(value.mood);
    expect(typeof value.ok).toBe("boolean");
  });

  it("embeds, lists, shows and reports running models", async () => {
    const { embeddings } = await ollama.embed({ model, input: ["one", "two"] });
    expect(embeddings).toHaveLength(2);
    expect(embeddings[0]!.length).toBeGreaterThan(0);

    const models = await ollama.listModels();
    expect(models).toEqual([expect.objectContaining({ name: model, family: "llama", quantization: "F32" })]);
    expect(models[0]!.sizeBytes).toBeGreaterThan(1000);

    const running = await ollama.ps();
    expect(running[0]?.name).toBe(model);
    const expiresInMs = Date.parse(running[0]!.expiresAt!) - Date.now();
    expect(expiresInMs).toBeGreaterThan(9 * 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(10 * 60_000);

    const shown = await ollama.show(model);
    expect(shown).toMatchObject({ name: model, family: "llama", capabilities: ["completion", "embedding"] });
    expect(shown.modelInfo?.["general.architecture"]).toBe("llama");
  });

  it("sends a call's own keep_alive, and loads and unloads a model on request", async () => {
    await ollama.chat({ model, messages: user("Once"), maxTokens: 2, keepAlive: -1 });
    expect((server.requests.at(-1)?.body as Record<string, unknown>).keep_alive).toBe(-1);
    await ollama.keepLoaded(model, { keepAlive: 0 });
    expect(await ollama.ps()).toEqual([]);
    await ollama.keepLoaded(model, { keepAlive: "1h" });
    const running = await ollama.ps();
    expect(running.map((entry) => entry.name)).toEqual([model]);
    expect(Date.parse(running[0]!.expiresAt!) - Date.now()).toBeGreaterThan(59 * 60_000);
    await expect(ollama.keepLoaded("missing:1b", { keepAlive: "5m" })).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
  });

  it("pulls with streamed progress", async () => {
    const progress: OllamaPullProgress[] = [];
    const result = await ollama.pull(model, { onProgress: (part) => progress.push(part) });
    expect(result).toEqual({ status: "success" });
    expect(progress[0]?.status).toBe("pulling manifest");
    expect(progress.at(-1)?.status).toBe("success");
    const downloads = progress.filter((part) => part.totalBytes !== undefined);
    expect(downloads.length).toBeGreaterThan(1);
    expect(downloads.at(-1)?.completedBytes).toBe(downloads.at(-1)?.totalBytes);

    const error = await captureError(ollama.pull("missing-model", { onProgress: () => undefined }));
    expect(error.code).toBe("MODEL_NOT_FOUND");
    expect(error.message).toContain('cannot pull "missing-model"');
  });

  it("maps an unknown model to MODEL_NOT_FOUND with the pull command", async () => {
    for (const call of [
      () => ollama.chat({ model: "nope:1b", messages: user("hi") }),
      () => ollama.embed({ model: "nope:1b", input: ["x"] }),
      () => ollama.show("nope:1b"),
    ]) {
      const error = await captureError(call());
      expect(error.code).toBe("MODEL_NOT_FOUND");
      expect(error.message).toContain("run `ollama pull nope:1b`");
      expect(error.isRetryable).toBe(false);
    }
    server.setFault({ kind: "model-not-found", times: 1 });
    expect((await captureError(ollama.chat({ model, messages: user("hi") }))).code).toBe("MODEL_NOT_FOUND");
  });

  it("maps 5xx to a retryable MODEL_REQUEST_FAILED", async () => {
    server.setFault({ kind: "server-error", status: 503, message: "server busy" });
    for (const call of [() => ollama.chat({ model, messages: user("hi") }), () => ollama.listModels()]) {
      const error = await captureError(call());
      expect(error.code).toBe("MODEL_REQUEST_FAILED");
      expect(error.isRetryable).toBe(true);
      expect(error.message).toContain("503");
      expect(error.message).toContain("server busy");
    }
  });

  it("turns a stream cut mid-way into a clear error, not a hang", async () => {
    for (const mode of ["destroy", "end"] as const) {
      server.setFault({ kind: "cut-stream", afterChunks: 2, mode, times: 1 });
      const deltas: string[] = [];
      const started = performance.now();
      const error = await captureError(
        (async () => {
          for await (const part of ollama.streamChat({ model, messages: user("Once"), maxTokens: 40 })) {
            if (part.type === "text-delta") deltas.push(part.text);
          }
        })(),
      );
      expect(error.code).toBe("MODEL_REQUEST_FAILED");
      expect(error.isRetryable).toBe(true);
      expect(error.message).toMatch(/broke before/);
      expect(deltas).toHaveLength(2);
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });

  it("times out a slow first byte, and aborts while waiting", async () => {
    server.setFault({ kind: "slow-first-byte", delayMs: 10_000 });
    const impatient = createOllamaProvider({ host: server.url, idleTimeoutMs: 200 });
    let started = performance.now();
    const timeout = await captureError(impatient.chat({ model, messages: user("hi") }));
    expect(timeout.code).toBe("MODEL_REQUEST_FAILED");
    expect(timeout.isRetryable).toBe(true);
    expect(timeout.message).toContain("no data for 200 ms");
    expect(performance.now() - started).toBeLessThan(5_000);

    const controller = new AbortController();
    started = performance.now();
    const pending = captureError(ollama.chat({ model, messages: user("hi"), abortSignal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const aborted = await pending;
    expect(aborted.code).toBe("MODEL_ABORTED");
    expect(performance.now() - started).toBeLessThan(5_000);
    await impatient.close();
  });

  it("lets generateObject repair an invalid structured answer", async () => {
    const schema = z.object({ mood: z.enum(["happy", "sad"]) });
    server.setFault({ kind: "invalid-json", times: 1 });
    const { object, repaired } = await generateObject({ provider: ollama, model, schema, messages: user("mood?"), maxTokens: 30 });
    expect(repaired).toBe(true);
    expect(["happy", "sad"]).toContain(object.mood);

    server.setFault({ kind: "invalid-json" });
    const error = await captureError(generateObject({ provider: ollama, model, schema, messages: user("mood?") }));
    expect(error.code).toBe("MODEL_OUTPUT_INVALID");
    expect(error.message).toContain("not JSON");
  });

  it("reports a closed port as MODEL_UNAVAILABLE with what to do", async () => {
    const port = await closedPort();
    const offline = createOllamaProvider({ host: `http://127.0.0.1:${port}` });
    for (const call of [() => offline.chat({ model, messages: user("hi") }), () => offline.listModels(), () => offline.embed({ model, input: ["x"] })]) {
      const error = await captureError(call());
      expect(error.code).toBe("MODEL_UNAVAILABLE");
      expect(error.message).toBe(`Ollama is not reachable at http://127.0.0.1:${port}: start it with \`ollama serve\`, or set OLLAMA_HOST`);
    }
  });

  it("reads OLLAMA_HOST and normalizes hosts like the Ollama CLI", async () => {
    const previous = process.env.OLLAMA_HOST;
    process.env.OLLAMA_HOST = server.url;
    try {
      const fromEnv = createOllamaProvider();
      expect(fromEnv.host).toBe(server.url);
      expect((await fromEnv.listModels())[0]?.name).toBe(model);
    } finally {
      if (previous === undefined) delete process.env.OLLAMA_HOST;
      else process.env.OLLAMA_HOST = previous;
    }
    expect(normalizeOllamaHost("localhost")).toBe("http://localhost:11434");
    expect(normalizeOllamaHost(":8080")).toBe("http://127.0.0.1:8080");
    expect(normalizeOllamaHost("0.0.0.0:11434")).toBe("http://127.0.0.1:11434");
    expect(normalizeOllamaHost("https://ollama.example.com/")).toBe("https://ollama.example.com");
  });

  it("refuses calls after close()", async () => {
    const other = createOllamaProvider({ host: server.url });
    await other.close();
    await other.close();
    expect((await captureError(other.listModels())).code).toBe("MODEL_UNAVAILABLE");
  });
});
