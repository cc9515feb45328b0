import type { SessionMessage } from "@tinyllm/core";
import { describe, expect, it } from "vitest";
import { buildPromptWindow, MEMORIES_HEADING, SUMMARY_HEADING } from "./build-prompt-window";
import { openTestLlama } from "./llama-test-provider.fixture";
import { tokenCounter } from "./token-counter";

/** `count` turns alternating user/assistant, numbered from 1, each about `chars` long. */
function turns(count: number, chars = 60): SessionMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `Turn ${i + 1}: ${"the cat sat on the mat ".repeat(Math.ceil(chars / 23)).slice(0, chars)}`,
    atMs: i,
  }));
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error("expected an error");
}

describe("buildPromptWindow", () => {
  it("orders system prompt, summary, memories, recent turns (chronological) and the current message", async () => {
    const window = await buildPromptWindow({
      system: "You are helpful.",
      summary: { text: "Ada is planning a trip.", throughSeq: 2, by: "extractive", atMs: 0 },
      messages: turns(4),
      memories: [{ text: "The user is called Ada." }, { text: "Ada likes tea." }],
      current: "Where should I go?",
      contextTokens: 4096,
      reserveTokens: 256,
      counter: tokenCounter(),
    });
    expect(window.system).toBe(
      `You are helpful.\n\n${SUMMARY_HEADING} Ada is planning a trip.\n\n${MEMORIES_HEADING}\n- The user is called Ada.\n- Ada likes tea.`,
    );
    // Turns 1 and 2 are covered by the summary: never repeated.
    expect(window.messages.map((message) => message.content.split(":")[0])).toEqual(["Turn 3", "Turn 4", "Where should I go?"]);
    expect(window.messages.at(-1)).toEqual({ role: "user", content: "Where should I go?" });
    expect(window).toMatchObject({ includedFromSeq: 3, omitted: [], droppedMemories: 0, droppedSummary: false });
    expect(window.usedTokens).toBe(await tokenCounter().count(window.messages, window.system));
  });

  it("fits a small context with the model's own tokenizer, keeping the newest turns", async () => {
    const llama = await openTestLlama();
    try {
      const counter = tokenCounter(llama);
      await counter.count([{ role: "user", content: "hi" }]);
      const contextTokens = Math.min(counter.contextTokens!, 512);
      const history = turns(60);
      const window = await buildPromptWindow({
        system: "You tell stories.",
        messages: history,
        current: "Tell me a story.",
        contextTokens,
        reserveTokens: 64,
        counter,
      });
      expect(counter.exact).toBe(true);
      expect(window.usedTokens + 64).toBeLessThanOrEqual(contextTokens);
      expect(await counter.count(window.messages, window.system)).toBe(window.usedTokens);
      expect(window.omitted.length).toBeGreaterThan(0);
      const kept = window.messages.length - 1;
      expect(kept).toBeGreaterThan(0);
      expect(window.omitted).toEqual(history.slice(0, history.length - kept));
      expect(window.includedFromSeq).toBe(history.length - kept + 1);
    } finally {
      await llama.provider.close();
    }
  });

  it("fits 200 turns into a 2k context with a summary: the summary covers the old, the window the newest, the rest is omitted", async () => {
    const history = turns(200, 120);
    const window = await buildPromptWindow({
      system: "You are helpful.",
      summary: { text: "Earlier: the user described 100 turns about cats.", throughSeq: 100, by: "extractive", atMs: 0 },
      messages: history,
      current: "And then?",
      contextTokens: 2048,
      reserveTokens: 256,
      counter: tokenCounter(),
    });
    expect(window.usedTokens + 256).toBeLessThanOrEqual(2048);
    const kept = window.messages.length - 1;
    expect(kept).toBeGreaterThan(10);
    expect(window.omitted.map((turn) => turn.seq)).toEqual(Array.from({ length: 100 - kept }, (_, i) => 101 + i));
    expect(window.includedFromSeq).toBe(201 - kept);
    expect(window.system).toContain(SUMMARY_HEADING);
  });

  it("throws CONTEXT_OVERFLOW with the numbers when the current message alone does not fit", async () => {
    const error = await errorOf(
      buildPromptWindow({
        system: "Be brief.",
        messages: turns(3),
        current: "x".repeat(3000),
        contextTokens: 1024,
        reserveTokens: 200,
        counter: tokenCounter(),
      }),
    );
    expect(error.code).toBe("CONTEXT_OVERFLOW");
    expect(error.message).toMatch(/needs \d+ tokens.*200 for the answer.*holds 1024/);
    expect(error.hint).toMatch(/shorten the message/);
  });

  it("drops memories (lowest-ranked first), then the summary, before the current message is threatened", async () => {
    const counter = tokenCounter();
    const current = "y".repeat(600); // 200 + 4 + 3 tokens
    const memories = [{ text: "a".repeat(150) }, { text: "b".repeat(150) }, { text: "c".repeat(150) }];
    const options = { system: "S", messages: turns(5), memories, current, reserveTokens: 100, counter };
    const oneMemory = await buildPromptWindow({ ...options, contextTokens: 400 });
    expect(oneMemory.droppedMemories).toBe(2);
    expect(oneMemory.system).toContain("- aaa");
    expect(oneMemory.system).not.toContain("- bbb");
    expect(oneMemory.messages.at(-1)!.content).toBe(current);
    const noSummary = await buildPromptWindow({
      ...options,
      summary: { text: "z".repeat(300), throughSeq: 0, by: "extractive", atMs: 0 },
      contextTokens: 330,
    });
    expect(noSummary).toMatchObject({ droppedMemories: 3, droppedSummary: true });
    expect(noSummary.system).toBe("S");
    expect(noSummary.messages.at(-1)!.content).toBe(current);
  });
});
