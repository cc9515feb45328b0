import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { hashingEmbedder } from "../embedders/hashing-embedder.fixture";
import { openMemoryStore } from "../recall/open-memory-store";
import { describeMemoryStoreConformance } from "../testing/memory-store-conformance";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tinyllm-long-term-"));
let files = 0;
const tempPath = () => join(dir, `store-${++files}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeMemoryStoreConformance("SQLite in memory, no embedder (BM25 alone)", () => openMemoryStore({ path: ":memory:" }));
describeMemoryStoreConformance("SQLite file with an embedder (BM25 fused with vectors)", () =>
  openMemoryStore({ path: tempPath(), embedder: hashingEmbedder() }),
);

const facts = ["My sister Dana lives in Lisbon.", "I am allergic to peanuts.", "Our dog Biscuit is a beagle.", "I drive a blue Honda Civic."];
const ada = { scope: "user", owner: "ada" } as const;

describe("openMemoryStore on a file", () => {
  it("loses nothing when two processes add memories at once", async () => {
    const path = tempPath();
    const store = openMemoryStore({ path });
    await store.add({ text: "Written before the children start.", ...ada });
    const perChild = 60;
    const child = (tag: string) =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(
          process.execPath,
          ["--conditions=@tinyllm/source", "--import", "tsx", join(here, "add-in-child.fixture.ts"), path, String(perChild), tag],
          {
            cwd: here,
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        let stderr = "";
        proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        proc.on("error", reject);
        proc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child ${tag} exited ${code}: ${stderr}`))));
      });
    await Promise.all([child("A"), child("B")]);
    expect(await store.count()).toBe(1 + 2 * perChild);
    for (const tag of ["A", "B"]) {
      const mine = await store.list({ scopes: [{ scope: "user", owner: `owner-${tag}` }], limit: 1_000 });
      expect(mine.map((memory) => Number(/number (\d+)/.exec(memory.text)![1])).sort((a, b) => a - b)).toEqual(Array.from({ length: perChild }, (_, i) => i));
      expect(new Set(mine.map((memory) => memory.id)).size).toBe(perChild);
    }
    // The parent's BM25 index caught up with what the children wrote.
    const hits = await store.search("fact number 17", { k: 10, scopes: [{ scope: "user", owner: "owner-B" }] });
    expect(hits.map((hit) => hit.text)).toContain("Process B remembers fact number 17.");
    await store.close();
  }, 60_000);

  it("sees updates and forgets made through another connection before it searches", async () => {
    const path = tempPath();
    const one = openMemoryStore({ path });
    const two = openMemoryStore({ path });
    try {
      const [dana, peanuts] = [await one.add({ text: facts[0]!, ...ada }), await one.add({ text: facts[1]!, ...ada })];
      expect((await two.search("Dana", { k: 1 }))[0]?.id).toBe(dana.id);
      await one.update(dana.id, "My sister Dana moved to Porto.");
      expect((await two.search("Porto", { k: 1 }))[0]?.id).toBe(dana.id);
      expect(await two.search("Lisbon")).toEqual([]);
      await one.forget(peanuts.id);
      expect(await two.search("peanuts")).toEqual([]);
      await two.wipe();
      expect(await one.search("Dana")).toEqual([]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("forget and wipe delete the vector too: its bytes are gone from the file", async () => {
    const path = tempPath();
    const embedder = hashingEmbedder(48);
    const store = openMemoryStore({ path, embedder });
    const added = [];
    for (const text of facts) added.push(await store.add({ text, ...ada }));
    const secret = "The vault code is zebra-4471 for the basement safe.";
    const vault = await store.add({ text: secret, ...ada });
    const [vector] = await embedder.embed([secret]);
    const vectorBytes = Buffer.from(new Float32Array(vector!).buffer);
    const before = new Database(path, { readonly: true });
    expect(before.prepare("SELECT count(*) AS n FROM memories WHERE id = ? AND embedding = ?").get(vault.id, vectorBytes)).toEqual({ n: 1 });
    before.close();

    expect(await store.forget(vault.id)).toBe(true);
    await store.close();
    let raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT count(*) AS n FROM memories WHERE embedding IS NOT NULL").get()).toEqual({ n: facts.length });
    expect(raw.prepare("SELECT count(*) AS n FROM memories WHERE id = ?").get(vault.id)).toEqual({ n: 0 });
    raw.close();
    const bytes = readFileSync(path);
    expect(bytes.includes(vectorBytes)).toBe(false);
    expect(bytes.includes(Buffer.from("zebra-4471"))).toBe(false);

    const again = openMemoryStore({ path, embedder });
    const [dana] = await embedder.embed([facts[0]!]);
    expect(readFileSync(path).includes(Buffer.from(new Float32Array(dana!).buffer))).toBe(true);
    expect(await again.wipe()).toBe(facts.length);
    await again.close();
    raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT count(*) AS n FROM memories").get()).toEqual({ n: 0 });
    raw.close();
    expect(readFileSync(path).includes(Buffer.from(new Float32Array(dana!).buffer))).toBe(false);
    expect(readFileSync(path).includes(Buffer.from("Lisbon"))).toBe(false);
    expect(added).toHaveLength(facts.length);
  });

  it("never compares vectors of another embedder: reports them, recalls lexically, and re-embeds on request", async () => {
    const path = tempPath();
    const first = hashingEmbedder(32, "test:first");
    const store = openMemoryStore({ path, embedder: first });
    for (const text of facts) await store.add({ text, ...ada });
    expect(await store.embedderStatus()).toEqual({ embedder: "test:first", current: facts.length, other: 0, none: 0 });
    await store.close();

    const second = hashingEmbedder(16, "test:second");
    const changed = openMemoryStore({ path, embedder: second });
    try {
      expect(await changed.embedderStatus()).toEqual({ embedder: "test:second", current: 0, other: facts.length, none: 0 });
      // The other embedder's 32-dimension vectors are skipped, not compared with 16-dimension ones.
      expect((await changed.search("Where does Dana live?", { k: 1 }))[0]?.text).toBe(facts[0]);
      await changed.add({ text: "Kai plays the cello.", ...ada });
      expect(await changed.embedderStatus()).toMatchObject({ current: 1, other: facts.length });
      expect(await changed.reembed()).toBe(facts.length);
      expect(await changed.embedderStatus()).toEqual({ embedder: "test:second", current: facts.length + 1, other: 0, none: 0 });
      expect(await changed.reembed()).toBe(0);
      expect((await changed.search("Where does Dana live?", { k: 1 }))[0]?.text).toBe(facts[0]);
    } finally {
      await changed.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT DISTINCT embedder, length(embedding) AS bytes FROM memories").all()).toEqual([{ embedder: "test:second", bytes: 16 * 4 }]);
    raw.close();
  });

  it("recalls by the vectors alone when no word is shared (the vector path counts in the fusion)", async () => {
    // Two embedders that map one word onto the same bucket; BM25 cannot match "zzz" to "Lisbon".
    const embedder = {
      id: "test:synonyms",
      embed: async (texts: string[]) => texts.map((text) => (/lisbon|zzz/i.test(text) ? [1, 0, 0] : /peanut/i.test(text) ? [0, 1, 0] : [0, 0, 1])),
    };
    const store = openMemoryStore({ path: ":memory:", embedder });
    try {
      for (const text of facts) await store.add({ text, ...ada });
      expect((await store.search("zzz", { k: 1 }))[0]?.text).toBe(facts[0]);
      expect(await store.embedderStatus()).toMatchObject({ current: facts.length });
    } finally {
      await store.close();
    }
  });

  it("refuses a 1 MB text and binary input on import too, naming the field", async () => {
    const store = openMemoryStore({ path: ":memory:" });
    try {
      const tooLong = await store.add({ text: "x".repeat(1 << 20), ...ada }).catch((error: unknown) => error);
      expect(tooLong).toMatchObject({ code: "MEMORY_INPUT_INVALID", hint: expect.any(String) });
      await expect(store.importMemories({ version: 1, memories: [{ text: "bin\u0000ary", ...ada }] })).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
      await expect(store.importMemories({ version: 2, memories: [] })).rejects.toMatchObject({ message: expect.stringContaining("version") });
      await expect(store.importMemories({ version: 1, memories: [{ text: "ok", scope: "moon", owner: "ada" }] })).rejects.toMatchObject({
        message: expect.stringContaining("memories.0.scope"),
      });
      await expect(store.importMemories("not json")).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
      expect(await store.count()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("exports JSON that imports into another store unchanged in text, scope, owner and source ('import' when it had none)", async () => {
    const store = openMemoryStore({ path: ":memory:" });
    const copy = openMemoryStore({ path: ":memory:", embedder: hashingEmbedder() });
    try {
      await store.add({ text: facts[0]!, ...ada, source: "chat" });
      await store.add({ text: facts[1]!, scope: "graph", owner: "chat.yaml" });
      const exported = JSON.parse(JSON.stringify(await store.exportMemories()));
      expect(exported.version).toBe(1);
      expect(await copy.importMemories(exported)).toBe(2);
      const strip = (list: { text: string; scope: string; owner: string; source?: string }[]) =>
        list.map(({ text, scope, owner, source }) => ({ text, scope, owner, source })).sort((a, b) => a.text.localeCompare(b.text));
      expect(strip(await copy.list())).toEqual(strip(exported.memories.map((memory: { source?: string }) => ({ source: "import", ...memory }))));
      expect(await copy.embedderStatus()).toMatchObject({ current: 2 });
    } finally {
      await store.close();
      await copy.close();
    }
  });
});
