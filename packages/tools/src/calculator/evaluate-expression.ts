import type { MathNode } from "mathjs";
import { TinyLLMError } from "@tinyllm/core";
import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";
import { calculatorLimits } from "./calculator-policy";
import { checkExpressionTree } from "./check-expression-tree";
import { getSafeMath } from "./create-safe-math";
import type { CalculationMode, SafeMath } from "./create-safe-math";
import { evaluateNode, toCalculatorError } from "./evaluate-node";
import type { EvaluationContext } from "./evaluate-node";
import { formatResult } from "./format-result";
import type { CalculationResult } from "./format-result";
import { normalizeExpression, originalPosition } from "./normalize-expression";
import type { NormalizedExpression } from "./normalize-expression";
import { hasNonFinite } from "./value-magnitude";

/** Options of {@link evaluateExpression}. */
export interface EvaluateExpressionOptions {
  /** Longest accepted expression, in characters. Default 1000. */
  maxLength?: number;
  /** Time budget in milliseconds, checked at every step of the evaluation. Default 1000. */
  timeoutMs?: number;
  /** Significant digits in `text`. Default 12. */
  precision?: number;
}

/** @internal A parsed and checked expression, ready to evaluate. */
export interface PreparedExpression {
  readonly normalized: NormalizedExpression;
  readonly tree: MathNode;
}

const SYNTAX_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /unexpected operator ,/i,
    "inside a function call commas separate arguments; outside, write numbers without separators (1000 or 1,000) and use '.' for decimals",
  ],
  [/parenthesis \) expected|unexpected end/i, "the expression ends too early or a '(' is not closed"],
  [/value expected/i, "an operator is missing a value on one side"],
  [/unexpected part/i, "put an operator between values, e.g. 2 * 3, and call functions with parentheses, e.g. sqrt(16)"],
  [/unexpected operator/i, "an operator is in the wrong place"],
];

