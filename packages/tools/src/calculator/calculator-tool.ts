import { z } from "zod";
import { defineTool } from "../tool/tool";
import type { Tool } from "../tool/tool";
import { findCalculableExpression } from "./find-expression";
import { evaluateExpression } from "./evaluate-expression";
import type { CalculationResult } from "./format-result";

/** Input of the {@link calculator} tool. */
export const calculatorInputSchema = z.object({
  expression: z.string().describe("One math expression, e.g. 1000*(1+0.05)^10, sqrt(16)*3, 15% of 80, 5 km to miles"),
});

/** Output of the {@link calculator} tool: a {@link CalculationResult}. */
export const calculatorOutputSchema = z.object({
  value: z.union([z.number(), z.string(), z.boolean()]),
  text: z.string(),
  kind: z.enum(["number", "bignumber", "fraction", "complex", "unit", "boolean", "matrix"]),
  unit: z.string().optional(),
});

/** What the {@link calculator} tool takes. */
export type CalculatorInput = z.infer<typeof calculatorInputSchema>;

const description = [
  "Evaluates one math expression exactly and returns the result; use it for any arithmetic instead of calculating in your head.",
  "Write numbers and operators: + - * / ^ ( ), n! , mod, % (15% of 80, 80 + 15%).",
  "Functions: sqrt, cbrt, nthRoot(x, n), exp, log (natural; log(x, base)), log10, log2, sin cos tan asin acos atan (radians; degrees as sin(30 deg)),",
  "round(x, digits), floor, ceil, abs, factorial, combinations(n, k), permutations, gcd, lcm, isPrime, min, max, sum, mean, median, std.",
  "Constants: pi, e, tau, phi. Units and conversions: 5 km to miles, 100 degF to degC, 3 h * 60 km/h. Exact fractions: fraction(1, 3) + 1/6.",
  "Large integers are exact (2^64). No variables, words or '=': put the numbers into the expression.",
  "Examples: (48 + 24) / 3, 1000*(1+0.05)^10, sqrt(16)*3. The answer is in `text`; errors explain what to fix.",
].join(" ");

/**
 * The calculator tool: evaluates one expression with {@link evaluateExpression} (hardened
 * mathjs: allow-listed functions only, bounded size and time, exact big integers).
 *
 * @example
 * ```ts
 * const result = await runTool(calculator, { expression: "sqrt(16) * 3" });
 * if (result.ok) console.log(result.output.text); // "12"
 * ```
 */
export const calculator: Tool<CalculatorInput, CalculationResult> = defineTool<CalculatorInput, CalculationResult>({
  name: "calculator",
  description,
  inputSchema: calculatorInputSchema,
  outputSchema: calculatorOutputSchema,
  timeoutMs: 2000,
  async execute({ expression }, { abortSignal }) {
    abortSignal.throwIfAborted();
    return evaluateExpression(expression);
  },
  fromQuery(query) {
    const expression = findCalculableExpression(query);
    return expression === undefined ? undefined : { input: { expression }, answersQuery: isBareCalculation(query) };
  },
});

const ASKS_FOR_MORE = /\b(explain|why|how does|how do|show|steps?|step-by-step|prove|derive|describe|write|code|function|program|compare|interpret|meaning)\b/i;

/**
 * True when a query asks only for the value of its expression ("What is 2+2?", "15% of 80",
 * "calculate sqrt(16)*3 please"): one short sentence that asks for no explanation, proof or
 * code. Then the calculator's result is the whole answer and no model is asked.
 */
export function isBareCalculation(query: string): boolean {
  const text = query.trim();
  if (text.length > 160 || ASKS_FOR_MORE.test(text)) return false;
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.trim() !== "");
  if (sentences.length > 1) return false;
  return text.split(/\s+/).length <= 14;
}
