/**
 * The behaviour every {@link MemoryStore} backend shares, as one suite each backend passes
 * through the interface: add and get, recall of paraphrases best first, scopes, update, forget,
 * list order, wipe, and bad input. Test-only.
 *
 * @module
 */
import type { MemoryStore } from "@tinyllm/core";
import { afterEach, describe, expect, it } from "vitest";

/** The error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

const ada = { scope: "user", owner: "ada" } as const;
const grace = { scope: "user", owner: "grace" } as const;
const chat = { scope: "session", owner: "ada" } as const;

const facts = [
  "My sister Dana lives in Lisbon.",
  "I am allergic to peanuts.",
  "Our dog Biscuit is a beagle.",
  "I work as a nurse at the city hospital.",
  "My favourite band is Radiohead.",
  "I drive a blue Honda Civic.",
];

/**
 * Registers the shared memory store suite with the caller's vitest. `open` gives a new, empty
 * store for each test; the suite closes it afterwards. Recall is checked on paraphrases that
 * share a word stem with the fact, so a lexical (BM25-only) backend passes.
 *
 * @example
 * ```ts
 * describeMemoryStoreConformance("SQLite in memory", () => openMemoryStore({ path: ":memory:" }));
 * ```
 */
export function describeMemoryStoreConformance(name: string, open: () => MemoryStore | Promise<MemoryStore>): void {
  describe(`${name} meets the memory store contract`, () => {
    const opened: MemoryStore[] = [];
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((store) => store.close()));
    });
    const fresh = async (): Promise<MemoryStore> => {
      const store = await open();
      opened.push(store);
      return store;
    };
    const seed = async (store: MemoryStore, texts = facts, where: { scope: "user" | "session" | "graph"; owner: string } = ada) => {
      const added = [];
      for (const text of texts) added.push(await store.add({ text, ...where }));
      return added;
    };

    it("adds a memory with a fresh id and timestamps, and gets it back as it was stored", async () => {
      const store = await fresh();
      const before = Date.now();
      const one = await store.add({ text: "My sister Dana lives in Lisbon.", scope: "user", owner: "ada", source: "chat" });
      const two = await store.add({ text: "I am allergic to peanuts.", scope: "graph", owner: "chat.yaml" });
      expect(one).toMatchObject({ text: "My sister Dana lives in Lisbon.", scope: "user", owner: "ada", source: "chat" });
      expect(typeof one.id).toBe("string");
      expect(one.id).not.toBe(two.id);
      expect(one.createdAtMs).toBeGreaterThanOrEqual(before);
      expect(one.updatedAtMs).toBe(one.createdAtMs);
      expect(two.source).toBeUndefined();
      expect(await store.get(one.id)).toEqual(one);
      expect(await store.get(two.id)).toEqual(two);
      expect(await store.get("no-such-memory")).toBeUndefined();
    });

    it("recalls the memory a paraphrase asks about, best first, with scores that do not increase", async () => {
      const store = await fresh();
      await seed(store);
      const hits = await store.search("Where does Dana live?", { k: 3 });
      expect(hits[0]?.text).toBe("My sister Dana lives in Lisbon.");
      expect(hits.length).toBeLessThanOrEqual(3);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      expect(hits[0]!.score).toBeGreaterThan(0);
      expect((await store.search("any peanut allergy?", { k: 1 }))[0]?.text).toBe("I am allergic to peanuts.");
      expect((await store.search("What breed is the dog Biscuit?"))[0]?.text).toBe("Our dog Biscuit is a beagle.");
      expect(await store.search("Dana", { k: 1 })).toHaveLength(1);
      expect((await store.search("anything at all about cars")).length).toBeLessThanOrEqual(5);
    });

    it("finds nothing in an empty store", async () => {
      const store = await fresh();
      expect(await store.search("Where does Dana live?")).toEqual([]);
      expect(await store.list()).toEqual([]);
      expect(await store.wipe()).toBe(0);
    });

    it("searches and lists only the scopes and owners asked for", async () => {
      const store = await fresh();
      await store.add({ text: "My sister Dana lives in Lisbon.", ...ada });
      await store.add({ text: "My sister Dana lives in Oslo.", ...grace });
      await store.add({ text: "Dana's flight lands in Lisbon on Friday.", ...chat });
      const adas = await store.search("Where does Dana live?", { k: 5, scopes: [ada] });
      expect(adas.map((hit) => hit.text)).toEqual(["My sister Dana lives in Lisbon."]);
      const both = await store.search("Dana", { k: 5, scopes: [ada, chat] });
      expect(both.map((hit) => hit.owner).sort()).toEqual(["ada", "ada"]);
      expect(both.map((hit) => hit.scope).sort()).toEqual(["session", "user"]);
      expect(await store.search("Dana", { k: 5, scopes: [{ scope: "graph", owner: "ada" }] })).toEqual([]);
      expect((await store.search("Dana", { k: 5 })).length).toBe(3);
      expect((await store.list({ scopes: [grace] })).map((memory) => memory.text)).toEqual(["My sister Dana lives in Oslo."]);
      expect(await store.list({ scopes: [] })).toHaveLength(3);
    });

    it("updates a memory's text, recalled by the new words and not the old", async () => {
      const store = await fresh();
      const [dana] = await seed(store);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await store.update(dana!.id, "My sister Dana moved to Porto.");
      expect(updated).toMatchObject({ id: dana!.id, text: "My sister Dana moved to Porto.", scope: "user", owner: "ada", createdAtMs: dana!.createdAtMs });
      expect(updated!.updatedAtMs).toBeGreaterThan(dana!.updatedAtMs);
      expect(await store.get(dana!.id)).toEqual(updated);
      expect((await store.search("Porto", { k: 1 }))[0]?.id).toBe(dana!.id);
      // A vector backend may still rank it (nearest neighbours), but only with its new text.
      const old = await store.search("Lisbon", { k: 5 });
      expect(old.map((hit) => hit.text)).not.toContain("My sister Dana lives in Lisbon.");
      expect(old.find((hit) => hit.id === dana!.id)?.text ?? "My sister Dana moved to Porto.").toBe("My sister Dana moved to Porto.");
      expect(await store.update("no-such-memory", "anything")).toBeUndefined();
    });

    it("forgets a memory: gone from get, search and list; forgetting it again resolves false", async () => {
      const store = await fresh();
      const [dana] = await seed(store);
      expect(await store.forget(dana!.id)).toBe(true);
      expect(await store.forget(dana!.id)).toBe(false);
      expect(await store.forget("no-such-memory")).toBe(false);
      expect(await store.get(dana!.id)).toBeUndefined();
      expect((await store.search("Dana Lisbon sister", { k: 10 })).map((hit) => hit.id)).not.toContain(dana!.id);
      expect((await store.list()).map((memory) => memory.id)).not.toContain(dana!.id);
      expect(await store.list()).toHaveLength(facts.length - 1);
    });

    it("lists newest first, up to the limit", async () => {
      const store = await fresh();
      for (const text of ["first fact", "second fact", "third fact"]) {
        await store.add({ text, ...ada });
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      expect((await store.list()).map((memory) => memory.text)).toEqual(["third fact", "second fact", "first fact"]);
      expect((await store.list({ limit: 2 })).map((memory) => memory.text)).toEqual(["third fact", "second fact"]);
    });

    it("wipes the memories of a filter and reports how many, then all of them", async () => {
      const store = await fresh();
      await seed(store, facts.slice(0, 3), ada);
      await seed(store, facts.slice(0, 2), grace);
      await seed(store, facts.slice(0, 1), chat);
      expect(await store.wipe({ scopes: [grace] })).toBe(2);
      expect(await store.list({ scopes: [grace] })).toEqual([]);
      expect(await store.search("Dana", { scopes: [grace] })).toEqual([]);
      expect(await store.list()).toHaveLength(4);
      expect(await store.wipe()).toBe(4);
      expect(await store.list()).toEqual([]);
      expect(await store.search("Where does Dana live?")).toEqual([]);
      // Still usable after a wipe.
      await store.add({ text: "My sister Dana lives in Lisbon.", ...ada });
      expect((await store.search("Dana"))[0]?.text).toBe("My sister Dana lives in Lisbon.");
    });

    it("refuses bad input with MEMORY_INPUT_INVALID and a hint, storing nothing", async () => {
      const store = await fresh();
      const bad: unknown[] = [
        { text: "", ...ada },
        { text: "   \n ", ...ada },
        { text: 42, ...ada },
        { text: Buffer.from("raw bytes"), ...ada },
        { text: "bin\u0000ary\u0001data", ...ada },
        { text: "x".repeat(1_000_000), ...ada },
        { text: "fine", scope: "planet", owner: "ada" },
        { text: "fine", scope: "user", owner: "" },
        { text: "fine", scope: "user" },
      ];
      for (const input of bad) {
        const error = await rejectionOf(store.add(input as never));
        expect(error.code, JSON.stringify(input).slice(0, 80)).toBe("MEMORY_INPUT_INVALID");
        expect(error.hint, JSON.stringify(input).slice(0, 80)).toBeTruthy();
      }
      expect(await store.list()).toEqual([]);
      const [dana] = await seed(store, facts.slice(0, 1));
      expect((await rejectionOf(store.update(dana!.id, ""))).code).toBe("MEMORY_INPUT_INVALID");
      expect((await rejectionOf(store.update(dana!.id, "x".repeat(1_000_000)))).code).toBe("MEMORY_INPUT_INVALID");
      expect((await store.get(dana!.id))?.text).toBe(facts[0]);
      expect((await rejectionOf(store.search(""))).code).toBe("MEMORY_INPUT_INVALID");
      expect((await rejectionOf(store.search("Dana", { k: 0 }))).code).toBe("MEMORY_INPUT_INVALID");
    });
  });
}
