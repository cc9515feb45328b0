/**
 * Shapes of a query that say what it is with near certainty, whatever its words: a fenced code
 * block, a stack trace, a function signature, a bare arithmetic expression. A router's `rules`
 * turn them into labels the fast path must choose (see `RouterConfig.rules`).
 *
 * @module
 */

/** The shapes {@link detectQueryShapes} knows. */
export const queryShapes = ["code-fence", "stack-trace", "function-signature", "bare-expression"] as const;

/** One of {@link queryShapes}. */
export type QueryShape = (typeof queryShapes)[number];

// A fenced block: three backticks (or tildes) at the start of a line, closed or not.
const codeFence = /(^|\n)[ \t]*(```|~~~)/;

const stackTraces = [
  /Traceback \(most recent call last\)/,
  /(^|\n)\s*File "[^"\n]+", line \d+/,
  /(^|\n)\s+at [\w$.<>[\]/]+ ?\([^()\n]*:\d+(:\d+)?\)/, // JavaScript, Java, C#
  /(^|\n)\s+at [^\s()]+:\d+:\d+\s*(\n|$)/, // JavaScript frames without a function name
  /Exception in thread "[^"\n]*"/,
  /(^|\n)\s*(error|warning)\[E\d{4}\]:/, // Rust
  /thread '[^'\n]*' panicked at/,
  /(^|\n)goroutine \d+ \[[a-z ]+\]:/,
  /Segmentation fault \(core dumped\)/,
  /(^|\n)[\w./\\-]+\.(c|cc|cpp|h|hpp|go|rs|java|py|js|ts|tsx|cs|kt|swift):\d+:\d+: (error|warning)\b/,
];

const signatures = [
  /(^|\n)\s*(async\s+)?def\s+[A-Za-z_]\w*\s*\([^)]*\)\s*(->\s*[^:\n]+)?:/, // Python
  /(^|\n)\s*(export\s+)?(async\s+)?function\s*\*?\s*[A-Za-z_$][\w$]*\s*(<[^>\n]*>)?\s*\([^)]*\)\s*(:\s*[^{\n]+)?\{/, // JavaScript, TypeScript
  /(^|\n)\s*(pub(\([a-z]+\))?\s+)?(async\s+)?fn\s+[a-z_]\w*\s*(<[^>\n]*>)?\s*\([^)]*\)/, // Rust
  /(^|\n)\s*func\s+(\([^)]*\)\s*)?[A-Za-z_]\w*\s*\([^)]*\)/, // Go, Swift
  /(^|\n)\s*(public|private|protected|internal)\s+(static\s+)?(final\s+)?[\w<>[\],\s]+?\s+[A-Za-z_]\w*\s*\([^)]*\)\s*(throws\s+[\w.,\s]+)?\{/, // Java, C#
  /(^|\n)\s*(fun|fn|sub|proc)\s+[A-Za-z_]\w*\s*\([^)]*\)\s*(:\s*\w+)?\s*[{=]/, // Kotlin and others
];

// Only numbers, operators, brackets and an optional variable: "2+2", "(3/4)*12 =", "7x - 3 = 11".
const expressionBody = /^[\d\s.,+\-*/×÷^()[\]=%!x√π]+$/i;
const expressionLead = /^(what\s+is|what's|whats|calculate|compute|evaluate|solve|simplify)\s+/i;

/** The shapes found in `query`, in the order of {@link queryShapes}. Cheap: a few regular expressions. */
export function detectQueryShapes(query: string): QueryShape[] {
  const found: QueryShape[] = [];
  if (codeFence.test(query)) found.push("code-fence");
  if (stackTraces.some((re) => re.test(query))) found.push("stack-trace");
  if (signatures.some((re) => re.test(query))) found.push("function-signature");
  if (isBareExpression(query)) found.push("bare-expression");
  return found;
}

function isBareExpression(query: string): boolean {
  const body = query
    .trim()
    .replace(expressionLead, "")
    .replace(/[?.!\s]+$/, "");
  if (body.length === 0 || body.length > 200 || !expressionBody.test(body)) return false;
  // At least one digit and one operator between two operands: "2+2", "3x=9", "5!" is not enough.
  return /\d/.test(body) && /[\d)x%!]\s*[-+*/×÷^=%]\s*[\d(x√π]/i.test(body);
}
