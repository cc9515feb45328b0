import type { ChatMessage, ConversationState, ModelProvider } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLlama } from "../short-term/llama-test-provider.fixture";
import { createPromptFitter } from "./create-prompt-fitter";

let provider: ModelProvider & { close(): Promise<void> };
let model: string;

beforeAll(async () => {
  ({ provider, model } = await openTestLlama());
});
afterAll(async () => {
  await provider?.close();
});

const turns = (count: number, words: number) =>
  Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `Turn ${i}: ${"the little cat ran home ".repeat(words)}`.trim(),
  }));

describe("createPromptFitter", () => {
  it("keeps everything when it fits: summary and memories in the system text, turns before the call's own messages", async () => {
    const fit = createPromptFitter();
    const conversation: ConversationState = { summary: "Ada likes cats.", turns: turns(2, 2), memories: ["Ada lives by the sea."] };
    const own: ChatMessage[] = [
      { role: "user", content: "Example question" },
      { role: "assistant", content: "Example answer" },
      { role: "user", content: "Tell me a story." },
    ];
    const result = await fit({ provider, model, system: "You tell stories.", conversation, messages: own, reserveTokens: 32 });
    expect(result.omittedTurns).toBe(0);
    expect(result.system).toMatch(/^You tell stories\./);
    expect(result.system).toContain("Ada likes cats.");
    expect(result.system).toContain("Ada lives by the sea.");
    expect(result.messages.map((message) => message.content)).toEqual([
      ...conversation.turns.map((turn) => turn.content),
      ...own.map((message) => message.content),
    ]);
    expect(result.tokens).toBeGreaterThan(0);
  });

  it("drops the oldest turns to fit the model's own context, never the current message", async () => {
    const fit = createPromptFitter();
    const conversation: ConversationState = { turns: turns(200, 20) };
    const current: ChatMessage = { role: "user", content: "And then?" };
    const result = await fit({ provider, model, conversation, messages: [current], reserveTokens: 64 });
    expect(result.omittedTurns).toBeGreaterThan(0);
    expect(result.messages.at(-1)).toEqual(current);
    // The newest turns are the ones kept.
    const kept = result.messages.slice(0, -1);
    expect(kept.at(-1)?.content).toBe(conversation.turns.at(-1)?.content);
    expect(kept.length + result.omittedTurns).toBe(200);
    // What is sent fits the tiny model's context with the reserve, as its own tokenizer counts it.
    const counted = await provider.countTokens!({ model, messages: result.messages, ...(result.system ? { system: result.system } : {}) });
    expect(counted.inputTokens + 64).toBeLessThanOrEqual(counted.contextTokens);
  });

  it("fails with CONTEXT_OVERFLOW when the current message alone does not fit", async () => {
    const fit = createPromptFitter();
    const huge: ChatMessage = { role: "user", content: "once upon a time ".repeat(4_000) };
    await expect(fit({ provider, model, conversation: { turns: turns(2, 2) }, messages: [huge], reserveTokens: 16 })).rejects.toMatchObject({
      code: "CONTEXT_OVERFLOW",
    });
  });
});
