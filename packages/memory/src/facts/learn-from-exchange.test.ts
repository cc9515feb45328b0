import type { ModelProvider } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryStore, type SqliteMemoryStore } from "../recall/open-memory-store";
import { openTestLlama } from "../short-term/llama-test-provider.fixture";
import { decideMemoryUpdate, extractFacts, learnFromExchange } from "./learn-from-exchange";

let provider: ModelProvider & { close(): Promise<void> };
let model: string;
let store: SqliteMemoryStore;

beforeAll(async () => {
  ({ provider, model } = await openTestLlama());
  store = openMemoryStore({ path: ":memory:" });
});
afterAll(async () => {
  await store?.close();
  await provider?.close();
});

// The story model cannot follow instructions: grammar-constrained decoding makes its answers
// parse, so these tests assert the shape and the caps, and that the store stays consistent.
describe("learning facts the mem0 way, on the real embedded model", () => {
  it("proposes facts in the schema's shape, within the caps", async () => {
    const { facts, problem } = await extractFacts({ provider, model, exchange: { user: "My cat is called Miso.", assistant: "What a lovely name!" } });
    if (problem !== undefined) expect(facts).toEqual([]);
    expect(facts.length).toBeLessThanOrEqual(10);
    for (const fact of facts) {
      expect(fact.length).toBeGreaterThanOrEqual(3);
      expect(fact.length).toBeLessThanOrEqual(300);
      expect(fact).toBe(fact.trim());
    }
    expect(new Set(facts.map((fact) => fact.toLowerCase())).size).toBe(facts.length);
  });

  it("decides add with nothing near, and otherwise only ops on memories it was shown", async () => {
    expect(await decideMemoryUpdate({ provider, model, candidate: "The user likes tea.", nearest: [] })).toEqual({ op: "add" });
    const near = await store.add({ text: "The user likes coffee.", scope: "user", owner: "ada" });
    const decision = await decideMemoryUpdate({ provider, model, candidate: "The user likes tea.", nearest: [{ ...near, score: 1 }] });
    expect(["add", "update", "delete", "none"]).toContain(decision.op);
    if (decision.op === "update" || decision.op === "delete") expect(decision.id).toBe(near.id);
  });

  it("applies every decision to the store in the exchange's scope", async () => {
    const before = await store.count();
    const ops = await learnFromExchange({
      store,
      provider,
      model,
      exchange: { user: "I live in Porto and I have two dogs.", assistant: "Porto is lovely." },
      scope: "user",
      owner: "ada",
    });
    const added = ops.filter((op) => op.op === "add").length;
    const deleted = ops.filter((op) => op.op === "delete").length;
    expect(await store.count()).toBe(before + added - deleted);
    for (const op of ops.filter((op) => op.op === "add")) expect(await store.get(op.id!)).toMatchObject({ scope: "user", owner: "ada", source: "chat" });
  });
});
