import type { ChatOptions, ChatResult, ChatStreamPart, ModelProvider } from "@tinyllm/core";
import { Ollama } from "ollama";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startOllamaTestServer, type OllamaTestServer, type OllamaTestServerEvent, type OllamaTestServerOptions } from "./ollama-test-server";

const MiB = 2 ** 20;
const wide = { timeoutMs: 10_000 };

/**
 * A backing provider that answers "Once upon a time" in two parts and, while held, waits
 * between them, so a request stays in flight for as long as a test needs.
 */
function gatedProvider(): { provider: ModelProvider; hold(): void; letGo(): void } {
  let held = false;
  const waiting = new Set<() => void>();
  async function* streamChat(options: ChatOptions): AsyncGenerator<ChatStreamPart> {
    yield { type: "text-delta", text: "Once" };
    while (held && !options.abortSignal?.aborted) {
      await new Promise<void>((resolve) => {
        waiting.add(resolve);
        options.abortSignal?.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    yield { type: "text-delta", text: " upon a time" };
    const result: ChatResult = {
      text: "Once upon a time",
      model: options.model,
      usage: { inputTokens: 1, outputTokens: 2 },
      finishReason: "stop",
      durationMs: 1,
    };
    yield { type: "finish", result };
  }
  const provider: ModelProvider = {
    specificationVersion: "v1",
    id: "gated",
    capabilities: { nativeToolCalls: false, jsonSchema: false, embeddings: true, streaming: true },
    streamChat,
    async chat(options) {
      for await (const part of streamChat(options)) if (part.type === "finish") return part.result;
      throw new Error("no finish part");
    },
    embed: async ({ input }) => ({ embeddings: input.map(() => [0.5, 0.5]), model: "gated" }),
    listModels: async () => [],
  };
  return {
    provider,
    hold: () => void (held = true),
    letGo() {
      held = false;
      for (const wake of waiting) wake();
      waiting.clear();
    },
  };
}

let server: OllamaTestServer | undefined;
let gate: ReturnType<typeof gatedProvider>;

afterEach(async () => {
  gate?.letGo();
  await server?.close();
  server = undefined;
});

async function start(options: OllamaTestServerOptions): Promise<{ host: OllamaTestServer; client: Ollama }> {
  gate = gatedProvider();
  const host = await startOllamaTestServer({ provider: gate.provider, providerModel: "gated", ...options });
  server = host;
  return { host, client: new Ollama({ host: host.url }) };
}

function ask(client: Ollama, model: string, keepAlive?: string | number) {
  return client.chat({ model, messages: [{ role: "user", content: "Once" }], ...(keepAlive !== undefined ? { keep_alive: keepAlive } : {}) });
}

/** Events as `kind model (reason)` lines, for exact comparisons. */
function lines(events: readonly OllamaTestServerEvent[]): string[] {
  return events.map((event) => `${event.kind} ${event.model}${event.reason ? ` (${event.reason})` : ""}`);
}

function has(kind: OllamaTestServerEvent["kind"], model: string, reason?: OllamaTestServerEvent["reason"]) {
  return (events: readonly OllamaTestServerEvent[]) =>
    events.some((e) => e.kind === kind && e.model === model && (reason === undefined || e.reason === reason));
}

function eventOf(host: OllamaTestServer, kind: OllamaTestServerEvent["kind"], model: string): OllamaTestServerEvent {
  const event = host.events.find((e) => e.kind === kind && e.model === model);
  if (!event) throw new Error(`no ${kind} event for ${model} in [${lines(host.events).join(", ")}]`);
  return event;
}

describe("startOllamaTestServer as a GPU host: VRAM, loads and keep-alive like Ollama's scheduler", () => {
  it("lists and shows every served model with its size, answered by the real backing model", async () => {
    server = await startOllamaTestServer({
      models: [
        { name: "small", sizeMB: 100 },
        { name: "big:7b", sizeMB: 4000 },
      ],
    });
    const client = new Ollama({ host: server.url });
    expect(server.modelName).toBe("small:latest");
    const { models } = await client.list();
    expect(models.map((model) => [model.name, model.size])).toEqual([
      ["small:latest", 100 * MiB],
      ["big:7b", 4000 * MiB],
    ]);
    expect((await client.show({ model: "big:7b" })).details.family).toBe("llama");
    const answer = await client.chat({ model: "big:7b", messages: [{ role: "user", content: "Once" }], options: { num_predict: 4 } });
    expect(answer.model).toBe("big:7b");
    expect(answer.eval_count).toBeGreaterThan(0);
    await expect(client.chat({ model: "other", messages: [{ role: "user", content: "a" }] })).rejects.toThrow(/not found/);
  });

  it("evicts the idle model when two do not fit together", async () => {
    const { host, client } = await start({
      models: [
        { name: "a", sizeMB: 600, loadMs: 30 },
        { name: "b", sizeMB: 600, loadMs: 30 },
      ],
      vramMB: 1000,
    });
    await ask(client, "a");
    await ask(client, "b");
    expect(lines(host.events)).toEqual(["load-start a:latest", "load-end a:latest", "unload a:latest (evicted)", "load-start b:latest", "load-end b:latest"]);
    expect((await client.ps()).models.map((model) => [model.name, model.size_vram])).toEqual([["b:latest", 600 * MiB]]);
  });

  it("does not evict a busy model until its request ends", async () => {
    const { host, client } = await start({
      models: [
        { name: "a", sizeMB: 600 },
        { name: "b", sizeMB: 600 },
      ],
      vramMB: 1000,
    });
    gate.hold();
    const first = ask(client, "a");
    await host.waitFor(has("load-end", "a:latest"), wide);
    const second = ask(client, "b");
    // The only way to show that something does not happen: it does not within 300 ms.
    await expect(host.waitFor(has("unload", "a:latest"), { timeoutMs: 300 })).rejects.toThrow(/not met within 300 ms/);
    expect(host.loaded()).toEqual([expect.objectContaining({ name: "a:latest", inFlight: 1 })]);

    const letGoAt = performance.now();
    gate.letGo();
    const [, answer] = await Promise.all([first, second]);
    expect(eventOf(host, "unload", "a:latest")).toMatchObject({ reason: "evicted", atMs: expect.any(Number) });
    expect(eventOf(host, "unload", "a:latest").atMs).toBeGreaterThanOrEqual(letGoAt);
    expect(answer.load_duration).toBeGreaterThanOrEqual(300e6);
  });

  it("evicts everything idle, then waits for the busy rest, for a model larger than the free VRAM", async () => {
    const { host, client } = await start({
      models: [
        { name: "a", sizeMB: 400 },
        { name: "b", sizeMB: 400 },
        { name: "huge", sizeMB: 1500 },
      ],
      vramMB: 1000,
    });
    await ask(client, "b", "1h");
    gate.hold();
    const busy = ask(client, "a", "1h");
    await host.waitFor(has("load-end", "a:latest"), wide);
    const huge = ask(client, "huge");
    await host.waitFor(has("unload", "b:latest"), wide);
    expect(host.loaded().map((model) => model.name)).toEqual(["a:latest"]);
    gate.letGo();
    await Promise.all([busy, huge]);
    expect(lines(host.events).slice(4)).toEqual(["unload b:latest (evicted)", "unload a:latest (evicted)", "load-start huge:latest", "load-end huge:latest"]);
    const [entry] = (await client.ps()).models;
    expect([entry?.size, entry?.size_vram]).toEqual([1500 * MiB, 1000 * MiB]);
  });

  it("loads a first model larger than the VRAM partly offloaded, and evicts it for the next", async () => {
    const { host, client } = await start({
      models: [
        { name: "huge", sizeMB: 6000 },
        { name: "small", sizeMB: 1000 },
      ],
      vramMB: 4000,
    });
    await ask(client, "huge");
    expect((await client.ps()).models).toEqual([expect.objectContaining({ name: "huge:latest", size: 6000 * MiB, size_vram: 4000 * MiB })]);
    expect(host.loaded()).toEqual([expect.objectContaining({ name: "huge:latest", sizeMB: 6000, vramMB: 4000, inFlight: 0 })]);
    await ask(client, "small");
    expect(lines(host.events)).toContain("unload huge:latest (evicted)");
    expect((await client.ps()).models).toEqual([expect.objectContaining({ name: "small:latest", size: 1000 * MiB, size_vram: 1000 * MiB })]);
  });

  it("loads a model with num_gpu beside others when its layers fit, and loads it again for another num_gpu", async () => {
    const { host, client } = await start({
      models: [
        { name: "huge", sizeMB: 6000, blockCount: 59 },
        { name: "small", sizeMB: 1000 },
      ],
      vramMB: 4000,
    });
    const chat = (numGpu?: number) =>
      client.chat({ model: "huge", messages: [{ role: "user", content: "Once" }], ...(numGpu !== undefined ? { options: { num_gpu: numGpu } } : {}) });
    expect((await client.show({ model: "huge" })).model_info).toMatchObject({ "llama.block_count": 59 });
    await ask(client, "small");
    // 29 of its 60 layers and the compute buffers, counted as one layer: 3,000 MB, which fit beside the 1,000 MB model.
    await chat(29);
    expect((await client.ps()).models.map((m) => [m.name, m.size, m.size_vram])).toEqual([
      ["small:latest", 1000 * MiB, 1000 * MiB],
      ["huge:latest", 6000 * MiB, 3000 * MiB],
    ]);
    // The same num_gpu, none, or -1 (Ollama's default) use the loaded model; another one loads it again.
    await chat(29);
    await chat();
    await chat(-1);
    expect(lines(host.events)).toEqual(["load-start small:latest", "load-end small:latest", "load-start huge:latest", "load-end huge:latest"]);
    await chat(19);
    expect(lines(host.events).slice(4)).toEqual(["unload huge:latest (reload)", "load-start huge:latest", "load-end huge:latest"]);
    expect(host.loaded().find((m) => m.name === "huge:latest")).toMatchObject({ vramMB: 2000, numGpu: 19 });
    // 30 layers and the buffers (3,100 MB) do not fit beside the small model: it is evicted, as without num_gpu.
    await chat(30);
    expect(lines(host.events)).toContain("unload small:latest (evicted)");
  });

  it("reloads for another num_gpu only once the load in progress and its requests are done", async () => {
    const { host, client } = await start({ models: [{ name: "huge", sizeMB: 6000, loadMs: 100, blockCount: 59 }], vramMB: 4000 });
    const chat = (numGpu: number) => client.chat({ model: "huge", messages: [{ role: "user", content: "Once" }], options: { num_gpu: numGpu } });
    // The second request comes while the first one's load is in progress; the first is held in flight.
    gate.hold();
    const first = chat(29);
    await host.waitFor(has("load-start", "huge:latest"), wide);
    const second = chat(19);
    // The first runs on the model it loaded, which stays until it is done.
    await vi.waitFor(() => expect(host.loaded()).toEqual([expect.objectContaining({ name: "huge:latest", numGpu: 29, inFlight: 1 })]), { timeout: 10_000 });
    expect(lines(host.events)).toEqual(["load-start huge:latest", "load-end huge:latest"]);
    gate.letGo();
    const [a, b] = await Promise.all([first, second]);
    expect([a.message.content, b.message.content]).toEqual(["Once upon a time", "Once upon a time"]);
    expect(lines(host.events)).toEqual([
      "load-start huge:latest",
      "load-end huge:latest",
      "unload huge:latest (reload)",
      "load-start huge:latest",
      "load-end huge:latest",
    ]);
    expect(host.loaded()).toEqual([expect.objectContaining({ name: "huge:latest", numGpu: 19, inFlight: 0 })]);
  });

  it("keeps at most maxLoadedModels, evicting the shortest keep-alive rather than the least recently used", async () => {
    const { host, client } = await start({
      models: [
        { name: "a", sizeMB: 10 },
        { name: "b", sizeMB: 10 },
        { name: "c", sizeMB: 10 },
      ],
      maxLoadedModels: 2,
    });
    await ask(client, "a", "1h");
    await ask(client, "b", "10m");
    await ask(client, "c", "10m");
    expect(lines(host.events).filter((line) => line.startsWith("unload"))).toEqual(["unload b:latest (evicted)"]);
    expect((await client.ps()).models.map((model) => model.name)).toEqual(["a:latest", "c:latest"]);
  });

  it("unloads after a request with keep_alive 0, and at once on an empty one", async () => {
    const { host, client } = await start({ models: [{ name: "a", sizeMB: 10, loadMs: 20 }] });
    await ask(client, "a", 0);
    await host.waitFor(has("unload", "a:latest", "keep-alive-0"), wide);
    expect((await client.ps()).models).toEqual([]);

    await ask(client, "a", "1h");
    expect(host.loaded()).toHaveLength(1);
    const unload = await client.chat({ model: "a", messages: [], keep_alive: 0 });
    expect(unload.done_reason).toBe("unload");
    expect(host.loaded()).toEqual([]);
    expect(lines(host.events).filter((line) => line.startsWith("unload"))).toEqual(["unload a:latest (keep-alive-0)", "unload a:latest (keep-alive-0)"]);
  });

  it('expires keep_alive "100ms" on time and never expires -1', async () => {
    const { host, client } = await start({
      models: [
        { name: "pinned", sizeMB: 10 },
        { name: "brief", sizeMB: 10 },
      ],
    });
    await ask(client, "pinned", -1);
    await ask(client, "brief", "100ms");
    await host.waitFor(has("unload", "brief:latest", "expired"), wide);
    expect(eventOf(host, "unload", "brief:latest").atMs - eventOf(host, "load-end", "brief:latest").atMs).toBeGreaterThanOrEqual(95);
    const { models } = await client.ps();
    expect(models.map((model) => model.name)).toEqual(["pinned:latest"]);
    expect(new Date(models[0]!.expires_at).getUTCFullYear()).toBeGreaterThan(2300);
    expect(host.loaded()[0]?.expiresAt).toBe(Number.POSITIVE_INFINITY);
  });

  it("rejects a keep_alive that is no duration, as Ollama does", async () => {
    const { client } = await start({ models: [{ name: "a", sizeMB: 10 }] });
    await expect(ask(client, "a", "soon")).rejects.toThrow(/invalid duration/);
  });

  it("preloads on an empty generate: answers once the load ended, and /api/ps lists the model", async () => {
    const { host, client } = await start({ models: [{ name: "a", sizeMB: 10, loadMs: 150 }] });
    const started = performance.now();
    const preload = await client.generate({ model: "a", prompt: "" });
    expect(preload.done_reason).toBe("load");
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(lines(host.events)).toEqual(["load-start a:latest", "load-end a:latest"]);
    expect((await client.ps()).models.map((model) => model.name)).toEqual(["a:latest"]);
  });

  it("reports load_duration; concurrent requests share one load, and a loaded model answers with 0", async () => {
    const { host, client } = await start({ models: [{ name: "a", sizeMB: 10, loadMs: 120 }] });
    const [first, twin] = await Promise.all([ask(client, "a"), ask(client, "a")]);
    expect(first.load_duration).toBeGreaterThanOrEqual(115e6);
    expect(twin.load_duration).toBeGreaterThan(0);
    expect(host.events.filter((event) => event.kind === "load-start")).toHaveLength(1);
    expect((await ask(client, "a")).load_duration).toBe(0);
  });

  it("holds requests for a loaded model while another model loads (one FIFO queue, ollama/ollama#5724)", async () => {
    const { host, client } = await start({
      models: [
        { name: "warm", sizeMB: 10 },
        { name: "cold", sizeMB: 10, loadMs: 200 },
      ],
    });
    await ask(client, "warm");
    const cold = ask(client, "cold");
    await host.waitFor(has("load-start", "cold:latest"), wide);
    const warm = await ask(client, "warm");
    const warmDoneAt = performance.now();
    expect(warmDoneAt).toBeGreaterThanOrEqual(eventOf(host, "load-end", "cold:latest").atMs);
    expect(warm.load_duration).toBeGreaterThan(0);
    await cold;
  });

  it("stop() cuts an in-flight stream and forgets the models; restart() serves again on the same URL", async () => {
    const { host, client } = await start({ models: [{ name: "a", sizeMB: 10, loadMs: 20 }] });
    const url = host.url;
    gate.hold();
    const stream = await client.chat({ model: "a", messages: [{ role: "user", content: "Once" }], stream: true });
    const parts = stream[Symbol.asyncIterator]();
    expect((await parts.next()).value?.message.content).toBe("Once");

    await host.stop();
    await expect(parts.next()).rejects.toThrow();
    expect(lines(host.events).at(-1)).toBe("unload a:latest (stopped)");
    expect(host.loaded()).toEqual([]);
    await expect(fetch(`${url}/api/version`)).rejects.toThrow();

    gate.letGo();
    const eventsBefore = host.events.length;
    await host.restart();
    expect(host.url).toBe(url);
    expect((await client.ps()).models).toEqual([]);
    expect((await ask(client, "a")).message.content).toBe("Once upon a time");
    expect(lines(host.events.slice(eventsBefore))).toEqual(["load-start a:latest", "load-end a:latest"]);
  });

  it("listens on a given port", async () => {
    const { host } = await start({ models: [{ name: "a", sizeMB: 10 }] });
    const port = Number(new URL(host.url).port);
    await host.close();
    server = await startOllamaTestServer({ provider: gate.provider, providerModel: "gated", models: [{ name: "a", sizeMB: 10 }], port });
    expect(server.url).toBe(host.url);
  });

  it("waitFor rejects after its timeout with the events seen", async () => {
    const { host, client } = await start({ models: [{ name: "a", sizeMB: 10 }] });
    await ask(client, "a");
    await expect(host.waitFor(has("unload", "a:latest"), { timeoutMs: 20 })).rejects.toThrow(
      "waitFor: condition not met within 20 ms; events so far: [load-start a:latest, load-end a:latest]",
    );
  });
});