function snippet(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function parseWith(safe: SafeMath, normalized: NormalizedExpression, original: string): MathNode {
  let tree: MathNode;
  try {
    tree = safe.parse(normalized.text);
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    if (error instanceof RangeError)
      throw calculatorError(CalculatorErrorCode.Limit, "the expression is nested too deeply to parse", "split it into simpler steps", error);
    const message = error instanceof Error ? error.message : String(error);
    const char = (error as { char?: unknown }).char;
    const detail = message.replace(/\s*\(char \d+\)\s*$/, "");
    const where = typeof char === "number" ? ` at character ${originalPosition(normalized, char)}` : "";
    const hint =
      SYNTAX_HINTS.find(([pattern]) => pattern.test(message))?.[1] ??
      "write one arithmetic expression, e.g. (2 + 3) * 4, sqrt(16) * 3, 15% of 80 or 5 km to miles";
    throw calculatorError(CalculatorErrorCode.Syntax, `syntax error${where} in "${snippet(original)}": ${detail}`, hint, error);
  }
  checkExpressionTree(tree, safe);
  return tree;
}

function checkNesting(normalized: NormalizedExpression): void {
  let depth = 0;
  for (const char of normalized.text) {
    if (char === "(" || char === "[" || char === "{") {
      if (++depth > calculatorLimits.maxNesting)
        throw calculatorError(
          CalculatorErrorCode.Limit,
          `brackets are nested more than ${calculatorLimits.maxNesting} levels deep`,
          "split the calculation into simpler steps",
        );
    } else if (char === ")" || char === "]" || char === "}") depth--;
  }
}

/**
 * @internal Normalizes, bounds, parses and checks an expression for `mode` without evaluating
 * it. Throws the same errors as {@link evaluateExpression} for everything but evaluation.
 */
export function prepareExpression(expression: string, mode: CalculationMode = "number", maxLength: number = calculatorLimits.maxLength): PreparedExpression {
  if (typeof expression !== "string") throw calculatorError(CalculatorErrorCode.Syntax, "the expression must be a string");
  if (expression.length > maxLength)
    throw calculatorError(
      CalculatorErrorCode.Limit,
      `the expression is ${expression.length} characters long; the limit is ${maxLength}`,
      "send a shorter expression",
    );
  const normalized = normalizeExpression(expression);
  if (normalized.text.trim() === "") throw calculatorError(CalculatorErrorCode.Syntax, "the expression is empty", "write an expression such as 2 + 2");
  checkNesting(normalized);
  return { normalized, tree: parseWith(getSafeMath(mode), normalized, expression) };
}

function run(safe: SafeMath, tree: MathNode, deadline: number, timeoutMs: number): { value: unknown; issue: string | undefined } {
  const ctx: EvaluationContext = { safe, deadline, timeoutMs, issue: undefined };
  let value: unknown;
  try {
    value = evaluateNode(tree, ctx);
  } catch (error) {
    throw toCalculatorError(error, "evaluation failed");
  } finally {
    safe.restoreBigNumberSettings();
  }
  return { value, issue: ctx.issue };
}

/** Number-mode results that the BigNumber pass should redo: large, non-finite, or with a non-finite step. */
function needsBigNumbers(value: unknown, issue: string | undefined): boolean {
  if (issue !== undefined) return true;
  if (typeof value === "number") return !Number.isFinite(value) || Math.abs(value) >= calculatorLimits.exactThreshold;
  return hasNonFinite(value);
}

/**
 * Evaluates a math expression safely and returns its value, formatted text and kind.
 *
 * Policy, in short (the full lists are in `calculatorPolicy` and `calculatorLimits`, and in README.md beside this file):
 * - Supported: `+ - * / ^ mod % !`, `**` and `×` `÷`; roots, logs (`ln` = `log`), trigonometry
 *   in radians or degrees (`sin(30 deg)`, `sin(30°)`), factorial and combinatorics, statistics
 *   over lists, percentages (`15% of 80`, `80 + 15%` = 92), units and conversions
 *   (`5 km to miles`, `100 degF to degC`), exact fractions (`fraction(1/3) + 1/6` = 1/2),
 *   complex numbers, comparisons, small matrices, constants `pi e tau phi i`.
 * - Numbers are IEEE doubles. A result at or above 1e15, or one that overflowed, is computed
 *   again with 64-digit BigNumbers, so large integers are exact (`2^64` =
 *   `18446744073709551616`, `factorial(25)`) up to 64 digits; magnitudes beyond 10^±1000 are
 *   refused.
 * - Division by zero and other non-finite results (`log(0)`, `0/0`) are `CALC_MATH` errors,
 *   never `Infinity` or `NaN`. `sqrt(-4)` is the complex `2i`.
 * - Refused: variables and assignment, function definitions, property access and indexing,
 *   objects, strings, several statements, bitwise operators, and every function not on the
 *   allow-list (`evaluate`, `parse`, `import`, `createUnit`, `simplify`, `config`, `chain`, …).
 * - Bounded: input length, nesting, exponent size, factorials, array sizes (1000 elements) and
 *   time; expensive inputs are refused before the work starts.
 *
 * @throws TinyLLMError with code `CALC_SYNTAX`, `CALC_FORBIDDEN`, `CALC_LIMIT`, `CALC_UNDEFINED` or `CALC_MATH`.
 *
 * @example
 * ```ts
 * evaluateExpression("1000*(1+0.05)^10"); // { kind: "number", value: 1628.8946267774422, text: "1628.89462678" }
 * evaluateExpression("2^64");             // { kind: "bignumber", value: "18446744073709551616", text: "18446744073709551616" }
 * evaluateExpression("5 km to miles");    // { kind: "unit", value: 3.1068559611866697, unit: "miles", text: "3.10685596119 miles" }
 * ```
 */
export function evaluateExpression(expression: string, options: EvaluateExpressionOptions = {}): CalculationResult {
  const { maxLength = calculatorLimits.maxLength, timeoutMs = calculatorLimits.timeoutMs, precision = 12 } = options;
  const digits = Math.min(Math.max(Math.round(precision), 1), 64);
  // Creating a private instance (first call only, ~0.3 s) does not count against the budget.
  const numberMath = getSafeMath("number");
  let deadline = performance.now() + timeoutMs;
  const { normalized, tree } = prepareExpression(expression, "number", maxLength);
  const first = run(numberMath, tree, deadline, timeoutMs);
  if (!needsBigNumbers(first.value, first.issue)) return formatResult(numberMath, first.value, digits);

  const usable = first.issue === undefined && !hasNonFinite(first.value);
  const creating = performance.now();
  const bigMath = getSafeMath("bignumber");
  deadline += performance.now() - creating;
  let second: { value: unknown; issue: string | undefined };
  try {
    second = run(bigMath, parseWith(bigMath, normalized, expression), deadline, timeoutMs);
    if (hasNonFinite(second.value)) throw calculatorError(CalculatorErrorCode.Math, first.issue ?? "the result is not a finite number");
  } catch (error) {
    if (usable) return formatResult(numberMath, first.value, digits);
    const isMathjsFailure = TinyLLMError.isInstance(error) && error.code === CalculatorErrorCode.Math && error.cause !== undefined;
    if (TinyLLMError.isInstance(error) && !isMathjsFailure) throw error;
    throw calculatorError(
      CalculatorErrorCode.Math,
      first.issue ?? "the result is not a finite number",
      "check for division by zero, log(0), or a result too large to represent",
      error,
    );
  }
  return formatResult(bigMath, second.value, digits);
}
