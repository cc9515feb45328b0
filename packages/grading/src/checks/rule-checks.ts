import type { RubricChecks } from "../rubric/rubric-schema";
import { checkResult, type CheckResult } from "./check-result";
import { asksForCode, extractCode } from "./extract-code";

// A refusal declines the *request* ("I can't help with that"), not something inside the answer
// ("I'm sorry, but I can't attend the meeting" in a requested email).
const refusalVerb = String.raw`(?:help|assist|answer|provide|comply|fulfil|fulfill|do|create|write|generate|share|support|engage|complete)`;
const refusalObject = String.raw`(?:with (?:that|this|your|the)|that|this|it|such|your request|the request|requests? (?:like|of) (?:that|this))`;
const refusalPatterns = [
  new RegExp(
    String.raw`^\s*(?:i'?m|i am)\s+(?:sorry|afraid)\b[^.!?\n]{0,40}\b(?:can(?:'|no)?t|cannot|unable to|not able to|won'?t)\s+${refusalVerb}\b[^.!?\n]{0,20}?\b${refusalObject}`,
    "i",
  ),
  new RegExp(String.raw`^\s*(?:sorry[,.!]?\s+)?i\s+(?:can(?:'|no)?t|cannot|won'?t|am unable to|am not able to)\s+${refusalVerb}\s+${refusalObject}`, "i"),
  /\bas an ai(?: language model)?,? i (?:can(?:'|no)?t|cannot|am unable|don'?t have)\b/i,
  /^\s*i (?:must|have to) (?:decline|refuse) (?:to|this|that|your request)\b/i,
];

const errorPatterns = [
  /^\s*Traceback \(most recent call last\):/m,
  /^\s*(?:Uncaught\s+)?(?:[A-Z][A-Za-z]*)?Error: .+\n\s+at .+\(.+:\d+:\d+\)/m,
  /^\s*[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+:\s/,
];

/** What the rule checks look at. */
export interface RuleCheckInput {
  query: string;
  answer: string;
  /** The deterministic kind that applies (decided by the caller). */
  kind: "math" | "code" | "json" | "none";
  checks: RubricChecks;
}

/**
 * The cheapest checks: an empty, too short or too long answer, a refusal, error text instead of an
 * answer, and a request for code answered without any. Each failure is decisive; passes are not.
 */
export function runRuleChecks({ query, answer, kind, checks }: RuleCheckInput): CheckResult[] {
  const results: CheckResult[] = [];
  const text = answer.trim();
  if (text.length === 0) return [checkResult("rules.empty", "rules", "fail", true, "the answer is empty")];
  results.push(checkResult("rules.empty", "rules", "pass", false, "the answer is not empty"));
  if (text.length < checks.minChars)
    return [
      ...results,
      checkResult("rules.length", "rules", "fail", true, `the answer has ${text.length} characters; at least ${checks.minChars} are needed`, {
        chars: text.length,
      }),
    ];
  if (text.length > checks.maxChars)
    return [
      ...results,
      checkResult("rules.length", "rules", "fail", true, `the answer has ${text.length} characters; at most ${checks.maxChars} are allowed`, {
        chars: text.length,
      }),
    ];
  results.push(checkResult("rules.length", "rules", "pass", false, `${text.length} characters`, { chars: text.length }));
  const head = text.slice(0, 400);
  if (checks.refusal) {
    if (refusalPatterns.some((pattern) => pattern.test(head)))
      return [...results, checkResult("rules.refusal", "rules", "fail", true, "the answer refuses to answer", { excerpt: head.slice(0, 120) })];
    results.push(checkResult("rules.refusal", "rules", "pass", false, "no refusal"));
  }
  if (checks.errorText) {
    // Error text is the whole answer: a traceback, a stack trace or an error code line, with little else.
    if (errorPatterns.some((pattern) => pattern.test(head)) && text.length < 2_000 && extractCode(text).length === 0 && !asksAboutErrors(query)) {
      return [...results, checkResult("rules.error_text", "rules", "fail", true, "the answer is error text, not an answer", { excerpt: head.slice(0, 120) })];
    }
    results.push(checkResult("rules.error_text", "rules", "pass", false, "no error text"));
  }
  if (kind === "code" && checks.requireCode && asksForCode(query)) {
    if (extractCode(text).length === 0)
      return [...results, checkResult("rules.has_code", "rules", "fail", true, "the query asks for code and the answer has none")];
    results.push(checkResult("rules.has_code", "rules", "pass", false, "the answer has code"));
  }
  return results;
}

/** A query about an error may be answered by quoting it. */
function asksAboutErrors(query: string): boolean {
  return /\b(?:error|exception|traceback|stack trace|fails?|crash)/i.test(query);
}
