import type { ModelProvider, SessionMessage } from "@tinyllm/core";

/** What {@link summarizeTurns} takes. */
export interface SummarizeTurnsOptions {
  /** The provider of the summarizing model (the T0 tier: small and fast). */
  provider: ModelProvider;
  model: string;
  /** The summary so far, to update. */
  previous?: string;
  /** The turns to fold in, oldest first. */
  messages: SessionMessage[];
  /** The longest answer, in tokens. Default 200 (the prompt asks for about half as many words). */
  maxTokens?: number;
  abortSignal?: AbortSignal;
}

/** A rolling summary's text and who wrote it: a model's name, or `extractive`. */
export interface TurnsSummary {
  text: string;
  by: string;
}

/** The most characters of one turn put in the prompt: a small model's context is small. */
const MAX_TURN_CHARS = 800;

/**
 * Folds turns into a conversation's rolling summary with a small model and a compact prompt
 * ("Update the summary … keep names, numbers, decisions; at most N words"), temperature 0.
 * Each turn is cut to 800 characters in the prompt. The answer is trimmed; it may be empty when
 * the model says nothing (callers such as `foldOldTurns` fall back to `extractiveSummary`).
 *
 * @throws TinyLLMError whatever the provider throws (model missing, context exceeded, aborted).
 */
export async function summarizeTurns(options: SummarizeTurnsOptions): Promise<TurnsSummary> {
  const { provider, model, previous, messages, maxTokens = 200, abortSignal } = options;
  const words = Math.max(20, Math.floor(maxTokens / 2));
  const turns = messages
    .map(({ role, content }) => {
      const text = content.replace(/\s+/g, " ").trim();
      return `${role}: ${text.length > MAX_TURN_CHARS ? `${text.slice(0, MAX_TURN_CHARS)}…` : text}`;
    })
    .join("\n");
  const prompt = [
    previous?.trim() ? `Summary so far: ${previous.trim()}` : "Summary so far: (none)",
    "",
    "New turns:",
    turns,
    "",
    `Updated summary (at most ${words} words):`,
  ].join("\n");
  const result = await provider.chat({
    model,
    system: `Update the summary of the conversation with these turns; keep names, numbers, decisions; at most ${words} words. Answer with the summary only.`,
    messages: [{ role: "user", content: prompt }],
    maxTokens,
    temperature: 0,
    ...(abortSignal ? { abortSignal } : {}),
  });
  return { text: result.text.trim(), by: model };
}
