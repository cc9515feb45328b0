import { numbersIn, type FoundNumber } from "./read-numbers";

/** Where a sentence splits into clauses: commas and semicolons (not the comma of `1,234`), "and", "but". */
const clauseBreak = /\s*[,;](?!\d)\s*(?:(?:and|but)\b\s*)?|\s+(?:and|but)\s+/gi;
/** Words that open a reason or condition: what follows them is not the result ("…, because 2 + 3 = 5"). */
export const subordinate =
  /(?:^|[,;]\s*|\s)(?:because|since|although|though|unless|whereas|if|when|while|given)\b|(?:^|[,;]\s*)(?:as|from|by|who|whose|where|after|before)\b/i;
/** Verbs that state a result when a number follows ("half of 12 is 6", "leaving 9"). */
const resultVerb = /\b(?:is|are|was|were|(?:will|would|'ll) be|equals?|gives?|gave|leaves|leaving|comes? to|came to|amounts? to|becomes?|became)\b/gi;
/** A number that compares or is an operand, not a result ("3 times as many", "6 more than", "30% of", "4 × 5"). */
const notAResult =
  /^\s*(?:[A-Za-z]+\s+)?(?:times|more|fewer|less|greater|smaller|larger|bigger|higher|lower|older|younger|longer|shorter|than|as)\b|^\s*(?:%|percent)?\s*of\b|^\s*[-−+*/×÷x:]\s*\$?\d/i;
/** A number that is what remains ("12 are left", "9 eggs remain", "with 3 left over"). */
const remainsAfter = /^\s*(?:[A-Za-z]+\s+){0,2}?(?:(?:is|are|was|were)\s+)?(?:left|remaining|remains?)\b/i;

/**
 * The result stated by the last clause of `text[start, end)` that has a number, when it states
 * one: the number after its last result verb ("half of 12 is 6", "leaving $9"), or the number
 * of what remains ("12 are left"). Clauses split at commas, semicolons, "and" and "but"; from
 * the first reason or condition on ("because …", "if …", "when …") the sentence gives no result.
 * Undefined when that clause only compares or adds context ("6 more than before", "7 days a
 * week"), so the caller keeps its own reading.
 */
export function clauseResult(text: string, start: number, end: number): (FoundNumber & { index: number }) | undefined {
  let span = text.slice(start, end);
  const reason = subordinate.exec(span);
  if (reason) span = span.slice(0, reason.index);
  const clauses: { from: number; to: number }[] = [];
  let clauseStart = 0;
  for (const split of span.matchAll(clauseBreak)) {
    clauses.push({ from: clauseStart, to: split.index });
    clauseStart = split.index + split[0].length;
  }
  clauses.push({ from: clauseStart, to: span.length });
  for (let i = clauses.length - 1; i >= 0; i--) {
    const { from, to } = clauses[i]!;
    const clause = span.slice(from, to);
    const numbers = [...numbersIn(clause, start + from, text)];
    if (numbers.length === 0) continue;
    const isResult = (found: FoundNumber & { index: number }) => !notAResult.test(text.slice(found.index + found.text.length, start + to));
    for (const verb of [...clause.matchAll(resultVerb)].reverse()) {
      const verbEnd = start + from + verb.index + verb[0].length;
      const next = numbers.find((found) => found.index >= verbEnd);
      // At most three words between the verb and its number ("is about 5", "are now 12"), and
      // no preposition ("leaves at 5", "is in 3 weeks").
      const between = text.slice(verbEnd, next?.index ?? verbEnd);
      if (
        next &&
        /^(?:\s+[A-Za-z]+){0,3}\s*(?:\$\s?)?$/.test(between) &&
        !/\b(?:at|on|in|by|for|from|after|before|until|since|per|with|within)\b/i.test(between)
      )
        return isResult(next) ? next : undefined;
    }
    const remaining = numbers.find((found) => remainsAfter.test(text.slice(found.index + found.text.length, start + to)));
    return remaining;
  }
  return undefined;
}
