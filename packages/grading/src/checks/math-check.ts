import type { Calculator } from "@tinyllm/core";
import { currencySign, notPlainUnit, operandParts, percentOf, resultUnit, statedCalculation, unitAfter, unitKey, unitsArePlain } from "./stated-calculation";
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
    if (!found)
      return [
        checkResult("math.reference", "deterministic", "fail", true, `the answer has no final number; the reference is ${expected.text}`, {
          expected: expected.value,
        }),
      ];
    const agree = numbersAgree(found.value, expected.value);
    if (agree)
      return [
        checkResult("math.reference", "deterministic", "pass", true, `final number ${found.text} matches the reference`, {
          actual: found.value,
          expected: expected.value,
          foundBy: found.how,
        }),
      ];
    // Where the result sits in free text is a guess: when the reference's number is among the
    // places a result plausibly is (first sentence, bold, after a marker, the last sentence),
    // the answer may be right, so the judge decides; otherwise it is clearly wrong.
    const plausible = candidateNumbers(answer).some((value) => numbersAgree(value, expected.value));
    return [
      checkResult(
        "math.reference",
        "deterministic",
        "fail",
        !plausible,
        plausible
          ? `final number read as ${found.text}, but the reference ${expected.text} also appears where a result could be; not decided`
          : `final number ${found.text} ≠ reference ${expected.text}`,
        { actual: found.value, expected: expected.value, foundBy: found.how, ...(plausible ? { ambiguous: true } : {}) },
      ),
    ];
  }
  const expression = calculator?.bareCalculation(query);
  if (expression !== undefined) {
    const computed = compute(expression);
    if (computed !== undefined) {
      if (!found)
        return [checkResult("math.calculator", "deterministic", "fail", true, `the answer has no number; ${expression} = ${computed}`, { expected: computed })];
      // Short answers often lead with the result ("408. That's about 400.", "It's 408 (17 times 24)").
      const lead = firstNumber(answer);
      const close = (value: number) =>
        numbersAgree(value, computed) || (!Number.isInteger(computed) && Math.abs(value - computed) <= 1e-4 * Math.max(1, Math.abs(computed)));
      const agree = close(found.value) || (lead !== undefined && found.how !== "marker" && close(lead));
      return [
        checkResult(
          "math.calculator",
          "deterministic",
          agree ? "pass" : "fail",
          true,
          agree ? `final number ${found.text} matches the calculator (${expression})` : `final number ${found.text} ≠ ${expression} = ${computed}`,
          { actual: found.value, expected: computed, expression },
        ),
      ];
    }
  }
  let checked = 0;
  const text = answer
    .replace(/<<[^<>]*>>/g, "")
    .replace(/\{,\}/g, ",")
    .replace(/−/g, "-")
    .replace(/\\(?:times|cdot)/g, "*")
    .replace(/(\d)\s+[x]\s+(?=[$€£¥]?\d)/g, "$1 * ")
    .replace(/\\[()[\]]/g, " ");
  const calculations = [
    ...[...text.matchAll(statedCalculation)].map((match) => ({ match, shown: match[1] ?? "", result: match[2] ?? "", percent: undefined })),
    ...[...text.matchAll(percentOf)].map((match) => ({
      match,
      shown: match[1] ?? "",
      result: match[4] ?? "",
      percent: { rate: match[2] ?? "", of: match[3] ?? "" },
    })),
  ].sort((a, b) => a.match.index - b.match.index);
  for (const { match, shown, result, percent } of calculations) {
    const before = text.slice(Math.max(0, match.index - 12), match.index);
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 12);
    // Not plain decimal arithmetic: clock times (10:30 + 2 = 12:30), powers (2^3 + 1), results
    // written as mixed numbers, percentages or space-grouped thousands; part of a longer
    // expression in words ("5 times 3 - 1", "sqrt 16 + 2") or of a compound quantity ("5 feet
    // 6 inches + 2 inches").
    if (/\d:$|\^\s*$/.test(before) || /^(?::\d|\s+\d+\s*\/\s*\d|[½¼¾⅓⅔]|\s*%|\s*percent|\s\d{3}\b|\.\d{3}\b)/i.test(after)) continue;
    // A minus sign right before the first operand belongs to it ("-5 + 3 = -2"); any other
    // operator, a number or a bracket there means the calculation starts earlier, in a form not
    // read here ("3x + 4 - 4", "$350 000 x 5/100", "1/2 (68) + 10", "15 pages x 1/3").
    const sign = /(?:^|[\s(=:])[-−]$/.test(before) ? "-" : "";
    if (!sign && /(?:[-−–—+*/×÷]|(?:^|[^A-Za-z])x|[\d)])[ \t]*$/i.test(before.replace(/\*\*/g, "")) && !/(?:^|\n)[ \t]*\(?\d{1,2}[.)][ \t]+$/.test(before))
      continue;
    if (
      /\b(?:times|plus|minus|divided by|multiplied by|sqrt|root|log|ln|sin|cos|tan)[ \t]*$/i.test(before) ||
      (/\d[ \t]*[A-Za-z]+[ \t]*$/.test(before) && /^\s*\(?\s*[$€£¥]?[\d.,]+\s*[A-Za-z]/.test(shown))
    )
      continue;
    // A percentage inside a longer expression ("180 - 30% of 180 = 54") is ambiguous.
    if (percent && /[-+*/×÷(]\s*$/.test(before)) continue;
    // Not calculations: ranges and times ("9-5 = 8 hours"), versions ("3.10 - 3.9"), dates ("12/25/2024").
    if (/\d-\d/.test(shown) || /\b(?:version|v|python|node|release)\s*$/i.test(before) || /\d([/.])\d+\1\d/.test(shown)) continue;
    // Units must work as plain numbers (see unitsArePlain); scale words, clock times and
    // percentages do not ("3 dozen + 6 = 42", "11 am + 2 = 1 pm", "20 percent × 50").
    // A result in dozens is read as a count of them when divided or multiplied out ("60 / 12 = 5 dozen").
    const parts = [...(percent?.of ?? shown).matchAll(operandParts)];
    const sum = !percent && /[-+]/.test(shown.replace(/^\s*\(?\s*-/, ""));
    const resultWord = new RegExp(`^${unitAfter}`).exec(after)?.[0].trim();
    if (
      parts.some((part) => part[3] !== undefined && notPlainUnit.test(part[3].trim())) ||
      (resultWord !== undefined && notPlainUnit.test(resultWord) && (sum || !/^dozens?$/i.test(resultWord)))
    )
      continue;
    const units = new Set(parts.map((part) => unitKey(part[1], part[3])).filter((unit) => unit !== undefined));
    if (!unitsArePlain(sum, units, resultUnit(result, after))) continue;
    const bare = (expression: string) => expression.replace(operandParts, (_whole, _currency: string | undefined, value: string) => value.replace(/,/g, ""));
    const left = percent ? `${bare(percent.rate)} / 100 * ${bare(percent.of)}` : sign + bare(shown).replace(/×/g, "*").replace(/÷/g, "/");
    const stated = parseNumber(result.replace(new RegExp(currencySign), ""));
    const actual = compute(left);
    if (stated === undefined || actual === undefined) continue;
    checked++;
    // Rounded results ("10/3 = 3.33") agree when the stated value has the shown precision; a
    // whole-number result must be exact ("7 / 2 = 3" is wrong).
    const decimals = (/\.(\d+)/.exec(result)?.[1] ?? "").length;
    const scale = 10 ** decimals;
    // Rounded, rounded up or down, or truncated to the shown decimals ("25 / 8 = 4 boxes", "2/3 = 0.66"): not decidable here.
    const rounded = [Math.round, Math.floor, Math.ceil, Math.trunc].some(
      (round) => Math.abs(round(actual * scale) / scale - stated) <= 1e-9 * Math.max(1, Math.abs(stated)),
    );
    if (!numbersAgree(stated, actual, 1e-6) && rounded) continue;
    const agree = numbersAgree(stated, actual, 1e-6);
    if (!agree)
      return [
        checkResult(
          "math.arithmetic",
          "deterministic",
          "fail",
          true,
          `the answer says ${sign}${shown.trim()} = ${result}, but it is ${Number(actual.toPrecision(12))}`,
          { expression: left.trim(), stated, actual },
        ),
      ];
  }
  if (checked === 0)
    return [
      checkResult(
        "math.arithmetic",
        "deterministic",
        "skip",
        false,
        calculator ? "no reference, and no stated calculation to recompute" : "no reference, and no calculator to recompute stated calculations with",
      ),
    ];
  return [
    checkResult("math.arithmetic", "deterministic", "pass", false, `${checked} stated calculation${checked === 1 ? "" : "s"} recomputed and right`, {
      checked,
    }),
  ];
}

function computeWith(calculator: Calculator, expression: string): number | undefined {
  const result = calculator.evaluate(expression, { timeoutMs: 200 });
  if (!result.ok) return undefined;
  return typeof result.value === "number" ? result.value : parseNumber(result.value);
}
