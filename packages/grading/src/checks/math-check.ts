import type { Calculator } from "@tinyllm/core";
import { checkResult, type CheckResult } from "./check-result";
import { candidateNumbers, extractFinalNumber, firstNumber, numbersAgree, parseNumber } from "./final-number";

/** What the math check compares. */
export interface MathCheckInput {
  query: string;
  answer: string;
  /** A reference answer: a number, or worked text ending in one (GSM8K's `#### 72`). */
  reference?: string;
  /**
   * Recomputes calculations (`createCalculator()` from `@tinyllm/tools` fits). Without it, only
   * the reference comparison runs; bare calculations and stated arithmetic are left to the judge.
   */
  calculator?: Calculator;
}

const operand = String.raw`\$?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?`;
const statedCalculation = new RegExp(String.raw`(?<![\w.,/])(\(?\s*${operand}(?:\s*\)?\s*[-+*/×÷]\s*\(?\s*${operand}\s*\)?)+)\s*=\s*(-?${operand})(?![\d%/]|\.\d|\s*[-+*/×÷]\s*\d)`, "g");

/**
 * The deterministic math checks, in order:
 *
 * 1. with a reference, the answer's final number against the reference's (decisive);
 * 2. with none, when the query is a bare calculation ("What is 17 × 24?"), the final number against
 *    the calculator's result (decisive);
 * 3. otherwise every calculation the answer states (`48/2 = 24`) recomputed with the calculator: a
 *    wrong one fails the answer (decisive); when all agree the check passes without deciding.
 */
export function runMathCheck({ query, answer, reference, calculator }: MathCheckInput): CheckResult[] {
  const compute = (expression: string) => (calculator ? computeWith(calculator, expression) : undefined);
  const found = extractFinalNumber(answer);
  if (reference !== undefined && reference.trim() !== "") {
    const expected = extractFinalNumber(reference) ?? undefined;
    if (expected === undefined) return [checkResult("math.reference", "deterministic", "skip", false, "the reference has no number to compare with")];
    if (!found) return [checkResult("math.reference", "deterministic", "fail", true, `the answer has no final number; the reference is ${expected.text}`, { expected: expected.value })];
    const agree = numbersAgree(found.value, expected.value);
    if (agree) return [checkResult("math.reference", "deterministic", "pass", true, `final number ${found.text} matches the reference`, { actual: found.value, expected: expected.value, foundBy: found.how })];
    // Where the result sits in free text is a guess: when the reference's number is among the
    // places a result plausibly is (first sentence, bold, after a marker, the last sentence),
    // the answer may be right, so the judge decides; otherwise it is clearly wrong.
    const plausible = candidateNumbers(answer).some((value) => numbersAgree(value, expected.value));
    return [checkResult("math.reference", "deterministic", "fail", !plausible, plausible ? `final number read as ${found.text}, but the reference ${expected.text} also appears where a result could be; not decided` : `final number ${found.text} ≠ reference ${expected.text}`, { actual: found.value, expected: expected.value, foundBy: found.how, ...(plausible ? { ambiguous: true } : {}) })];
  }
  const expression = calculator?.bareCalculation(query);
  if (expression !== undefined) {
    const computed = compute(expression);
    if (computed !== undefined) {
      if (!found) return [checkResult("math.calculator", "deterministic", "fail", true, `the answer has no number; ${expression} = ${computed}`, { expected: computed })];
      // Short answers often lead with the result ("408. That's about 400.", "It's 408 (17 times 24)").
      const lead = firstNumber(answer);
      const close = (value: number) => numbersAgree(value, computed) || (!Number.isInteger(computed) && Math.abs(value - computed) <= 1e-4 * Math.max(1, Math.abs(computed)));
      const agree = close(found.value) || (lead !== undefined && found.how !== "marker" && close(lead));
      return [checkResult("math.calculator", "deterministic", agree ? "pass" : "fail", true, agree ? `final number ${found.text} matches the calculator (${expression})` : `final number ${found.text} ≠ ${expression} = ${computed}`, { actual: found.value, expected: computed, expression })];
    }
  }
  let checked = 0;
  const text = answer
    .replace(/<<[^<>]*>>/g, "")
    .replace(/−/g, "-")
    .replace(/\\(?:times|cdot)/g, "*")
    .replace(/(\d)\s+[x]\s+(?=\$?\d)/g, "$1 * ")
    .replace(/\\[()[\]]/g, " ");
  for (const match of text.matchAll(statedCalculation)) {
    const before = text.slice(Math.max(0, match.index - 12), match.index);
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 12);
    // Not plain decimal arithmetic: clock times (10:30 + 2 = 12:30), powers (2^3 + 1), results
    // written as mixed numbers, percentages or space-grouped thousands.
    if (/[:^]\s*$/.test(before) || /^(?::\d|\s+\d+\s*\/\s*\d|[½¼¾⅓⅔]|\s*%|\s*percent|\s\d{3}\b|\.\d{3}\b)/i.test(after)) continue;
    // Not calculations: ranges and times ("9-5 = 8 hours"), versions ("3.10 - 3.9"), dates.
    if (/\d-\d/.test(match[1] ?? "") || /\b(?:version|v|python|node|release)\s*$/i.test(before) || /\d[/.]\d+[/.]\d/.test(match[1] ?? "")) continue;
    // A minus sign right before the first operand belongs to it ("-5 + 3 = -2").
    const sign = /(?:^|[\s(=:])[-−]\s?$/.test(before) ? "-" : "";
    const left = sign + (match[1] ?? "").replace(/\$/g, "").replace(/(\d),(?=\d{3}\b)/g, "$1").replace(/×/g, "*").replace(/÷/g, "/");
    const stated = parseNumber(match[2] ?? "");
    const actual = compute(left);
    if (stated === undefined || actual === undefined) continue;
    checked++;
    // Rounded results ("10/3 = 3.33") agree when the stated value has the shown precision; a
    // whole-number result must be exact ("7 / 2 = 3" is wrong).
    const decimals = (/\.(\d+)/.exec(match[2] ?? "")?.[1] ?? "").length;
    const scale = 10 ** decimals;
    // Rounded, rounded up or down, or truncated to the shown decimals ("25 / 8 = 4 boxes", "2/3 = 0.66"): not decidable here.
    const rounded = [Math.round, Math.floor, Math.ceil, Math.trunc].some((round) => Math.abs(round(actual * scale) / scale - stated) <= 1e-9 * Math.max(1, Math.abs(stated)));
    if (!numbersAgree(stated, actual, 1e-6) && rounded) continue;
    const agree = numbersAgree(stated, actual, 1e-6);
    if (!agree) return [checkResult("math.arithmetic", "deterministic", "fail", true, `the answer says ${sign}${match[1]!.trim()} = ${match[2]}, but it is ${actual}`, { expression: left.trim(), stated, actual })];
  }
  if (checked === 0) return [checkResult("math.arithmetic", "deterministic", "skip", false, calculator ? "no reference, and no stated calculation to recompute" : "no reference, and no calculator to recompute stated calculations with")];
  return [checkResult("math.arithmetic", "deterministic", "pass", false, `${checked} stated calculation${checked === 1 ? "" : "s"} recomputed and right`, { checked })];
}

function computeWith(calculator: Calculator, expression: string): number | undefined {
  const result = calculator.evaluate(expression, { timeoutMs: 200 });
  if (!result.ok) return undefined;
  return typeof result.value === "number" ? result.value : parseNumber(result.value);
}
