import type { ModelProvider } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSessionStore, type SqliteSessionStore } from "../sessions/open-session-store";
import { openTestLlama } from "../short-term/llama-test-provider.fixture";
import { prepareConversation } from "./prepare-conversation";

let provider: ModelProvider & { close(): Promise<void> };
let model: string;
let store: SqliteSessionStore;

beforeAll(async () => {
  ({ provider, model } = await openTestLlama());
  store = openSessionStore({ path: ":memory:" });
});
afterAll(async () => {
  await store?.close();
  await provider?.close();
});

const filler = "The quick brown fox jumps over the lazy dog near the river. ".repeat(6);

describe("prepareConversation", () => {
  it("hands over every turn while they fit", async () => {
    const session = await store.create();
    await store.append(session.id, [
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ]);
    const prepared = await prepareConversation({ store, sessionId: session.id, message: "how are you?", provider, model });
    expect(prepared.foldedTurns).toBe(0);
    expect(prepared.conversation).toEqual({
      turns: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    });
  });

  it("folds what no longer fits into the summary with the model, and the next turn starts after it", async () => {
    const session = await store.create();
    await store.append(
      session.id,
      Array.from({ length: 60 }, (_, i) => ({ role: i % 2 === 0 ? ("user" as const) : ("assistant" as const), content: `Turn ${i}. ${filler}` })),
    );
    const prepared = await prepareConversation({ store, sessionId: session.id, message: "and now?", provider, model, summarizer: { provider, model } });
    expect(prepared.foldedTurns).toBeGreaterThan(0);
    const stored = await store.get(session.id);
    expect(stored?.summary?.throughSeq).toBe(prepared.foldedTurns);
    expect(stored?.summary?.text.length).toBeGreaterThan(0);
    expect(prepared.conversation.summary).toBe(stored?.summary?.text);
    expect(prepared.conversation.turns.length + prepared.foldedTurns).toBe(60);
    const again = await prepareConversation({ store, sessionId: session.id, message: "and now?", provider, model, summarizer: { provider, model } });
    // The next turn starts after the summary: only turns it does not cover are handed over or folded
    // (the summary now takes room too, so a few more may be folded).
    expect(again.conversation.turns.length + again.foldedTurns).toBe(prepared.conversation.turns.length);
    expect((await store.get(session.id))?.summary?.throughSeq).toBe(prepared.foldedTurns + again.foldedTurns);
  });

  it("summarises extractively with no model, and says which session is missing", async () => {
    const session = await store.create();
    await store.append(
      session.id,
      Array.from({ length: 40 }, (_, i) => ({ role: i % 2 === 0 ? ("user" as const) : ("assistant" as const), content: `Turn ${i}. ${filler}` })),
    );
    const prepared = await prepareConversation({ store, sessionId: session.id, message: "so?", defaultContextTokens: 1_024 });
    expect(prepared.foldedTurns).toBeGreaterThan(0);
    expect((await store.get(session.id))?.summary?.by).toBe("extractive");
    await expect(prepareConversation({ store, sessionId: "nope", message: "hi" })).rejects.toMatchObject({ code: "SESSION_NOT_FOUND" });
  });
});
