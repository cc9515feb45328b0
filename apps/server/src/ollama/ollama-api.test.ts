import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server";

let server: TestServer;
let ollama: Ollama;

beforeAll(async () => {
  server = await startTestServer();
  ollama = new Ollama({ host: server.url });
});

afterAll(async () => {
  await server?.stop();
});

// The official `ollama` client, unchanged, against the server: every route an Ollama client uses.
describe("the Ollama API, through the official ollama client", () => {
  it("answers / and a dotted numeric version", async () => {
    const root = await fetch(server.url);
    expect(await root.text()).toBe("Ollama is running");
    const head = await fetch(`${server.url}/api/version`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const { version } = await ollama.version();
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("lists every served graph as ID:latest with the tinyllm-graph family", async () => {
    const { models } = await ollama.list();
    expect(models.map((model) => model.name)).toEqual(["multi_domain:latest"]);
    expect(models[0]!.details.family).toBe("tinyllm-graph");
    expect(Number.isNaN(Date.parse(String(models[0]!.modified_at)))).toBe(false);
  });

  it("shows a graph, and says which ones exist for an unknown model", async () => {
    const shown = await ollama.show({ model: "multi_domain:latest" });
    expect(shown.details.family).toBe("tinyllm-graph");
    expect(shown.capabilities).toContain("completion");
    const error = await ollama.show({ model: "nope" }).catch((caught: { status_code?: number; error?: string }) => caught);
    expect(error).toMatchObject({ status_code: 404 });
    expect(String((error as { error?: string }).error)).toContain("multi_domain");
  });

  it("answers a chat without streaming: the calculator's answer, done, the counts and durations", async () => {
    const response = await ollama.chat({ model: "multi_domain", messages: [{ role: "user", content: "What is 2+2?" }], stream: false });
    expect(response.message).toEqual({ role: "assistant", content: "4" });
    expect(response.done).toBe(true);
    expect(response.done_reason).toBe("stop");
    expect(response.total_duration).toBeGreaterThan(0);
    expect(typeof response.eval_count).toBe("number");
    const story = await ollama.chat({ model: "multi_domain", messages: [{ role: "user", content: "Tell me a story about a cat." }], stream: false });
    expect(story.eval_count).toBeGreaterThan(0);
    expect(story.eval_duration).toBeGreaterThan(0);
    expect(story.prompt_eval_duration).toBeLessThan(story.total_duration);
  });

  it("streams a chat that reaches the model as NDJSON, ending with done and token counts", async () => {
    const parts = await ollama.chat({ model: "multi_domain:latest", messages: [{ role: "user", content: "Tell me a story about a cat." }], stream: true });
    let text = "";
    let chunks = 0;
    let last: { done: boolean; eval_count: number; prompt_eval_count: number; done_reason: string } | undefined;
    for await (const part of parts) {
      chunks++;
      text += part.message.content;
      last = part as typeof last;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text.trim().length).toBeGreaterThan(0);
    expect(last?.done).toBe(true);
    expect(["stop", "length"]).toContain(last?.done_reason);
    expect(last?.eval_count).toBeGreaterThan(0);
    expect(last?.prompt_eval_count).toBeGreaterThan(0);
  });

  it("passes the whole conversation to the run, the query being the last user message", async () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Hi!" },
      { role: "user", content: "What is 6*7?" },
    ];
    const response = await fetch(`${server.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "multi_domain", messages, stream: false }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { message: { content: string } }).message.content).toBe("42");
    const runId = response.headers.get("X-TinyLLM-Run-Id");
    const run = (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as { input: string; source: string };
    expect(run.input).toBe("What is 6*7?");
    expect(run.source).toBe("api/chat");
  });

  it("says length when num_predict cut the answer", async () => {
    const response = await ollama.generate({ model: "multi_domain", prompt: "Tell me a story about a cat.", stream: false, options: { num_predict: 3 } });
    expect(response.done_reason).toBe("length");
  });

  it("generates, streaming and not", async () => {
    const whole = await ollama.generate({ model: "multi_domain", prompt: "What is 10/4?", stream: false });
    expect(whole.response).toBe("2.5");
    expect(whole.done).toBe(true);
    let text = "";
    for await (const part of await ollama.generate({ model: "multi_domain", prompt: "Once upon a time", stream: true })) text += part.response;
    expect(text.length).toBeGreaterThan(0);
  });

  it("reports the loaded backing model in ps, unloads it with keep_alive 0 and loads it with an empty prompt", async () => {
    await ollama.generate({ model: "multi_domain", prompt: "", keep_alive: 0 });
    expect((await ollama.ps()).models).toHaveLength(0);
    const loaded = await ollama.generate({ model: "multi_domain", prompt: "" });
    expect(loaded.done).toBe(true);
    const { models } = await ollama.ps();
    expect(models).toHaveLength(1);
    expect(models[0]!.size).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(String(models[0]!.expires_at)))).toBe(false);
  });

  it("embeds only with a served graph or a model the backend lists, never a path", async () => {
    for (const model of ["/etc/passwd", "../../../../etc/hostname", "nope.gguf"]) {
      const response = await fetch(`${server.url}/api/embed`, { method: "POST", body: JSON.stringify({ model, input: "x" }) });
      expect(response.status, model).toBe(404);
      expect(((await response.json()) as { error: string }).error).not.toMatch(/magic|root:|readable/i);
    }
    const many = await fetch(`${server.url}/api/embed`, {
      method: "POST",
      body: JSON.stringify({ model: "multi_domain", input: Array.from({ length: 1000 }, () => "a") }),
    });
    expect(many.status).toBe(400);
  });

  it("embeds through the backend", async () => {
    const { embeddings } = await ollama.embed({ model: "multi_domain", input: ["a cat", "a dog"] });
    expect(embeddings).toHaveLength(2);
    expect(embeddings[0]!.length).toBeGreaterThan(0);
    expect(embeddings[0]!.every((value) => Number.isFinite(value))).toBe(true);
  });

  it("stops the run when the client aborts mid-stream", async () => {
    const client = new Ollama({ host: server.url });
    const parts = await client.chat({ model: "multi_domain", messages: [{ role: "user", content: "Tell me a long story about a dragon." }], stream: true });
    for await (const part of parts) {
      expect(part.done).toBe(false);
      client.abort();
      break;
    }
    // The server sees the disconnect and cancels the run. Its event stream ends with the run.
    const { data } = (await (await fetch(`${server.url}/v1/runs?limit=1`)).json()) as { data: Array<{ id: string; source: string }> };
    expect(data[0]!.source).toBe("api/chat");
    await (await fetch(`${server.url}/v1/runs/${data[0]!.id}/events`)).text();
    const run = (await (await fetch(`${server.url}/v1/runs/${data[0]!.id}`)).json()) as { status: string };
    expect(run.status).toBe("cancelled");
  });

  it("answers errors as {error} with the right status", async () => {
    const cases: Array<[string, unknown, number]> = [
      ["/api/chat", "{not json", 400],
      ["/api/chat", { model: 5, messages: [] }, 400],
      ["/api/chat", { model: "nope", messages: [{ role: "user", content: "hi" }] }, 404],
      ["/api/chat", { model: "multi_domain", messages: [{ role: "assistant", content: "hi" }] }, 400],
      ["/api/generate", { model: "multi_domain", prompt: 3 }, 400],
      ["/api/generate", { model: "multi_domain", prompt: "   ", stream: false }, 400],
      ["/api/nope", {}, 404],
    ];
    for (const [route, body, status] of cases) {
      const response = await fetch(`${server.url}${route}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
      expect(response.status, `${route} ${JSON.stringify(body)}`).toBe(status);
      const json = (await response.json()) as { error: string };
      expect(typeof json.error).toBe("string");
      expect(json.error).not.toMatch(/\n\s+at /);
      expect(response.headers.get("X-Request-Id")).toBeTruthy();
    }
  });
});
