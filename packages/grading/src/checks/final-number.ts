/** A number found in text, with where it was found. */
export interface FoundNumber {
  value: number;
  /** The text it was read from, e.g. `$1,250.50`. */
  text: string;
  /** How it was found: `marker` (`####`, `\boxed{}`, "the answer is"), or `last` (the last number). */
  how: "marker" | "last";
}

const numberPattern = String.raw`[-−]?(?:\$\s?)?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:\s*/\s*\d+)?%?|[-−]?\.\d+`;
const markerPatterns = [
  new RegExp(String.raw`####\s*(${numberPattern})`, "g"),
  new RegExp(String.raw`\\boxed\{\s*(${numberPattern})\s*\}`, "g"),
  new RegExp(String.raw`\b(?:final answer|the answer|answer)\s*(?:is|:|=)?\s*(?:[:=]\s*)?(?:about|approximately|exactly|that)?\s*\**\s*(${numberPattern})`, "gi"),
];

/**
 * Reads a number as people write it: `1,234.5`, `$12`, `-3`, `−3`, `45%` (45), `3/4` (0.75),
 * `.5`. Returns undefined for anything else.
 */
export function parseNumber(text: string): number | undefined {
  let t = text.trim().replace(/−/g, "-").replace(/[$\s]/g, "").replace(/%$/, "");
  if (t === "") return undefined;
  const fraction = /^(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(t);
  if (fraction) {
    const denominator = Number(fraction[2]);
    return denominator === 0 ? undefined : Number(fraction[1]) / denominator;
  }
  if (!/^-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/.test(t) || t === "-" || t === "") return undefined;
  t = t.replace(/,/g, "");
  const value = Number(t);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The final number of an answer: the last one after an answer marker (`#### 72`,
 * `\boxed{72}`, "the answer is 72", "Final answer: 72"), else the last number in the text.
 * Calculator annotations such as `<<48/2=24>>` are ignored.
 */
export function extractFinalNumber(answer: string): FoundNumber | undefined {
  const text = answer.replace(/<<[^<>]*>>/g, "").replace(/\*\*/g, "");
  for (const pattern of markerPatterns) {
    let found: FoundNumber | undefined;
    for (const match of text.matchAll(pattern)) {
      const value = parseNumber(match[1] ?? "");
      if (value !== undefined) found = { value, text: match[1]!.trim(), how: "marker" };
    }
    if (found) return found;
  }
  let last: FoundNumber | undefined;
  for (const match of text.matchAll(new RegExp(numberPattern, "g"))) {
    // Skip digits that belong to a word or identifier, e.g. "x2" or "mp3".
    const before = text[match.index - 1];
    if (before !== undefined && /[A-Za-z_]/.test(before)) continue;
    const value = parseNumber(match[0]);
    if (value !== undefined) last = { value, text: match[0].trim(), how: "last" };
  }
  return last;
}

/**
 * True when two numbers agree: integers must be equal; otherwise to a relative tolerance
 * (default 1e-6; absolute near zero).
 */
export function numbersAgree(a: number, b: number, relativeTolerance = 1e-6): boolean {
  if (a === b) return true;
  if (Number.isInteger(a) && Number.isInteger(b)) return false;
  return Math.abs(a - b) <= relativeTolerance * Math.max(1, Math.abs(a), Math.abs(b));
}
