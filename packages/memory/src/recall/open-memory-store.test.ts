import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelProvider } from "@tinyllm/core";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLlama } from "../short-term/llama-test-provider.fixture";
import { openMemoryStore } from "./open-memory-store";
import { providerEmbedder } from "./provider-embedder";

let dir: string;
let provider: ModelProvider & { close(): Promise<void> };
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tinyllm-memory-store-"));
  ({ provider, model } = await openTestLlama());
});
afterAll(async () => {
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

const facts = [
  "My sister Dana lives in Lisbon.",
  "I am allergic to peanuts.",
  "Our dog Biscuit is a beagle.",
  "I work as a nurse at the city hospital.",
  "The wifi password at the cabin is on the fridge.",
];

describe("openMemoryStore", () => {
  it("recalls by BM25 with no embedder: paraphrases that share a stem, within the asked scopes", async () => {
    const store = openMemoryStore({ path: join(dir, "lexical.db") });
    try {
      for (const text of facts) await store.add({ text, scope: "user", owner: "ada" });
      await store.add({ text: "Grace's sister lives in Oslo.", scope: "user", owner: "grace" });
      const hits = await store.search("Where does Dana live?", { k: 3, scopes: [{ scope: "user", owner: "ada" }] });
      expect(hits[0]?.text).toBe("My sister Dana lives in Lisbon.");
      expect(hits.every((hit) => hit.owner === "ada")).toBe(true);
      expect(hits[0]!.score).toBeGreaterThan(0);
      expect((await store.search("peanut allergy", { k: 1 }))[0]?.text).toBe("I am allergic to peanuts.");
      expect(await store.count()).toBe(6);
      expect(statSync(join(dir, "lexical.db")).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it("stores vectors from a real embedder, fuses them with BM25, and reports which embedder wrote them", async () => {
    const path = join(dir, "vectors.db");
    const embedder = providerEmbedder({ provider, model });
    const store = openMemoryStore({ path, embedder });
    try {
      for (const text of facts) await store.add({ text, scope: "user", owner: "ada" });
      expect(embedder.dimensions).toBeGreaterThan(0);
      const hits = await store.search("Dana lives where?", { k: 5 });
      expect(hits).toHaveLength(5);
      expect(hits[0]?.text).toBe("My sister Dana lives in Lisbon.");
      expect(await store.embedderStatus()).toEqual({ embedder: embedder.id, current: 5, other: 0, none: 0 });
    } finally {
      await store.close();
    }
    // Opened without the embedder, the vectors are not compared and recall stays lexical.
    const lexical = openMemoryStore({ path });
    try {
      expect(await lexical.embedderStatus()).toMatchObject({ embedder: undefined, other: 5 });
      expect((await lexical.search("Dana", { k: 1 }))[0]?.text).toBe("My sister Dana lives in Lisbon.");
    } finally {
      await lexical.close();
    }
  });

  it("forgets and wipes for real: the rows and their vectors are gone from the file", async () => {
    const path = join(dir, "forget.db");
    const store = openMemoryStore({ path, embedder: providerEmbedder({ provider, model }) });
    const secret = await store.add({ text: "The vault code is zebra-4471.", scope: "user", owner: "ada" });
    await store.add({ text: "Ada likes tea.", scope: "session", owner: "s1" });
    expect(await store.forget(secret.id)).toBe(true);
    expect(await store.forget(secret.id)).toBe(false);
    expect(await store.search("vault code", { k: 5 })).not.toContainEqual(expect.objectContaining({ id: secret.id }));
    expect(await store.wipe({ scopes: [{ scope: "session", owner: "s1" }] })).toBe(1);
    await store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT count(*) AS n FROM memories").get()).toEqual({ n: 0 });
    raw.close();
    // secure_delete: the text is not left behind in free pages.
    const bytes = (await import("node:fs")).readFileSync(path);
    expect(bytes.includes(Buffer.from("zebra-4471"))).toBe(false);
  });

  it("refuses bad input with a clear error and keeps to its caps", async () => {
    const store = openMemoryStore({ path: ":memory:", maxMemories: 2 });
    try {
      await expect(store.add({ text: "  ", scope: "user", owner: "ada" })).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
      await expect(store.add({ text: "x".repeat(1_000_000), scope: "user", owner: "ada" })).rejects.toMatchObject({
        code: "MEMORY_INPUT_INVALID",
        message: expect.stringMatching(/at most 2000/),
      });
      await expect(store.add({ text: "bin\u0000ary", scope: "user", owner: "ada" })).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
      await expect(store.add({ text: "ok", scope: "planet" as never, owner: "ada" })).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
      await store.add({ text: "one", scope: "user", owner: "ada" });
      await store.add({ text: "two", scope: "user", owner: "ada" });
      await expect(store.add({ text: "three", scope: "user", owner: "ada" })).rejects.toMatchObject({ code: "MEMORY_STORE_FULL" });
      await expect(store.search("", {})).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
      await expect(store.importMemories({ version: 1, memories: [{ text: "x", scope: "user" }] })).rejects.toMatchObject({
        code: "MEMORY_INPUT_INVALID",
        message: expect.stringContaining("memories.0.owner"),
      });
    } finally {
      await store.close();
    }
  });

  it("imports all or nothing: an import that would pass the cap adds none, and says so", async () => {
    const store = openMemoryStore({ path: ":memory:", maxMemories: 3 });
    try {
      await store.add({ text: "already here", scope: "user", owner: "ada" });
      const three = ["one", "two", "three"].map((text) => ({ text, scope: "user" as const, owner: "ada" }));
      const error = await store.importMemories({ version: 1, memories: three }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: "MEMORY_STORE_FULL", message: expect.stringMatching(/holds 3 memories .* room for 2 .*nothing was imported/) });
      expect(await store.count()).toBe(1);
      expect(await store.importMemories({ version: 1, memories: three.slice(0, 2) })).toBe(2);
      expect(await store.count()).toBe(3);
    } finally {
      await store.close();
    }
  });

  it("exports and imports, and sees what another connection wrote", async () => {
    const path = join(dir, "shared.db");
    const one = openMemoryStore({ path });
    const two = openMemoryStore({ path });
    try {
      await one.add({ text: "Kai plays the cello.", scope: "user", owner: "kai" });
      expect((await two.search("cello", { k: 1 }))[0]?.text).toBe("Kai plays the cello.");
      const exported = await one.exportMemories();
      const copy = openMemoryStore({ path: ":memory:" });
      expect(await copy.importMemories(JSON.parse(JSON.stringify(exported)))).toBe(1);
      expect((await copy.list())[0]).toMatchObject({
        text: "Kai plays the cello.",
        scope: "user",
        owner: "kai",
        createdAtMs: exported.memories[0]!.createdAtMs,
      });
      expect((await copy.search("cello", { k: 1 }))[0]?.text).toBe("Kai plays the cello.");
      await copy.close();
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("says what is wrong with a file that is not a memory store, or from a newer version", () => {
    const junk = join(dir, "junk.db");
    writeFileSync(junk, "this is not sqlite at all, just text ".repeat(200));
    expect(() => openMemoryStore({ path: junk })).toThrow(expect.objectContaining({ code: "MEMORY_STORE_CORRUPT" }));
    const newer = join(dir, "newer.db");
    openMemoryStore({ path: newer }).close();
    const raw = new Database(newer);
    raw.pragma("user_version = 99");
    raw.close();
    expect(() => openMemoryStore({ path: newer })).toThrow(expect.objectContaining({ code: "MEMORY_STORE_TOO_NEW" }));
  });
});
