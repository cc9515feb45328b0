import type { ModelProvider } from "@tinyllm/core";
import { createOllamaProvider } from "@tinyllm/models";
import { startOllamaTestServer, type OllamaTestServer } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryStore } from "../recall/open-memory-store";
import { providerEmbedder } from "../recall/provider-embedder";
import { openTestLlama } from "../short-term/llama-test-provider.fixture";

// The test model's embeddings carry no meaning: these tests check their structure, not recall.
let llama: ModelProvider & { close(): Promise<void> };
let model: string;
let server: OllamaTestServer;

beforeAll(async () => {
  ({ provider: llama, model } = await openTestLlama());
  server = await startOllamaTestServer({ provider: llama, providerModel: model });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await llama?.close();
});

const texts = ["My sister Dana lives in Lisbon.", "I am allergic to peanuts.", "Our dog Biscuit is a beagle."];

describe("providerEmbedder over the embedded llama.cpp provider", () => {
  it("names its space provider:model and learns its dimensions on the first call", async () => {
    const embedder = providerEmbedder({ provider: llama, model });
    expect(embedder.id).toBe(`${llama.id}:${model}`);
    expect(embedder.dimensions).toBeUndefined();
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    expect(embedder.dimensions).toBeGreaterThan(0);
    for (const vector of vectors) {
      expect(vector).toHaveLength(embedder.dimensions!);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it("is deterministic: the same text gives the same vector, alone or in a batch", async () => {
    const embedder = providerEmbedder({ provider: llama, model });
    const batch = await embedder.embed(texts);
    const again = await embedder.embed(texts);
    const alone = await embedder.embed([texts[1]!]);
    expect(again).toEqual(batch);
    expect(alone[0]!.length).toBe(batch[1]!.length);
    alone[0]!.forEach((x, i) => expect(x).toBeCloseTo(batch[1]![i]!, 4));
    expect(batch[0]).not.toEqual(batch[1]);
  });

  it("round-trips through the store: vectors of its id, one per memory, and a nearest-self search", async () => {
    const embedder = providerEmbedder({ provider: llama, model });
    const store = openMemoryStore({ path: ":memory:", embedder });
    try {
      for (const text of texts) await store.add({ text, scope: "user", owner: "ada" });
      expect(await store.embedderStatus()).toEqual({ embedder: embedder.id, current: texts.length, other: 0, none: 0 });
      // Each text's own vector is at distance 0 and its words match too: it comes first.
      for (const text of texts) expect((await store.search(text, { k: 1 }))[0]?.text).toBe(text);
    } finally {
      await store.close();
    }
  });

  it("turns a provider failure into EMBEDDER_FAILED with a hint, and the store adds nothing", async () => {
    const embedder = providerEmbedder({ provider: llama, model: "no-such-model.gguf" });
    const error = await embedder.embed(["hello"]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "EMBEDDER_FAILED", message: expect.stringContaining("no-such-model.gguf"), hint: expect.any(String) });
    const store = openMemoryStore({ path: ":memory:", embedder });
    try {
      await expect(store.add({ text: "hello", scope: "user", owner: "ada" })).rejects.toMatchObject({ code: "EMBEDDER_FAILED" });
      expect(await store.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("passes its abort signal on: an aborted call rejects", async () => {
    const embedder = providerEmbedder({ provider: llama, model });
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(texts, { abortSignal: controller.signal })).rejects.toMatchObject({ code: "EMBEDDER_FAILED" });
  });
});

describe("providerEmbedder over Ollama's /api/embed (loopback test server)", () => {
  it("embeds through the Ollama provider with the same vectors as the backing model", async () => {
    const ollama = createOllamaProvider({ host: server.url });
    try {
      const embedder = providerEmbedder({ provider: ollama, model: server.modelName });
      expect(embedder.id).toBe(`${ollama.id}:${server.modelName}`);
      const viaOllama = await embedder.embed(texts);
      const direct = await providerEmbedder({ provider: llama, model }).embed(texts);
      expect(viaOllama).toHaveLength(texts.length);
      viaOllama.forEach((vector, i) => vector.forEach((x, j) => expect(x).toBeCloseTo(direct[i]![j]!, 4)));
      expect(server.requests.some((request) => request.path === "/api/embed")).toBe(true);

      const store = openMemoryStore({ path: ":memory:", embedder });
      try {
        await store.add({ text: texts[0]!, scope: "user", owner: "ada" });
        expect(await store.embedderStatus()).toMatchObject({ embedder: embedder.id, current: 1 });
      } finally {
        await store.close();
      }
    } finally {
      await ollama.close?.();
    }
  });

  it("reports a server error as EMBEDDER_FAILED", async () => {
    const ollama = createOllamaProvider({ host: server.url });
    try {
      const embedder = providerEmbedder({ provider: ollama, model: "not-pulled:latest" });
      await expect(embedder.embed(["hello"])).rejects.toMatchObject({ code: "EMBEDDER_FAILED", hint: expect.stringMatching(/ollama pull|embedModel/) });
    } finally {
      await ollama.close?.();
    }
  });
});
