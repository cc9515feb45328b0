import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CONVERSATION_FIELD, defineGraph, type ConversationState, type RunEvent } from "@tinyllm/core";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";
import type { Runtime } from "../runtime";

let dir: string;
let modelFile: string;
let runtime: Runtime;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-runtime-memory-"));
  runtime = await createRuntime({ cwd: dir, env: {}, flags: { modelFile, provider: "llama", threads: 1 } });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

const echo = defineGraph({
  id: "echo",
  version: 1,
  entry: "in",
  exits: ["out"],
  nodes: [
    { id: "in", kind: "entry" },
    { id: "out", kind: "exit", config: { output: "you said: {{ input }}" } },
  ],
  edges: [{ from: "in", to: "out" }],
});

const memoryEvents = (events: RunEvent[]) =>
  events.flatMap((event) => (event.type === "node-info" && event.name === "memory" ? [event.data as Record<string, unknown>] : []));

describe("runtime.chat", () => {
  it("keeps a conversation: each turn sees the earlier ones, and both sides are stored", async () => {
    const first = await runtime.chat("hello", { graph: echo });
    expect(first.answer).toBe("you said: hello");
    const second = await runtime.chat("and again", { graph: echo, session: first.sessionId });
    const conversation = second.result.state[CONVERSATION_FIELD] as ConversationState;
    expect(conversation.turns).toEqual([
      { role: "user", content: "hello" },
      { role: "assistant", content: "you said: hello" },
    ]);
    const session = await runtime.sessionStore().get(first.sessionId);
    expect(session?.messages.map((message) => `${message.role}:${message.content}`)).toEqual([
      "user:hello",
      "assistant:you said: hello",
      "user:and again",
      "assistant:you said: and again",
    ]);
    expect(session?.messages[3]!.runId).toBe(second.result.runId);
  });

  it("folds turns that no longer fit into the rolling summary instead of dropping them", async () => {
    const { sessionId } = await runtime.chat("start", { graph: echo, session: "long-talk" });
    const sessions = runtime.sessionStore();
    const filler = "The quick brown fox jumps over the lazy dog near the river bank. ".repeat(12);
    await sessions.append(
      sessionId,
      Array.from({ length: 80 }, (_, i) => ({ role: i % 2 === 0 ? ("user" as const) : ("assistant" as const), content: `Turn ${i}: ${filler}` })),
    );
    const turn = await runtime.chat("what now?", { graph: echo, session: sessionId });
    expect(turn.foldedTurns).toBeGreaterThan(0);
    const session = await sessions.get(sessionId);
    expect(session?.summary?.text.length).toBeGreaterThan(0);
    const conversation = turn.result.state[CONVERSATION_FIELD] as ConversationState;
    expect(conversation.summary).toBe(session?.summary?.text);
    // Every stored turn is either in the window or covered by the summary.
    expect(conversation.turns.length + turn.foldedTurns).toBe(82);
  });

  it("refuses an empty or oversized message with a clear error, and keeps the message of a run that failed", async () => {
    await expect(runtime.chat("   ", { graph: echo })).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
    await expect(runtime.chat("x".repeat(1_000_001), { graph: echo })).rejects.toMatchObject({ code: "MEMORY_INPUT_INVALID" });
    const controller = new AbortController();
    controller.abort();
    const cancelled = await runtime.chat("never answered", { graph: echo, session: "cancelled", abortSignal: controller.signal });
    expect(cancelled.result.status).toBe("cancelled");
    expect((await runtime.sessionStore().get("cancelled"))?.messages.map((message) => message.content)).toEqual(["never answered"]);
  });
});

describe("memory in multi_domain", () => {
  it("recalls the user's memories before routing, and learns only after a passing verdict", async () => {
    await runtime.memoryStore().add({ text: "The user's cat is called Miso.", scope: "user", owner: "default" });
    const events: RunEvent[] = [];
    const result = await runtime.run("What is the name of my cat?", { onEvent: (event) => events.push(event) });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("ok");
    expect(memoryEvents(events)[0]).toMatchObject({ mode: "recall", recalled: 1 });
    expect((result.state[CONVERSATION_FIELD] as ConversationState).memories).toEqual(["The user's cat is called Miso."]);
    // The learn node ran after the gate: it learns only from a passing answer.
    const learn = memoryEvents(events).find((data) => data.mode === "learn");
    expect(learn).toBeDefined();
    if ((result.state.verdict as { pass: boolean }).pass !== true) expect(learn?.skipped).toBe("the answer did not pass the gate");
  });

  it("runs multi_domain with no memory store: the memory nodes say so and the answer comes", async () => {
    const bare = await createRuntime({
      cwd: dir,
      env: {},
      flags: { modelFile, provider: "llama", threads: 1 },
      memoryStore: false,
      verdictStore: false,
      runStore: false,
    });
    try {
      const events: RunEvent[] = [];
      const result = await bare.run("What is 2+2?", { onEvent: (event) => events.push(event) });
      expect(result.status).toBe("ok");
      expect(String(result.output)).toBe("4");
      expect(memoryEvents(events)[0]).toMatchObject({ mode: "recall", skipped: "no memory store is configured" });
      expect(bare.tools.names()).not.toContain("remember");
      expect(() => bare.memoryStore()).toThrow(/memoryStore: false/);
    } finally {
      await bare.close();
    }
  });
  it("sends a tier's calls to the session's model override (/model), and only that session's", async () => {
    const oneModel = defineGraph({
      id: "one-model",
      version: 1,
      entry: "in",
      exits: ["out"],
      nodes: [
        { id: "in", kind: "entry" },
        { id: "answer", kind: "model", config: { prompt: "general", maxTokens: 8 } },
        { id: "out", kind: "exit" },
      ],
      edges: [
        { from: "in", to: "answer" },
        { from: "answer", to: "out" },
      ],
    });
    const plain = await runtime.chat("hello", { graph: oneModel, sampling: { seed: 1 } });
    expect(plain.result.status).toBe("ok");
    const session = await runtime.sessionStore().create({ settings: { models: { T1: "no-such-model.gguf" } } });
    const overridden = await runtime.chat("hello", { graph: oneModel, session: session.id, sampling: { seed: 1 } });
    expect(overridden.result.status).toBe("failed");
    expect(`${overridden.result.error?.message} ${overridden.result.error?.hint ?? ""}`).toContain("no-such-model.gguf");
    // The override belongs to that session: the next turn of the first one still runs.
    expect((await runtime.chat("again", { graph: oneModel, session: plain.sessionId, sampling: { seed: 1 } })).result.status).toBe("ok");
  });
  it("stores an explicit 'remember that …' in multi_domain through the remember tool, before any model answers", async () => {
    const events: RunEvent[] = [];
    const result = await runtime.run("Remember that my sister Dana lives in Lisbon", {
      state: { memoryOwners: { user: "dana-test" } },
      sampling: { seed: 3 },
      onEvent: (event) => events.push(event),
    });
    expect(result.status).toBe("ok");
    const call = events.find((event) => event.type === "tool-call" && event.toolName === "remember");
    expect(call).toMatchObject({ input: { fact: "My sister Dana lives in Lisbon." } });
    const first = events.find((event) => event.type === "token-delta");
    expect(first).toMatchObject({ text: "I'll remember that: My sister Dana lives in Lisbon." });
    const stored = await runtime.memoryStore().search("Where does Dana live?", { scopes: [{ scope: "user", owner: "dana-test" }] });
    expect(stored.map((memory) => memory.text)).toContain("My sister Dana lives in Lisbon.");
  });
});
