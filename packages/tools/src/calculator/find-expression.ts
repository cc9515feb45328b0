import type { FunctionNode, MathNode, OperatorNode, OperatorNodeFn, ParenthesisNode, SymbolNode } from "mathjs";
import { getSafeMath } from "./create-safe-math";
import { evaluateExpression, prepareExpression } from "./evaluate-expression";

/** Framing before the expression: "please", "can you", "what is", "calculate", … (applied repeatedly). */
const LEADING: readonly RegExp[] = [
  /^(?:hey|hi|hello|ok(?:ay)?|so|quick question|question)\b[\s,:!.-]*/i,
  /^(?:please|pls|kindly)\b[\s,:]*/i,
  /^(?:can|could|would|will)\s+you\s+(?:please\s+)?/i,
  /^(?:tell|show|give)\s+me\s+/i,
  /^i\s+(?:need|want)\s+(?:to\s+know\s+)?/i,
  /^help\s+me\s+(?:with\s+)?/i,
  /^(?:what\s+is|what's|what’s|whats|what\s+are|what\s+does|what\s+do|how\s+much\s+is|how\s+much\s+are|how\s+much\s+does|how\s+much\s+do)\s+/i,
  /^what\s+(?=[\d(√.-])/i,
  /^(?:calculate|compute|evaluate|eval|work\s+out|figure\s+out|solve|find|determine|convert)\b\s*:?\s*/i,
  /^(?:the\s+)?(?:value|result|answer)\s+(?:of|to|for)\s+/i,
];

/** Framing after the expression: "please", "equal?", "= ?", punctuation (applied repeatedly). */
const TRAILING: readonly RegExp[] = [
  /\s*[?.,;:]+$/,
  /(?<=[A-Za-z\s?.])!+$/,
  /\s+(?:please|pls|thanks|thank\s+you|for\s+me|exactly|now)$/i,
  /\s*(?:=|equals?|is\s+equal\s+to|equal\s+to|does\s+equal|come\s+to|comes\s+to|make|makes|is|are)\s*$/i,
];

/** Spelled-out operators, rewritten to symbols. */
const WORD_OPERATORS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:the\s+)?square\s+root\s+of\s+(\d+(?:\.\d+)?)/gi, "sqrt($1)"],
  [/\b(?:the\s+)?cube\s+root\s+of\s+(\d+(?:\.\d+)?)/gi, "cbrt($1)"],
  [/\s+(?:raised\s+)?to\s+the\s+power\s+of\s+/gi, " ^ "],
  [/\s+raised\s+to\s+/gi, " ^ "],
  [/\s+multiplied\s+by\s+/gi, " * "],
  [/\s+divided\s+by\s+/gi, " / "],
  [/\s+times\s+/gi, " * "],
  [/\s+plus\s+/gi, " + "],
  [/\s+minus\s+/gi, " - "],
  [/\s+squared\b/gi, "^2"],
  [/\s+cubed\b/gi, "^3"],
  [/(\d)\s+factorial\b/gi, "$1!"],
];

/** Things that look like arithmetic but are not: dates, times, year ranges, phone numbers. */
const NOT_ARITHMETIC: readonly RegExp[] = [
  /^\d{4}-\d{1,2}-\d{1,2}$/,
  /^\d{1,2}\/\d{1,2}\/\d{2,4}$/,
  /^(?:1[0-9]|20)\d{2}\s*[-–]\s*(?:1[0-9]|20)?\d{2}$/,
  /^\(?\d{3}\)?[\s-]\d{3}-\d{4}$/,
  /^\d{3}-\d{4}$/,
];

const KEYWORDS = new Set(["to", "in", "mod", "of", "percent"]);
const CONSTANTS = new Set(["pi", "e", "tau", "phi"]);

/** The last sentence, when every earlier one is framing without digits ("Hi! What is 2+2?"). */
function lastSentence(query: string): string | undefined {
  const parts = query.split(/(?<=[.!?])\s+/);
  const sentences = parts.filter((part) => /[A-Za-z0-9]/.test(part));
  if (sentences.length <= 1) return query;
  if (sentences.slice(0, -1).some((sentence) => /\d/.test(sentence))) return undefined;
  return sentences[sentences.length - 1];
}

