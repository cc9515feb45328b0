/**
 * Text normalisation, tokenisation and feature extraction of the fast router.
 *
 * Feature families (each name is prefixed so families never collide):
 * - `w:` word unigrams (lower-cased, lightly stemmed; numbers collapse to `<int>` / `<dec>`,
 *   code and maths symbols are kept as tokens);
 * - `b:` word bigrams;
 * - `c:` character n-grams inside each word (3–4 by default; robust to typos and inflection);
 * - `s:` shape features: "has an arithmetic expression", "has a method call", "has a unit"...;
 * - `l:` concept features from the lexicon (see {@link RouterLexicon});
 * - `d:` the domains the query touches (from lexicon groups and shapes: `d:code`, `d:math`...)
 *   and `x:` their combination when there are several (`x:code&math`).
 *
 * @module
 */
import type { RouterLexicon } from "./lexicon";

/** Relative weights of the feature families. */
export interface FeatureWeights {
  /** Word unigrams and bigrams (together L2-normalised to this length). */
  word: number;
  /** Character n-grams (L2-normalised to this length). */
  char: number;
  /** Each active shape feature. */
  shape: number;
  /** Each active lexicon concept. */
  concept: number;
  /** Each domain feature and the domain-combination feature. */
  cross: number;
}

/** Options of {@link FeatureExtractor}. */
export interface FeatureExtractorOptions {
  /** Inclusive range of character n-gram lengths, or `false` for none. */
  charNgrams: readonly [number, number] | false;
  /** Whether to emit word bigrams. */
  wordBigrams: boolean;
  /** Relative weights of the feature families. */
  weights: FeatureWeights;
  /** Concept groups; `false` for none. */
  lexicon: RouterLexicon | false;
}

/** The features of one text. */
export interface ExtractedFeatures {
  /** Hashed feature name ({@link hashString}) → value. */
  features: Map<number, number>;
  /** The hashed word unigram features of content words, for the coverage estimate. */
  contentWords: number[];
  /** Hashed word unigram features of words that matched a lexicon phrase. */
  lexiconWords: Set<number>;
  /** How many shape and lexicon features fired (evidence beyond plain words). */
  signals: number;
  /** Hashed key → readable feature name, when asked for. */
  names?: Map<number, string>;
}

/** Normalises Unicode, case and a few programming-language names that contain symbols. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201B\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E]/g, '"')
    .replace(/[\u2212\u2013\u2014]/g, "-")
    .replace(/[\u00D7\u22C5\u00B7\u2217]/g, "*")
    .replace(/\u00F7/g, "/")
    .toLowerCase()
    .replace(/c\+\+/g, " cplusplus ")
    .replace(/(^|[^a-z0-9])c#/g, "$1 csharp ")
    .replace(/(^|[^a-z0-9])f#/g, "$1 fsharp ")
    .replace(/(^|[^a-z0-9])\.net\b/g, "$1 dotnet ")
    .replace(/\b([a-z]+)\.js\b/g, "$1js");
}

const TOKEN_RE =
  /```|[\p{L}_][\p{L}\p{N}_]*(?:'[\p{L}]+)?|\d+(?:[.,]\d+)*|=>|->|!==?|===?|<=|>=|\+\+|\+=|-=|&&|\|\||::|\*\*|\/\/|\p{Sm}|[-*/^=()<>{}[\];:%$#@&|!?`~\\'".,]/gu;

/** Splits normalised text into tokens: words, numbers, operators and punctuation. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN_RE) ?? [];
}

/**
 * A light, deterministic suffix stripper (plural, -ing, -ed, -ation, -ly, final -e) so that
 * "integrals", "integrate" and "integrating" share a stem. Not a linguistic stemmer.
 */
export function stem(word: string): string {
  let w = word;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(?:ss|us|is|ys)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ation") && w.length > 8) w = w.slice(0, -3);
  else if (w.endsWith("ing") && w.length > 6) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && !w.endsWith("eed") && w.length > 5) w = undouble(w.slice(0, -2));
  else if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 4 && !w.endsWith("ee")) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 4 && w[n - 1] === w[n - 2] && /[bdgmnprt]/.test(w[n - 1] ?? "")) return w.slice(0, -1);
  return w;
}

