import { builtinNodeKinds, CONVERSATION_FIELD, createNodeRegistry, defineGraph, compileGraph, runGraph, type RunEvent } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryStore, type SqliteMemoryStore } from "../recall/open-memory-store";
import { createMemoryKind, type LearnInput } from "./create-memory-kind";
import { createRememberTool, explicitFact } from "./create-remember-tool";
import { MEMORY_OWNERS_FIELD } from "./memory-owners";

let store: SqliteMemoryStore;
beforeAll(async () => {
  store = openMemoryStore({ path: ":memory:" });
  await store.add({ text: "Ada's sister Dana lives in Lisbon.", scope: "user", owner: "ada" });
  await store.add({ text: "Grace keeps bees.", scope: "user", owner: "grace" });
});
afterAll(async () => {
  await store?.close();
});

const graph = (mode: "recall" | "learn") =>
  defineGraph({
    id: "g",
    version: 1,
    entry: "in",
    exits: ["out"],
    state: { verdict: "any", output: "any" },
    nodes: [
      { id: "in", kind: "entry" },
      { id: "memory", kind: "memory", config: { mode } },
      { id: "out", kind: "exit" },
    ],
    edges: [
      { from: "in", to: "memory" },
      { from: "memory", to: "out" },
    ],
  });

async function run(mode: "recall" | "learn", state: Record<string, unknown>, learn?: (input: LearnInput) => Promise<{ op: string }[]>, withStore = true) {
  const registry = createNodeRegistry([...builtinNodeKinds, createMemoryKind({ store: () => (withStore ? store : undefined), ...(learn ? { learn } : {}) })]);
  const compiled = await compileGraph(graph(mode), { registry });
  if (!compiled.ok) throw new Error(compiled.problems.map((problem) => problem.message).join("\n"));
  const events: RunEvent[] = [];
  const result = await runGraph(compiled.graph, { input: "Where does Dana live?", state, onEvent: (event) => events.push(event) });
  const info = events.flatMap((event) => (event.type === "node-info" && event.name === "memory" ? [event.data] : []));
  return { result, info: info[0] as Record<string, unknown> };
}

describe("the memory node", () => {
  it("recalls the owner's memories into the conversation, and nobody else's", async () => {
    const { result, info } = await run("recall", { [MEMORY_OWNERS_FIELD]: { user: "ada" } });
    expect(result.status).toBe("ok");
    expect(info).toMatchObject({ mode: "recall", recalled: 1 });
    expect(result.state[CONVERSATION_FIELD]).toEqual({ turns: [], memories: ["Ada's sister Dana lives in Lisbon."] });
  });

  it("does nothing, and says why, without a store or without owners", async () => {
    expect((await run("recall", { [MEMORY_OWNERS_FIELD]: { user: "ada" } }, undefined, false)).info).toMatchObject({
      skipped: "no memory store is configured",
    });
    expect((await run("recall", {})).info.skipped).toMatch(/names no owner/);
  });

  it("learns only from an answer that passed the gate", async () => {
    const seen: LearnInput[] = [];
    const learn = async (input: LearnInput) => {
      seen.push(input);
      return [{ op: "add" }];
    };
    const failed = await run("learn", { [MEMORY_OWNERS_FIELD]: { user: "ada" }, verdict: { pass: false }, output: "Paris" }, learn);
    expect(failed.info).toMatchObject({ skipped: "the answer did not pass the gate" });
    expect(seen).toHaveLength(0);
    const passed = await run("learn", { [MEMORY_OWNERS_FIELD]: { user: "ada" }, verdict: { pass: true }, output: "Lisbon" }, learn);
    expect(passed.info).toMatchObject({ scope: "user", ops: { add: 1 } });
    expect(seen[0]).toMatchObject({ exchange: { user: "Where does Dana live?", assistant: "Lisbon" }, scope: "user", owner: "ada" });
  });
});

describe("the remember tool", () => {
  it("stores a fact for the run's owner, and fails clearly without a store", async () => {
    const tool = createRememberTool({ store: () => store, owner: () => ({ scope: "user", owner: "kai" }) });
    const saved = await tool.execute({ fact: "Kai plays the cello." }, { abortSignal: new AbortController().signal });
    expect(saved.scope).toBe("user");
    expect(saved.text).toBe("I'll remember that: Kai plays the cello.");
    expect((await store.get(saved.id))?.owner).toBe("kai");
    const none = createRememberTool({ store: () => undefined, owner: () => ({ scope: "user", owner: "kai" }) });
    await expect(none.execute({ fact: "x" }, { abortSignal: new AbortController().signal })).rejects.toMatchObject({ code: "MEMORY_STORE_FAILED" });
  });
});

describe("explicit remember requests", () => {
  it("takes the fact of a request at the start of a message", () => {
    const tool = createRememberTool({ store: () => store, owner: () => ({ scope: "user", owner: "kai" }) });
    expect(tool.fromQuery("Remember that my sister Dana lives in Lisbon")).toEqual({ input: { fact: "My sister Dana lives in Lisbon." }, answersQuery: true });
    expect(explicitFact("please note: I am allergic to peanuts!")).toBe("I am allergic to peanuts!");
    expect(explicitFact("don't forget that our dog is called Biscuit.")).toBe("Our dog is called Biscuit.");
    expect(explicitFact("Keep in mind   I work nights")).toBe("I work nights.");
  });

  it("leaves questions, reminders and other messages to the model", () => {
    for (const query of [
      "Do you remember my sister's name?",
      "remember when we talked about Lisbon?",
      "Remember to buy milk",
      "remember me",
      "How do I remember things better",
      "I will remember that",
      "remember",
      "note",
      `remember that ${"x".repeat(3000)}`,
    ])
      expect(explicitFact(query), query).toBeUndefined();
  });
});
