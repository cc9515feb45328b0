/** A word found in a text, with its position and the index terms it yields. */
export interface WordSpan {
  start: number;
  end: number;
  /** Normalized terms (see {@link normalizeSearchTerm}); empty for stop words. */
  terms: string[];
}

/** Letters, digits and marks; parts of a compound may be joined by `.`, `_`, `-` or an apostrophe. */
const COMPOUND = /[\p{L}\p{N}\p{M}]+(?:[._'’-][\p{L}\p{N}\p{M}]+)*/gu;
const JOINER = /[._'’-]/u;
/** Longest term worth indexing; longer tokens are hashes, base64 and the like. */
const MAX_TERM_LENGTH = 48;

/** Common English function words: they carry little meaning and only add noise. */
const STOP_WORDS = new Set(
  "a an and are as at be but by do does for from has have how i if in into is it its of on or so than that the their then there these they this to was were what when where which who why will with you your".split(
    " ",
  ),
);

/**
 * Lowercases a term and strips Latin accents (`Café` → `cafe`). Returns `null` for stop words and
 * overlong tokens, which are not indexed.
 */
export function normalizeSearchTerm(term: string): string | null {
  const normalized = term
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]+/g, "")
    .toLowerCase();
  if (!normalized || normalized.length > MAX_TERM_LENGTH || STOP_WORDS.has(normalized)) return null;
  return normalized;
}

/**
 * Splits text into words. A compound such as `node.js`, `max_file_bytes` or `e-mail` yields its
 * parts and then the whole, so both `node` and `node.js` find it. Terms are not normalized.
 */
export function tokenizeSearchText(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(COMPOUND)) {
    const word = match[0];
    if (!JOINER.test(word)) {
      tokens.push(word);
      continue;
    }
    tokens.push(...word.split(JOINER).filter(Boolean), word);
  }
  return tokens;
}

/** Every word of `text` with its offsets and normalized terms, for placing snippets. */
export function findWordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(COMPOUND)) {
    const word = match[0];
    const start = match.index;
    const terms = tokenizeSearchText(word)
      .map(normalizeSearchTerm)
      .filter((term): term is string => term !== null);
    spans.push({ start, end: start + word.length, terms });
  }
  return spans;
}