function stripFraming(text: string): string {
  let current = text.trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const pattern of LEADING) {
      const next = current.replace(pattern, "");
      if (next !== current) {
        current = next.trim();
        changed = true;
      }
    }
    for (const pattern of TRAILING) {
      const next = current.replace(pattern, "");
      if (next !== current && next.trim() !== "") {
        current = next.trim();
        changed = true;
      }
    }
  }
  return current;
}

/**
 * Every word must be a function call, a constant, `to`/`in`/`mod`/`of`/`percent`, or a unit
 * right after a number, `/`, `^`, another unit, or `to`/`in` ("5 km to miles", "100 km/h * 2 h").
 * This keeps word problems out even when some of their words happen to be unit names.
 */
function wordsAreMath(candidate: string): boolean {
  const safe = getSafeMath("number");
  const tokens = candidate.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\S/g) ?? [];
  let conversions = 0;
  for (const [index, token] of tokens.entries()) {
    if (!/^[A-Za-z_]/.test(token)) continue;
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    if (safe.functions.has(token) && next === "(") continue;
    if (CONSTANTS.has(token)) continue;
    if (KEYWORDS.has(token)) {
      if (token === "to" || token === "in") conversions++;
      if (conversions > 1) return false;
      continue;
    }
    if (
      safe.isUnitName(token) &&
      previous !== undefined &&
      (/^[\d./^]/.test(previous) || previous === ")" || safe.isUnitName(previous) || previous === "to" || previous === "in")
    )
      continue;
    return false;
  }
  return true;
}

/** True when the tree computes something, as opposed to a bare number, constant or quantity ("7", "pi", "5 km", "15%"). */
function computes(node: MathNode, isUnit: (name: string) => boolean): boolean {
  switch (node.type) {
    case "ParenthesisNode":
      return computes((node as ParenthesisNode).content, isUnit);
    case "ConstantNode":
    case "SymbolNode":
      return false;
    case "OperatorNode": {
      const operator = node as OperatorNode<never, OperatorNodeFn>;
      const [left, right] = operator.args;
      if (operator.fn === "unaryMinus" || operator.fn === "unaryPlus") return left ? computes(left, isUnit) : false;
      const isQuantity =
        (operator.fn === "multiply" && operator.implicit && right?.type === "SymbolNode" && isUnit((right as SymbolNode).name)) ||
        (operator.fn === "divide" && (operator as { isPercentage?: boolean }).isPercentage === true);
      if (isQuantity && left && !computes(left, isUnit)) return false;
      return true;
    }
    case "FunctionNode":
      return (node as FunctionNode<SymbolNode>).args.length > 0;
    default:
      return true;
  }
}

/**
 * Finds an expression the calculator can evaluate directly in a natural-language math query,
 * for the tool-first fast path. It strips framing ("what is", "calculate", "please", "?"),
 * rewrites spelled-out operators ("times", "divided by", "squared", "square root of 144"), and
 * returns the expression only if {@link evaluateExpression} evaluates it.
 *
 * Returns `undefined` for word problems without an explicit expression, for plain numbers,
 * constants or quantities alone ("what is 7?", "what is 2024?", "what is 5 km?"), for dates,
 * times, year ranges and phone numbers, and for queries with words that are not math.
 *
 * @example
 * ```ts
 * findCalculableExpression("What is 2+2?");             // "2+2"
 * findCalculableExpression("what's 15% of 80");         // "15% of 80"
 * findCalculableExpression("convert 5 km to miles");    // "5 km to miles"
 * findCalculableExpression("Natalia sold clips to 48 of her friends…"); // undefined
 * ```
 */
export function findCalculableExpression(query: string): string | undefined {
  if (typeof query !== "string" || query.length > 500) return undefined;
  const sentence = lastSentence(query.trim());
  if (sentence === undefined) return undefined;
  let candidate = stripFraming(sentence);
  for (const [pattern, replacement] of WORD_OPERATORS) candidate = candidate.replace(pattern, replacement);
  candidate = candidate.trim();
  if (candidate === "" || candidate.length > 200 || !/\d/.test(candidate) || candidate.includes(":")) return undefined;
  if (NOT_ARITHMETIC.some((pattern) => pattern.test(candidate))) return undefined;
  if (!wordsAreMath(candidate)) return undefined;
  try {
    const safe = getSafeMath("number");
    if (!computes(prepareExpression(candidate).tree, (name) => !safe.constants.has(name) && safe.isUnitName(name))) return undefined;
    const result = evaluateExpression(candidate);
    if (result.kind === "matrix") return undefined;
  } catch {
    return undefined;
  }
  return candidate;
}
