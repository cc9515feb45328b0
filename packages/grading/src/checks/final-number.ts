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
  /####/g,
  /\\boxed\{/g,
  /\b(?:final answer|the answer|answer)\s*(?:is\b|:|=)\s*(?:[:=]\s*)?(?:about|approximately|exactly|that)?/gi,
];
/** Words after which a number is a label, not a result ("step 2", "part 3"). */
const labelBefore = /\b(?:step|steps|part|question|problem|line|lines|chapter|section|version|python|item|option|case|example|day)\s*$|#\s*$/i;

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
      const value = numberAfterMarker(text.slice(match.index + match[0].length, match.index + match[0].length + 160));
      if (value) found = value;
    }
    if (found) return found;
  }
  let last: FoundNumber | undefined;
  for (const match of text.matchAll(new RegExp(numberPattern, "g"))) {
    // Skip digits that belong to a word or identifier ("x2", "mp3"), labels ("step 2") and list markers ("1. ").
    const before = text[match.index - 1];
    if (before !== undefined && /[A-Za-z_]/.test(before)) continue;
    if (labelBefore.test(text.slice(Math.max(0, match.index - 20), match.index))) continue;
    const lineStart = text.lastIndexOf("\n", match.index - 1) + 1;
    if (text.slice(lineStart, match.index).trim() === "" && /^\s*\d+[.)]\s/.test(text.slice(match.index, match.index + match[0].length + 3))) continue;
    const value = parseNumber(match[0]);
    if (value !== undefined) last = { value, text: match[0].trim(), how: "last" };
  }
  return last;
}

/**
 * The number an answer marker introduces: the first number on the rest of its line, or, when
 * that line states a calculation ("3 + 4 = 7"), the first number after its last `=`.
 */
function numberAfterMarker(rest: string): FoundNumber | undefined {
  let line = rest.split("\n")[0] ?? "";
  if (line.trim() === "") line = rest.replace(/^[^\n]*\n/, "").split("\n")[0] ?? "";
  const equals = line.lastIndexOf("=");
  const segment = equals >= 0 ? line.slice(equals + 1) : line;
  const match = new RegExp(numberPattern).exec(segment);
  if (!match) return undefined;
  const value = parseNumber(match[0]);
  return value === undefined ? undefined : { value, text: match[0].trim(), how: "marker" };
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
