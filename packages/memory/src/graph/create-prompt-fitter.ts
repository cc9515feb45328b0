import type { ChatMessage, PromptFitter, SessionMessage } from "@tinyllm/core";
import { buildPromptWindow } from "../short-term/build-prompt-window";
import { tokenCounter } from "../short-term/token-counter";

/** Options of {@link createPromptFitter}. */
export interface PromptFitterOptions {
  /** The context size assumed when the provider cannot tell (Ollama's default is 2048 tokens). Default 2048. */
  defaultContextTokens?: number;
}

/**
 * The {@link @tinyllm/core!PromptFitter} the runtime gives the `model` node kind: counts tokens
 * with the model's own tokenizer where the provider exposes one (else a conservative estimate),
 * and keeps the system prompt, the rolling summary, the recalled memories, as many recent turns
 * as fit and the call's own messages (few-shot examples and the current message, never cut).
 */
export function createPromptFitter(options: PromptFitterOptions = {}): PromptFitter {
  const fallbackContext = options.defaultContextTokens ?? 2048;
  return async ({ provider, model, system, conversation, messages, reserveTokens, abortSignal }) => {
    const counter = tokenCounter({ provider, model });
    const current = messages.at(-1);
    const own: ChatMessage[] = messages.slice(0, -1);
    // The few-shot examples are part of the call and never cut: their tokens come out of the room for turns.
    const ownTokens = own.length > 0 ? await counter.count(own.map(({ role, content }) => ({ role, content }))) : 0;
    await counter.count([{ role: "user", content: "" }]);
    const contextTokens = counter.contextTokens ?? fallbackContext;
    const turns: SessionMessage[] = conversation.turns.map((turn, index) => ({ seq: index + 1, role: turn.role, content: turn.content, atMs: 0 }));
    const window = await buildPromptWindow({
      ...(system ? { system } : {}),
      ...(conversation.summary ? { summary: { text: conversation.summary, throughSeq: 0, by: "conversation", atMs: 0 } } : {}),
      messages: turns,
      ...(conversation.memories ? { memories: conversation.memories.map((text) => ({ text })) } : {}),
      current: current?.content ?? "",
      contextTokens,
      reserveTokens: reserveTokens + ownTokens,
      counter,
      ...(abortSignal ? { abortSignal } : {}),
    });
    const fitted = window.messages.slice(0, -1);
    const last = window.messages.at(-1);
    return {
      ...(window.system !== undefined ? { system: window.system } : {}),
      messages: [...fitted, ...own, ...(last ? [last] : [])],
      omittedTurns: window.omitted.length,
      tokens: window.usedTokens + ownTokens,
    };
  };
}
