import { MemoryErrorCode, TinyLLMError, type SessionMessage, type SessionStore, type SessionSummary } from "@tinyllm/core";
import { extractiveSummary } from "./extractive-summary";
import type { TurnsSummary } from "./summarize-turns";

/** What {@link foldOldTurns} takes. */
export interface FoldOldTurnsOptions {
  store: SessionStore;
  sessionId: string;
  /** The turns that no longer fit the window (`buildPromptWindow`'s `omitted`), oldest first. */
  omitted: SessionMessage[];
  /** Writes the new summary from the previous one and the turns, e.g. with `summarizeTurns`; without it, or when it fails or says nothing, `extractiveSummary`. */
  summarize?: (input: { previous?: string; messages: SessionMessage[] }) => Promise<TurnsSummary>;
  /** The longest summary kept, in characters. */
  maxSummaryChars: number;
}

/**
 * Folds turns that no longer fit the model's context into the session's rolling summary, so they
 * are summarised rather than forgotten: summarises them (falling back to the extractive summary
 * when there is no summarizer or it fails), stores the summary with `throughSeq` at the newest
 * folded turn, and returns it. Turns the summary already covers are skipped; with nothing new to
 * fold, the summary is returned unchanged.
 *
 * @throws TinyLLMError `SESSION_NOT_FOUND`, or the store's errors.
 */
export async function foldOldTurns(options: FoldOldTurnsOptions): Promise<SessionSummary | undefined> {
  const { store, sessionId, summarize, maxSummaryChars } = options;
  const session = await store.get(sessionId);
  if (!session) {
    throw new TinyLLMError({
      code: MemoryErrorCode.SessionNotFound,
      message: `There is no session '${sessionId}' to fold turns into`,
      hint: "check the id (tinyllm sessions list shows them)",
    });
  }
  const previous = session.summary;
  const turns = options.omitted.filter((turn) => turn.seq > (previous?.throughSeq ?? 0)).sort((a, b) => a.seq - b.seq);
  if (turns.length === 0) return previous;
  const input = { ...(previous ? { previous: previous.text } : {}), messages: turns };
  let written: TurnsSummary | undefined;
  if (summarize) {
    try {
      const answer = await summarize(input);
      if (answer.text.trim() !== "") written = { text: clip(answer.text.trim(), maxSummaryChars), by: answer.by };
    } catch (error) {
      // A cancelled turn stays cancelled; any other failure falls back to the extractive summary.
      if (isAbort(error)) throw error;
      written = undefined;
    }
  }
  written ??= extractiveSummary({ ...input, maxChars: maxSummaryChars });
  const summary: SessionSummary = { text: written.text, by: written.by, throughSeq: turns.at(-1)!.seq, atMs: Date.now() };
  await store.setSummary(sessionId, summary);
  return summary;
}

/** Cuts `text` to `maxChars` at a word, with `…`. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, Math.max(1, maxChars - 1));
  const space = cut.lastIndexOf(" ");
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}…`;
}

function isAbort(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === "AbortError" || (typeof code === "string" && code.endsWith("ABORTED"));
}
