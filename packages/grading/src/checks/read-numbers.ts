/**
 * Reading numbers in free text: thousands separators, mixed numbers, fractions, percents, scale
 * words, and which numbers are labels rather than values.
 *
 * @module
 */

/** A number found in text, with where it was found. */
export interface FoundNumber {
  value: number;
  /** The text it was read from, e.g. `$1,250.50`. */
  text: string;
  /**
   * How it was found: `marker` (`####`, `\boxed{}`, "the answer is"), `conclusion` (after the
   * last "so", "therefore", "in total", "=", "makes", … of the last sentence that has one), or
   * `last` (the last number).
   */
  how: "marker" | "conclusion" | "last";
}

// Thousands with commas or (thin) spaces, a mixed number ("1 1/2"), a fraction, decimals, a
// percent sign, and a scale word ("70 thousand").
const numberPattern = String.raw`[-−]?(?:\$\s?)?(?:\d{1,3}(?:,\d{3})+(?!\d|,\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|[.,]\d)|\d+\s+\d+\s*/\s*\d+|\d+)(?:\.\d+)?(?:\s*/\s*\d+)?%?(?:\s*(?:thousand|million|billion)\b)?|[-−]?\.\d+`;
const scales: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9 };

/** Words after which a number is a label, not a result ("step 2", "part 3"). */
const labelBefore = /\b(?:step|steps|part|question|problem|line|lines|chapter|section|version|python|item|option|case|example|day)\s*$|#\s*$/i;

/**
 * Reads a number as people write it: `1,234.5`, `1 234`, `$12`, `-3`, `−3`, `45%` (45), `3/4`
 * (0.75), `1 1/2` (1.5), `.5`, `70 thousand`. Returns undefined for anything else.
 */
export function parseNumber(text: string): number | undefined {
  let t = text.trim().replace(/−/g, "-");
  let scale = 1;
  const word = /\s*(thousand|million|billion)$/i.exec(t);
  if (word) {
    scale = scales[word[1]!.toLowerCase()]!;
    t = t.slice(0, word.index);
  }
  t = t.replace(/^(-?)\$\s?/, "$1").replace(/%$/, "");
  const mixed = /^(-?)(\d+)\s+(\d+)\s*\/\s*(\d+)$/.exec(t);
  if (mixed) {
    const denominator = Number(mixed[4]);
    if (denominator === 0) return undefined;
    const value = Number(mixed[2]) + Number(mixed[3]) / denominator;
    return (mixed[1] === "-" ? -value : value) * scale;
  }
  t = t.replace(/\s/g, "");
  if (t === "") return undefined;
  const fraction = /^(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(t);
  if (fraction) {
    const denominator = Number(fraction[2]);
    return denominator === 0 ? undefined : (Number(fraction[1]) / denominator) * scale;
  }
  if (!/^-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/.test(t) || t === "-" || t === "") return undefined;
  const value = Number(t.replace(/,/g, "")) * scale;
  return Number.isFinite(value) ? value : undefined;
}

/** Every standalone number in `text`, in order, skipping labels, list markers and digits inside words. */
export function* numbersIn(text: string, offset = 0, full = text, skipListMarkers = true): Generator<FoundNumber & { index: number }> {
  for (const match of text.matchAll(new RegExp(numberPattern, "g"))) {
    const index = offset + match.index;
    const before = full[index - 1];
    if (before !== undefined && /[A-Za-z_]/.test(before)) continue;
    if (labelBefore.test(full.slice(Math.max(0, index - 20), index))) continue;
    if (/\bnot\s+(?:\$\s?)?$/i.test(full.slice(Math.max(0, index - 6), index))) continue;
    const lineStart = full.lastIndexOf("\n", index - 1) + 1;
    if (skipListMarkers && full.slice(lineStart, index).trim() === "" && /^\d+[.)]\s/.test(full.slice(index, index + match[0].length + 3))) continue;
    const value = parseNumber(match[0]);
    if (value !== undefined) yield { value, text: match[0].trim(), how: "last", index };
  }
}
