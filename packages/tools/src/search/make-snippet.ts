import { findWordSpans } from "./tokenize-search-text";

/** Longest snippet, ellipses included. */
export const MAX_SNIPPET_CHARS = 300;

const ELLIPSIS = "…";

/**
 * Cuts the part of `text` that best shows why it matched: the window of at most `maxChars`
 * characters holding the most distinct `terms` (normalized, as MiniSearch reports them in
 * `result.terms`), starting a little before the first of them, on word boundaries, with `…`
 * where it cuts. Whitespace is collapsed. Text without any of the terms gives its beginning.
 */
export function makeSnippet(text: string, terms: Iterable<string>, maxChars = MAX_SNIPPET_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat;
  const wanted = new Set(terms);
  const hits = findWordSpans(flat)
    .map((span) => ({ ...span, term: span.terms.find((term) => wanted.has(term)) }))
    .filter((hit): hit is typeof hit & { term: string } => hit.term !== undefined);
  const budget = maxChars - 2 * ELLIPSIS.length;
  if (hits.length === 0) return cut(flat, 0, budget);
  // Lead-in context before the first hit of a window, so the reader sees what the term refers to.
  const lead = Math.floor(budget / 5);
  let best = { start: 0, distinct: -1, count: -1 };
  for (const anchor of hits) {
    const start = Math.max(0, Math.min(anchor.start - lead, flat.length - budget));
    const inside = hits.filter((hit) => hit.start >= start && hit.end <= start + budget);
    const distinct = new Set(inside.map((hit) => hit.term)).size;
    if (distinct > best.distinct || (distinct === best.distinct && inside.length > best.count)) best = { start, distinct, count: inside.length };
  }
  return cut(flat, best.start, budget);
}

/** `flat[start, start + budget)` moved onto word boundaries (or a sentence start), with ellipses. */
function cut(flat: string, start: number, budget: number): string {
  let from = start;
  if (from > 0) {
    // Prefer a sentence start within the lead-in, else the next word start.
    const window = flat.slice(from, from + Math.floor(budget / 5));
    const sentence = /[.!?:;] (?=\S)/u.exec(window);
    if (sentence) from += sentence.index + sentence[0].length;
    else if (flat[from - 1] !== " ") {
      const space = flat.indexOf(" ", from);
      if (space !== -1 && space - from < 30) from = space + 1;
    }
  }
  let to = Math.min(flat.length, from + budget);
  if (to < flat.length && flat[to] !== " ") {
    const space = flat.lastIndexOf(" ", to);
    if (space > from + budget / 2) to = space;
  }
  const body = flat.slice(from, to).trim();
  return `${from > 0 ? ELLIPSIS : ""}${body}${to < flat.length ? ELLIPSIS : ""}`;
}
