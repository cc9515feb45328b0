import { MemoryErrorCode, TinyLLMError, type ConversationState, type ModelProvider, type SessionStore } from "@tinyllm/core";
import { buildPromptWindow } from "../short-term/build-prompt-window";
import { foldOldTurns } from "../short-term/fold-old-turns";
import { summarizeTurns } from "../short-term/summarize-turns";
import { tokenCounter } from "../short-term/token-counter";

/** Options of {@link prepareConversation}. */
export interface PrepareConversationOptions {
  store: SessionStore;
  sessionId: string;
  /** The new message (not yet in the session). */
  message: string;
  /** The model the turn will mostly run on (the specialists' tier), to count tokens and learn its context size. */
  provider?: ModelProvider;
  model?: string;
  /** The model that folds older turns into the rolling summary (T0); without it, an extractive summary. */
  summarizer?: { provider: ModelProvider; model: string };
  /** The context assumed when the provider cannot tell. Default 2048 tokens. */
  defaultContextTokens?: number;
  /** Tokens kept free for the specialist's own prompt and its answer. Default 768. */
  reserveTokens?: number;
  abortSignal?: AbortSignal;
}

/**
 * The conversation a chat turn's run gets ({@link @tinyllm/core!CONVERSATION_FIELD}): the
 * session's rolling summary and the recent turns that fit the model's context with the new
 * message. Turns that no longer fit are folded into the summary first (by the summarizer model,
 * else extractively), so nothing is silently dropped. Throws `SESSION_NOT_FOUND` for an unknown
 * session and `CONTEXT_OVERFLOW` when the message alone does not fit.
 */
export async function prepareConversation(options: PrepareConversationOptions): Promise<{ conversation: ConversationState; foldedTurns: number }> {
  const { store, sessionId, message } = options;
  const session = await store.get(sessionId);
  if (!session) {
    throw new TinyLLMError({
      code: MemoryErrorCode.SessionNotFound,
      message: `there is no session '${sessionId}'`,
      hint: "list them with tinyllm sessions list",
    });
  }
  const counter = tokenCounter(options.provider && options.model ? { provider: options.provider, model: options.model } : {});
  await counter.count([{ role: "user", content: message }]);
  const contextTokens = counter.contextTokens ?? options.defaultContextTokens ?? 2048;
  const recent = session.messages.filter((turn) => turn.seq > (session.summary?.throughSeq ?? 0));
  const window = await buildPromptWindow({
    ...(session.summary ? { summary: session.summary } : {}),
    messages: recent,
    current: message,
    contextTokens,
    reserveTokens: options.reserveTokens ?? 768,
    counter,
  });
  let summary = session.summary;
  if (window.omitted.length > 0) {
    const summarizer = options.summarizer;
    summary = await foldOldTurns({
      store,
      sessionId,
      omitted: window.omitted,
      ...(summarizer
        ? {
            summarize: (input: Omit<Parameters<typeof summarizeTurns>[0], "provider" | "model">) =>
              summarizeTurns({
                ...input,
                provider: summarizer.provider,
                model: summarizer.model,
                ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
              }),
          }
        : {}),
      maxSummaryChars: 1_500,
    });
  }
  const omitted = new Set(window.omitted.map((turn) => turn.seq));
  const turns = recent.filter((turn) => !omitted.has(turn.seq)).map(({ role, content }) => ({ role, content }));
  return { conversation: { ...(summary ? { summary: summary.text } : {}), turns }, foldedTurns: window.omitted.length };
}