const STOPWORDS = new Set(
  (
    "a an the and or but if then of to in on at by for with from as is are was were be been " +
    "being am do does did doing have has had i me my we our you your he she it its they them " +
    "their this that these those what which who whom whose how why when where can could would " +
    "should will shall may might must not no so than too very just also there here about into " +
    "over under up down out off again more most some any all each both few other such only own " +
    "same s t don now please pls thanks thank hi hello hey get got let lets want need like know " +
    "tell give make use using used one"
  ).split(" "),
);

const MATH_FUNCS = new Set([
  "sin",
  "cos",
  "tan",
  "cot",
  "sec",
  "csc",
  "log",
  "ln",
  "exp",
  "sqrt",
  "abs",
  "max",
  "min",
  "gcd",
  "lcm",
  "arcsin",
  "arccos",
  "arctan",
  "sinh",
  "cosh",
  "tanh",
  "det",
  "lim",
  "mod",
]);

/** Shape detectors over the normalised text, with the domains they hint at. */
const SHAPES: readonly { name: string; re: RegExp; domains: readonly string[] }[] = [
  { name: "num", re: /\d/, domains: [] },
  { name: "arith", re: /\d\s*[-+*/^]\s*\(?\s*[\d.]/, domains: ["math"] },
  { name: "varpoly", re: /\b\d+[xyznt]\b|\b[a-z]\s?\^\s?\d|\b[xyz]\s?[-+*/=]\s?\d|\d\s?[-+*/]\s?[xyz]\b/, domains: ["math"] },
  { name: "fnot", re: /\b[fgh]\s?\(\s?[xtn]\s?\)|\b[fgh]'\s?\(|\bd[xy]\b|\bdy\s?\/\s?dx\b/, domains: ["math"] },
  { name: "pow", re: /\^|\*\*|²|³/, domains: ["math"] },
  { name: "mathsym", re: /[∫∑∏√∞≤≥≠±∂∆π]/u, domains: ["math"] },
  { name: "latex", re: /\\(?:frac|int|sum|sqrt|lim|cdot|times|alpha|beta|theta|pi|infty|partial)\b/, domains: ["math"] },
  { name: "equation", re: /[a-z0-9)\]]\s*(?<![=!<>])=(?!=)\s*[-a-z0-9(]/, domains: [] },
  { name: "percent", re: /\d\s?%|\bpercent/, domains: [] },
  { name: "money", re: /[$€£¥]\s?\d|\d\s?(?:dollars?|euros?|cents?|usd|eur|bucks|pounds)\b/, domains: [] },
  {
    name: "unit",
    re: /\d\s?(?:km|kg|cm|mm|mi|miles?|lbs?|mph|kph|km\/h|m\/s|hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|°|degrees?|liters?|litres?|ml|feet|ft|inch(?:es)?|oz|ounces?|gallons?|meters?|metres?|kilometers?|kilometres?|grams?|g|m|l)\b/,
    domains: [],
  },
  { name: "numlist", re: /\d+(?:\.\d+)?\s*,\s*\d+(?:\.\d+)?\s*,\s*\d+/, domains: [] },
  { name: "fraction", re: /\b\d+\s?\/\s?\d+\b/, domains: [] },
  { name: "bigo", re: /\bo\s?\(\s?(?:n|1|log|\d*\s?n|m|v|e|k)\b/, domains: ["code", "math"] },
  { name: "exprOnly", re: /^[\s\d.,+\-*/^()=%?!x]*\d\s*[-+*/^%x]\s*[\d(][\s\d.,+\-*/^()=%?!x]*$/, domains: ["math"] },
  { name: "dotnum", re: /\b\d+\.\d+\.\d+/, domains: ["code"] },
  { name: "membytes", re: /\d\s?(?:kb|mb|gb|tb|ms|ns|px|rem|fps|ghz|mhz)\b/, domains: ["code"] },
  { name: "backtick", re: /`/, domains: ["code"] },
  { name: "dotcall", re: /[a-z_][\w]*\.[a-z_][\w]*\s?\(/, domains: ["code"] },
  { name: "dotted", re: /\b(?!e\.g|i\.e)[a-z_]\w*\.[a-z_]\w{1,}\b(?!$)/, domains: ["code"] },
  { name: "snake", re: /\b[a-z][a-z0-9]*_[a-z0-9_]+\b/, domains: ["code"] },
  { name: "braces", re: /[{}]/, domains: ["code"] },
  { name: "semicolon", re: /;\s*(?:$|\n|})/, domains: ["code"] },
  { name: "arrow", re: /=>|->/, domains: ["code"] },
  { name: "cmpop", re: /==|!=|&&|\|\||\+\+|\+=|-=|::/, domains: ["code"] },
  {
    name: "fileext",
    re: /\w\.(?:py|js|ts|tsx|jsx|java|cpp|hpp|cs|go|rs|rb|php|swift|kt|sql|sh|json|ya?ml|xml|csv|html|css|md|txt|log|env|toml|lock|exe|dll|jar|ipynb|h|c)\b/,
    domains: ["code"],
  },
  { name: "path", re: /(?:^|\s)(?:~|\.{1,2})?\/[\w.-]+\/|[a-z]:\\\\?\w/, domains: ["code"] },
  { name: "url", re: /https?:\/\/|www\.|\blocalhost\b/, domains: ["code"] },
  { name: "flag", re: /(?:^|\s)--?[a-z][\w-]+/, domains: ["code"] },
  {
    name: "keyword",
    re: /\b(?:def|func|fn|elif|println|printf|cout|endl|nullptr|void|const|var|async|await|typeof|self\.\w+|this\.\w+|std::|#include|public static|return \w+;?|import \w+|from \w+ import)\b/,
    domains: ["code"],
  },
  { name: "errpattern", re: /\b\w*(?:error|exception)\b\s*:|\btraceback\b|\bline \d+\b|\bexit code\b/, domains: ["code"] },
  { name: "year", re: /\b(?:1[0-9]{3}|20[0-9]{2})\b(?!\s*[-+*/^=])/, domains: [] },
  { name: "ordinal", re: /\b\d+(?:st|nd|rd|th)\b/, domains: [] },
  // Word problems: several quantities and a question about an amount.
  { name: "money", re: /[$€£¥]\s?\d|\b\d+(?:\.\d+)?\s?(?:dollars?|cents?|euros?|pounds?|rupees?|yen)\b/, domains: [] },
  { name: "quantities", re: /\d[\d.,]*\D+\d[\d.,]*\D+\d/, domains: [] },
  {
    name: "howmuch",
    re: /\bhow (?:many|much|long|far|old|fast)\b|\bwhat (?:is|was|will be) the (?:total|sum|average|difference|cost|price|percentage|number|amount)\b/,
    domains: [],
  },
  { name: "multiline", re: /\n/, domains: [] },
];

interface LexiconEntry {
  phrase: readonly string[];
  group: string;
}

/** Turns texts into sparse feature vectors. Deterministic and free of global state. */
export class FeatureExtractor {
  readonly #options: FeatureExtractorOptions;
  /** First stem of a phrase → the phrases starting with it. */
  readonly #lexicon: ReadonlyMap<string, readonly LexiconEntry[]> = new Map();
  readonly #groupDomains: ReadonlyMap<string, readonly string[]> = new Map();

  constructor(options: FeatureExtractorOptions) {
    this.#options = options;
    if (options.lexicon) {
      const compiled = compileLexicon(options.lexicon);
      this.#lexicon = compiled.phrases;
      this.#groupDomains = compiled.domains;
    }
  }

  /**
   * Extracts the features of one text. Feature names are hashed to 30-bit keys (FNV-1a);
   * with `withNames`, the readable names are returned too (for debugging).
   */
  extract(text: string, withNames = false): ExtractedFeatures {
    const { weights } = this.#options;
    const raw = text.slice(0, 4000);
    const norm = normalizeText(raw);
    const sink = new FeatureSink(withNames);
    const { units, stems, words, contentWords } = splitUnits(tokenize(norm));
    addWordGrams(sink, units, this.#options.wordBigrams, weights.word);
    if (this.#options.charNgrams && weights.char > 0) addCharGrams(sink, words, this.#options.charNgrams, weights.char);
    const domains = new Set<string>();
    addShapes(sink, raw, norm, stems, weights.shape, domains);
    const lexiconWords = new Set<number>();
    if (this.#lexicon.size > 0) {
      for (const [group, count] of matchLexicon(this.#lexicon, stems, lexiconWords)) {
        sink.add(`l:${group}`, weights.concept);
        if (count >= 2) sink.add(`l:${group}+`, weights.concept);
        for (const d of this.#groupDomains.get(group) ?? []) domains.add(d);
      }
    }
    if (weights.cross > 0) {
      for (const d of domains) sink.add(`d:${d}`, weights.cross);
      if (domains.size > 1) sink.add(`x:${[...domains].sort().join("&")}`, weights.cross);
    }
    const result: ExtractedFeatures = { features: sink.features, contentWords, lexiconWords, signals: sink.signals };
    if (sink.names) result.names = sink.names;
    return result;
  }
}

/** Accumulates hashed features (and optionally their names). */
class FeatureSink {
  readonly features = new Map<number, number>();
  readonly names: Map<number, string> | undefined;
  /** Shape and lexicon features added. */
  signals = 0;

  constructor(withNames: boolean) {
    this.names = withNames ? new Map() : undefined;
  }

  add(name: string, value: number): void {
    if (name.charCodeAt(1) === 58 /* ":" */ && (name[0] === "s" || name[0] === "l")) this.signals++;
    this.addKey(hashString(name), value, name);
  }

  addKey(key: number, value: number, name?: string): void {
    this.features.set(key, (this.features.get(key) ?? 0) + value);
    if (name !== undefined) this.names?.set(key, name);
  }
}

/** Maps tokens to word units: stems for words, `<int>`/`<dec>`/`<bignum>` for numbers. */
function splitUnits(tokens: readonly string[]): {
  units: string[];
  stems: string[];
  words: string[];
  contentWords: number[];
} {
  const units: string[] = [];
  const stems: string[] = [];
  const words: string[] = [];
  const contentWords: number[] = [];
  for (const token of tokens) {
    let unit: string;
    const first = token.charCodeAt(0);
    if (first >= 48 && first <= 57) unit = /[.,]/.test(token) ? "<dec>" : token.length >= 5 ? "<bignum>" : "<int>";
    else if (isWordStart(token)) {
      unit = stem(token);
      words.push(token);
      if (!STOPWORDS.has(token) && token.length > 1) contentWords.push(hashString(`w:${unit}`));
    } else unit = token;
    stems.push(unit);
    if (unit === "," || unit === "." || unit === "'" || unit === '"') continue;
    units.push(unit);
  }
  return { units, stems, words, contentWords };
}

/** Word unigrams and bigrams, sublinear counts, L2-normalised to `weight`. */
function addWordGrams(sink: FeatureSink, units: readonly string[], bigrams: boolean, weight: number): void {
  const counts = new Map<string, number>();
  for (const u of units) counts.set(`w:${u}`, (counts.get(`w:${u}`) ?? 0) + 1);
  if (bigrams) {
    for (let i = 0; i + 1 < units.length; i++) {
      const name = `b:${units[i]}|${units[i + 1]}`;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  if (weight <= 0 || counts.size === 0) return;
  let norm2 = 0;
  for (const c of counts.values()) norm2 += (1 + Math.log(c)) ** 2;
  const scale = weight / Math.sqrt(norm2);
  for (const [name, c] of counts) sink.add(name, (1 + Math.log(c)) * scale);
}

/** Character n-grams inside words, hashed without building the n-gram strings. */
function addCharGrams(sink: FeatureSink, words: readonly string[], range: readonly [number, number], weight: number): void {
  const [lo, hi] = range;
  const counts = new Map<number, number>();
  for (const word of words) if (word.length >= 2) countCharGrams(`<${word}>`, lo, hi, counts, sink.names);
  let norm2 = 0;
  for (const c of counts.values()) norm2 += (1 + Math.log(c)) ** 2;
  const scale = weight / Math.sqrt(norm2 || 1);
  for (const [key, c] of counts) sink.addKey(key, (1 + Math.log(c)) * scale);
}

/** Shape features; adds the domains they hint at to `domains`. */
function addShapes(sink: FeatureSink, raw: string, norm: string, stems: readonly string[], weight: number, domains: Set<string>): void {
  let numbers = 0;
  for (const s of stems) if (s === "<int>" || s === "<dec>" || s === "<bignum>") numbers++;
  for (const shape of SHAPES) {
    if (!shape.re.test(norm)) continue;
    sink.add(`s:${shape.name}`, weight);
    for (const d of shape.domains) domains.add(d);
  }
  if (numbers >= 2) sink.add("s:num2", weight);
  if (numbers >= 4) sink.add("s:num4", weight);
  if (/\b[a-z]{2,}[A-Z]\w*/.test(raw)) {
    sink.add("s:camel", weight);
    domains.add("code");
  }
  if (/\b[A-Z][a-z]+[A-Z][a-z]+\w*/.test(raw)) sink.add("s:pascal", weight);
  if (/\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE|ALTER TABLE|DROP TABLE|INNER JOIN|LEFT JOIN|GROUP BY|ORDER BY|WHERE)\b/.test(raw)) {
    sink.add("s:sql", weight);
    domains.add("code");
  }
  // A call like `foo(x)` or `parse_args()`, but not maths like `sin(x)` or prose "(see above)".
  const call = /([a-z_][a-z0-9_]*)\s?\(/g;
  for (let m = call.exec(norm); m !== null; m = call.exec(norm)) {
    const name = m[1] ?? "";
    if (name.length >= 3 && !MATH_FUNCS.has(name) && !STOPWORDS.has(name) && /\(\s*[\w"'[\]]*\s*[,)]/.test(norm.slice(m.index))) {
      sink.add("s:call", weight);
      domains.add("code");
      break;
    }
  }
}

interface CompiledLexicon {
  /** First stem of a phrase → the phrases starting with it, longest first. */
  phrases: Map<string, LexiconEntry[]>;
  domains: Map<string, readonly string[]>;
}

const compiledLexicons = new WeakMap<RouterLexicon, CompiledLexicon>();

/** Stems the phrases of a lexicon once per lexicon object. */
function compileLexicon(lexicon: RouterLexicon): CompiledLexicon {
  const cached = compiledLexicons.get(lexicon);
  if (cached) return cached;
  const phrases = new Map<string, LexiconEntry[]>();
  const domains = new Map<string, readonly string[]>();
  for (const [group, list] of Object.entries(lexicon)) {
    domains.set(group, domainsOf(group));
    for (const phrase of list) {
      const lower = phrase.toLowerCase();
      const tokens = /^[a-z' ]+$/.test(lower) ? lower.split(" ").filter((t) => t !== "") : tokenize(normalizeText(phrase));
      const stems = tokens.map((t) => stem(t));
      const first = stems[0];
      if (first === undefined) continue;
      const entries = phrases.get(first) ?? [];
      entries.push({ phrase: stems, group });
      phrases.set(first, entries);
    }
  }
  for (const entries of phrases.values()) entries.sort((a, b) => b.phrase.length - a.phrase.length);
  const compiled = { phrases, domains };
  compiledLexicons.set(lexicon, compiled);
  return compiled;
}

function domainsOf(group: string): readonly string[] {
  if (group.startsWith("~")) return [];
  const dot = group.indexOf(".");
  const head = dot < 0 ? group : group.slice(0, dot);
  return head.split("+").filter((d) => d.length > 0);
}

/** Counts lexicon hits per group; adds the hashed unigram features of matched words. */
function matchLexicon(lexicon: ReadonlyMap<string, readonly LexiconEntry[]>, stems: readonly string[], matchedWords: Set<number>): Map<string, number> {
  const hits = new Map<string, number>();
  const seq = stems.filter((s) => s !== "," && s !== "'" && s !== '"');
  for (let i = 0; i < seq.length; i++) {
    const candidates = lexicon.get(seq[i] ?? "");
    if (!candidates) continue;
    for (const entry of candidates) {
      if (!entry.phrase.every((p, k) => seq[i + k] === p)) continue;
      hits.set(entry.group, (hits.get(entry.group) ?? 0) + 1);
      for (const p of entry.phrase) matchedWords.add(hashString(`w:${p}`));
    }
  }
  return hits;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Keys are kept to 30 bits so V8 stores them as small integers. */
const KEY_MASK = 0x3fffffff;
const CHAR_SEED = hashRaw("c:");

/** Counts the hashed character n-grams (lengths lo..hi) of one padded word. */
function countCharGrams(padded: string, lo: number, hi: number, counts: Map<number, number>, names: Map<number, string> | undefined): void {
  for (let i = 0; i + lo <= padded.length; i++) {
    let h = CHAR_SEED;
    for (let n = 1; n <= hi && i + n <= padded.length; n++) {
      h = Math.imul(h ^ padded.charCodeAt(i + n - 1), FNV_PRIME);
      if (n < lo) continue;
      const key = (h ^ n) & KEY_MASK;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      names?.set(key, `c:${padded.slice(i, i + n)}`);
    }
  }
}

/** FNV-1a hash of a string's UTF-16 code units, reduced to 30 bits. */
export function hashString(text: string): number {
  return hashRaw(text) & KEY_MASK;
}

function hashRaw(text: string): number {
  let h = FNV_OFFSET | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

function isWordStart(token: string): boolean {
  const c = token.charCodeAt(0);
  return (c >= 97 && c <= 122) || c === 95 || (c > 127 && /^\p{L}/u.test(token));
}
