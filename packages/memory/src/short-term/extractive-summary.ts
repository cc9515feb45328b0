import type { SessionMessage } from "@tinyllm/core";
import type { TurnsSummary } from "./summarize-turns";

/** What {@link extractiveSummary} takes. */
export interface ExtractiveSummaryOptions {
  /** The summary so far: kept before the new lines while there is room. */
  previous?: string;
  /** The turns to fold in, oldest first. */
  messages: Pick<SessionMessage, "role" | "content">[];
  /** The longest summary, in characters (at least 20). */
  maxChars: number;
}

const SENTENCE = /[^.!?\n]+(?:[.!?]+|$)/g;
/** A number, or a capitalised word that does not start the sentence (likely a name). */
const SALIENT = /\d|(?<=\S\s+)\p{Lu}\p{Ll}+/u;

/**
 * The summary without a model: one line per turn, `role: ` and the turn's first sentence plus
 * any later sentence with a number or a name, after the previous summary. Over `maxChars`, the
 * oldest text goes first, so the newest information is kept. Never empty when there were turns
 * (the newest line is cut to fit at worst).
 */
export function extractiveSummary(options: ExtractiveSummaryOptions): TurnsSummary {
  const maxChars = Math.max(20, Math.floor(options.maxChars));
  const lines = options.messages
    .map(({ role, content }) => {
      const sentences = (content.replace(/\s+/g, " ").trim().match(SENTENCE) ?? []).map((sentence) => sentence.trim()).filter(Boolean);
      const kept = sentences.filter((sentence, index) => index === 0 || SALIENT.test(sentence));
      return kept.length > 0 ? `${role}: ${kept.join(" ")}` : "";
    })
    .filter(Boolean);
  const previous = options.previous?.trim();
  const all = [...(previous ? [previous] : []), ...lines];
  const kept: string[] = [];
  let length = 0;
  for (let index = all.length - 1; index >= 0; index--) {
    const line = all[index]!;
    const added = line.length + (kept.length > 0 ? 1 : 0);
    if (length + added > maxChars) {
      // The newest line alone is too long: keep its start. An older line too long: keep its end.
      if (kept.length === 0) kept.unshift(`${line.slice(0, maxChars - 1)}…`);
      else if (maxChars - length - 2 >= 20) kept.unshift(`…${line.slice(line.length - (maxChars - length - 2))}`);
      break;
    }
    kept.unshift(line);
    length += added;
  }
  return { text: kept.join("\n"), by: "extractive" };
}
