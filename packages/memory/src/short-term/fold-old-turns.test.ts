import type { SessionMessage } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSessionStore } from "../sessions/open-session-store";
import { buildPromptWindow, SUMMARY_HEADING } from "./build-prompt-window";
import { foldOldTurns } from "./fold-old-turns";
import { openTestLlama } from "./llama-test-provider.fixture";
import { summarizeTurns } from "./summarize-turns";
import { tokenCounter } from "./token-counter";

async function sessionWithTurns(count: number) {
  const store = openSessionStore({ path: ":memory:" });
  const { id } = await store.create();
  await store.append(
    id,
    Array.from({ length: count }, (_, i) => ({
      role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
      content: `Turn ${i + 1} mentions Ada and the number ${i + 1}. Then some filler words follow here.`,
    })),
  );
  return { store, id };
}

describe("summarizeTurns", () => {
  let llama: Awaited<ReturnType<typeof openTestLlama>>;
  beforeAll(async () => {
    llama = await openTestLlama();
  });
  afterAll(async () => {
    await llama?.provider.close();
  });

  it("writes a summary with the model (the story model cannot follow instructions: only the shape is checked)", async () => {
    const turns: SessionMessage[] = [
      { seq: 1, role: "user", content: "My name is Ada and I have 3 cats.", atMs: 0 },
      { seq: 2, role: "assistant", content: "Nice to meet you, Ada!", atMs: 1 },
    ];
    const summary = await summarizeTurns({ ...llama, previous: "Ada said hello.", messages: turns, maxTokens: 32 });
    expect(summary.text.length).toBeGreaterThan(0);
    expect(summary.by).toBe(llama.model);
  });

  it("folds old turns with the model through foldOldTurns", async () => {
    const { store, id } = await sessionWithTurns(6);
    const { messages } = (await store.get(id))!;
    const summary = await foldOldTurns({
      store,
      sessionId: id,
      omitted: messages.slice(0, 4),
      summarize: (input) => summarizeTurns({ ...input, ...llama, maxTokens: 32 }),
      maxSummaryChars: 400,
    });
    expect(summary).toMatchObject({ by: llama.model, throughSeq: 4 });
    expect(summary!.text.length).toBeGreaterThan(0);
    expect(summary!.text.length).toBeLessThanOrEqual(400);
    await store.close();
  });
});

describe("foldOldTurns", () => {
  it("folds omitted turns into the summary extractively, and the next window skips them", async () => {
    const { store, id } = await sessionWithTurns(40);
    const counter = tokenCounter();
    const session = (await store.get(id))!;
    const first = await buildPromptWindow({ messages: session.messages, current: "What now?", contextTokens: 600, reserveTokens: 100, counter });
    expect(first.omitted.length).toBeGreaterThan(0);
    const summary = await foldOldTurns({ store, sessionId: id, omitted: first.omitted, maxSummaryChars: 300 });
    expect(summary).toMatchObject({ by: "extractive", throughSeq: first.omitted.at(-1)!.seq });
    expect(summary!.text.length).toBeGreaterThan(0);
    expect(summary!.text.length).toBeLessThanOrEqual(300);
    const stored = (await store.get(id))!;
    expect(stored.summary).toEqual(summary);
    const next = await buildPromptWindow({
      summary: stored.summary!,
      messages: stored.messages,
      current: "What now?",
      contextTokens: 600,
      reserveTokens: 100,
      counter,
    });
    expect(next.system).toContain(SUMMARY_HEADING);
    expect(next.includedFromSeq).toBeGreaterThan(summary!.throughSeq);
    // Folding again with the same turns changes nothing.
    expect(await foldOldTurns({ store, sessionId: id, omitted: first.omitted, maxSummaryChars: 300 })).toEqual(summary);
    await store.close();
  });

  it("falls back to the extractive summary when the summarizer fails or says nothing", async () => {
    const { store, id } = await sessionWithTurns(4);
    const { messages } = (await store.get(id))!;
    const failed = await foldOldTurns({
      store,
      sessionId: id,
      omitted: messages.slice(0, 2),
      summarize: async () => {
        throw new Error("model gone");
      },
      maxSummaryChars: 300,
    });
    expect(failed).toMatchObject({ by: "extractive", throughSeq: 2 });
    const silent = await foldOldTurns({
      store,
      sessionId: id,
      omitted: messages.slice(2, 3),
      summarize: async () => ({ text: " ", by: "m" }),
      maxSummaryChars: 300,
    });
    expect(silent).toMatchObject({ by: "extractive", throughSeq: 3 });
    expect(silent!.text).toContain(failed!.text.split("\n")[0]!);
    await store.close();
  });

  it("says SESSION_NOT_FOUND for an unknown session", async () => {
    const store = openSessionStore({ path: ":memory:" });
    await expect(foldOldTurns({ store, sessionId: "nope", omitted: [], maxSummaryChars: 100 })).rejects.toMatchObject({ code: "SESSION_NOT_FOUND" });
    await store.close();
  });
});
