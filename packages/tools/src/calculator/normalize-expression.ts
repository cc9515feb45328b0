import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";

/** An expression rewritten for the parser, with a map back to the original positions. */
export interface NormalizedExpression {
  /** The rewritten expression. */
  readonly text: string;
  /** `origin[i]` is the index in the original input that `text[i]` came from; `origin[text.length]` is the input's length. */
  readonly origin: readonly number[];
}

interface Rule {
  /** Sticky pattern tried at the current position. */
  readonly pattern: RegExp;
  /** Replacement; `emitted` is what has been produced so far. `undefined` means "rule does not apply". */
  readonly replace: (match: RegExpExecArray, emitted: string) => string | undefined;
}

const SUPERSCRIPTS: Readonly<Record<string, string>> = {
  "⁰": "0",
  "¹": "1",
  "²": "2",
  "³": "3",
  "⁴": "4",
  "⁵": "5",
  "⁶": "6",
  "⁷": "7",
  "⁸": "8",
  "⁹": "9",
  "⁻": "-",
};

const RULES: readonly Rule[] = [
  { pattern: /\*\*/y, replace: () => "^" },
  { pattern: /[×✕✖⨯·⋅∙]/y, replace: () => "*" },
  { pattern: /[÷∕]/y, replace: () => "/" },
  { pattern: /[−–‐‑‒]/y, replace: () => "-" },
  { pattern: /⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+/y, replace: (m) => `^${[...m[0]].map((c) => SUPERSCRIPTS[c] ?? c).join("")}` },
  { pattern: /π/y, replace: () => "pi" },
  { pattern: /τ/y, replace: () => "tau" },
  { pattern: /[φϕ]/y, replace: () => "phi" },
  { pattern: /([√∛])\s*(\d+(?:\.\d*)?|\.\d+|[A-Za-z_]\w*(?!\s*\())/y, replace: (m) => `${m[1] === "√" ? "sqrt" : "cbrt"}(${m[2] ?? ""})` },
  { pattern: /√/y, replace: () => "sqrt" },
  { pattern: /∛/y, replace: () => "cbrt" },
  { pattern: /°\s*([CF])(?![A-Za-z])/y, replace: (m, emitted) => `${/\s$/.test(emitted) ? "" : " "}deg${m[1] ?? ""}` },
  { pattern: /°/y, replace: (_m, emitted) => `${/\s$/.test(emitted) ? "" : " "}deg` },
  // "15 percent" → "15%"
  { pattern: /\s*percent\b/iy, replace: (_m, emitted) => (/[\d.)]\s*$/.test(emitted) ? "%" : undefined) },
  // "15% of 80" → "15% * 80" (mathjs reads "15% * 80" as 0.15 * 80)
  { pattern: /\s*of\b/iy, replace: (_m, emitted) => (/%\s*$/.test(emitted) ? " *" : undefined) },
  // currency signs next to numbers: "$1,200" → "1,200"
  { pattern: /[$€£¥](?=\s*[\d.])/y, replace: () => "" },
  { pattern: /(?<=[\d.])\s*[$€£¥]/y, replace: () => "" },
  { pattern: /[\u00A0\u2007\u2009\u202F\t]/y, replace: () => " " },
  { pattern: /\r\n?/y, replace: () => "\n" },
];

/** Inputs that need the rule pass: anything non-printable or non-ASCII, `**`, currency, "percent", "% of". */
const NEEDS_REWRITE = /[^\x20-\x7e\n]|\*\*|\$|percent|%\s*of/i;

function syntaxError(message: string, hint: string): never {
  throw calculatorError(CalculatorErrorCode.Syntax, message, hint);
}

/** `(` opens a call when an identifier (not a number) stands right before it. */
function isCallParen(text: string, index: number): boolean {
  let end = index;
  while (end > 0 && text[end - 1] === " ") end--;
  let start = end;
  while (start > 0 && /\w/.test(text[start - 1] ?? "")) start--;
  return start < end && /[A-Za-z_]/.test(text[start] ?? "");
}

/** Removes thousands separators where a comma cannot mean anything else. */
function removeThousandsSeparators(text: string, origin: number[]): { text: string; origin: number[] } {
  if (!text.includes(",")) return { text, origin };
  // innermost bracket kind at each index
  const context: Array<"top" | "group" | "list"> = [];
  const stack: Array<"group" | "list"> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    context.push(stack[stack.length - 1] ?? "top");
    if (c === "(") stack.push(isCallParen(text, i) ? "list" : "group");
    else if (c === "[" || c === "{") stack.push("list");
    else if ((c === ")" || c === "]" || c === "}") && stack.length > 0) stack.pop();
  }
  const drop = new Set<number>();
  for (const match of text.matchAll(/(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w.])/g)) {
    const start = match.index;
    const commas = [...match[0].matchAll(/,/g)].map((comma) => start + comma.index);
    if (context[start] === "list") {
      if (/,0/.test(match[0])) {
        syntaxError(
          `'${match[0]}' at character ${(origin[start] ?? 0) + 1} is ambiguous: inside a function call or array the commas separate arguments`,
          `write the number without separators (e.g. ${match[0].replace(/,/g, "")}) or put spaces after argument commas`,
        );
      }
      continue;
    }
    for (const comma of commas) drop.add(comma);
  }
  if (drop.size === 0) return { text, origin };
  let out = "";
  const outOrigin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (drop.has(i)) continue;
    out += text[i];
    outOrigin.push(origin[i] ?? 0);
  }
  outOrigin.push(origin[text.length] ?? 0);
  return { text: out, origin: outOrigin };
}

/**
 * Rewrites the notation models commonly produce into mathjs syntax, keeping a map back to the
 * original character positions. Supported rewrites:
 *
 * - `×` `·` `⋅` `∙` → `*`, `÷` → `/`, `−` `–` → `-`, `**` → `^`, superscripts `x²` `x⁻¹` → `x^2` `x^-1`
 * - `π` `τ` `φ` → `pi` `tau` `phi`; `√16` `√(x)` `∛27` → `sqrt(16)` `sqrt(x)` `cbrt(27)`
 * - `30°` → `30 deg`, `100°F` / `°C` → `100 degF` / `degC`
 * - `15 percent` → `15%`; `15% of 80` → `15% * 80` (= 12)
 * - currency signs next to numbers are dropped: `$1,200` → `1200`
 * - thousands separators `1,000,000` are removed where a comma cannot separate arguments:
 *   outside brackets or inside plain grouping parentheses. Inside a call or array `max(1,000, 2)`
 *   is refused as ambiguous (`CALC_SYNTAX`), while `max(100,200)` stays two arguments.
 * - a trailing `=`, `= ?` or `?` is dropped; non-breaking and thin spaces become spaces
 *
 * Any other non-ASCII character (full-width digits, zero-width or direction-override
 * characters, look-alike letters) and control characters other than newline are refused with
 * `CALC_SYNTAX` and their position.
 */
export function normalizeExpression(input: string): NormalizedExpression {
  if (!NEEDS_REWRITE.test(input))
    return finish(
      input,
      Array.from({ length: input.length + 1 }, (_, k) => k),
    );
  let text = "";
  const origin: number[] = [];
  const emit = (chunk: string, from: number) => {
    text += chunk;
    for (let k = 0; k < chunk.length; k++) origin.push(from);
  };
  let i = 0;
  outer: while (i < input.length) {
    for (const rule of RULES) {
      rule.pattern.lastIndex = i;
      const match = rule.pattern.exec(input);
      if (!match || match[0].length === 0) continue;
      const replacement = rule.replace(match, text);
      if (replacement === undefined) continue;
      emit(replacement, i);
      i += match[0].length;
      continue outer;
    }
    const code = input.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    if (code > 0x7e || (code < 0x20 && char !== "\n")) {
      const shown = code < 0x20 || (code >= 0x7f && code <= 0x9f) || /\p{Cf}|\p{Zs}|\p{Zl}|\p{Zp}/u.test(char) ? "" : ` '${char}'`;
      syntaxError(
        `unsupported character${shown} (U+${code.toString(16).toUpperCase().padStart(4, "0")}) at character ${i + 1}`,
        "use plain ASCII: digits, + - * / ^ ( ), letters for function and unit names",
      );
    }
    emit(char, i);
    i += char.length;
  }
  origin.push(input.length);
  return finish(text, origin);
}

/** Thousands separators, trailing `=` / `?`, surrounding spaces. */
function finish(text: string, origin: number[]): NormalizedExpression {
  const separated = removeThousandsSeparators(text, origin);
  let end = separated.text.length;
  const trailing = /\s*(?:=\s*\??|\?)\s*$/.exec(separated.text);
  if (trailing && trailing.index > 0) end = trailing.index;
  while (end > 0 && /\s/.test(separated.text[end - 1] ?? "")) end--;
  let start = 0;
  while (start < end && /\s/.test(separated.text[start] ?? "")) start++;
  return { text: separated.text.slice(start, end), origin: separated.origin.slice(start, end + 1) };
}

/** The 1-based character position in the original input for a 1-based position in `normalized.text`. */
export function originalPosition(normalized: NormalizedExpression, position: number): number {
  const index = Math.min(Math.max(position - 1, 0), normalized.origin.length - 1);
  return (normalized.origin[index] ?? 0) + 1;
}
