import { TinyLLMError, toTinyLLMError, type Calculator, type CodeRunners } from "@tinyllm/core";
import { checkResult, type CheckResult } from "../checks/check-result";
import { runCodeCheck, type CodeTests } from "../checks/code-check";
import { asksForCode } from "../checks/extract-code";
import { extractFinalNumber } from "../checks/final-number";
import { asksForJson, runJsonCheck } from "../checks/json-check";
import { runMathCheck } from "../checks/math-check";
import { runRuleChecks } from "../checks/rule-checks";
import { GradingErrorCode } from "../grading-error-code";
import type { Judge, JudgeVerdict } from "../judge/judge";
import { defaultRubric } from "../rubric/default-rubric";
import type { RubricSet } from "../rubric/rubric-set";
import type { Rubric } from "../rubric/rubric-schema";
import type { Verdict } from "./verdict";

/** What to grade. */
export interface GradeInput {
  query: string;
  answer: string;
  /** A reference answer (for math, a number or worked text ending in one). */
  reference?: string;
  /** The route the query took; picks the rubric and the deterministic check. */
  route?: string;
  /** Tests for code answers. */
  tests?: CodeTests;
  /** A rubric to use instead of the route's. */
  rubric?: Rubric;
}

/** Options of {@link grade}. */
export interface GradeOptions {
  /** Rubrics by route. Default: {@link defaultRubric} for everything. */
  rubrics?: RubricSet;
  /** The LLM judge; without it a verdict only a judge could make is returned undecided. */
  judge?: Judge;
  /** Sandboxes for the code check (`createCodeExecutor` and `createPythonExecutor` from `@tinyllm/tools` fit). */
  runners?: CodeRunners;
  /** The calculator for the math checks (`createCalculator()` from `@tinyllm/tools` fits); without it, stated arithmetic is not recomputed. */
  calculator?: Calculator;
  abortSignal?: AbortSignal;
}

/** Largest query, answer or reference accepted, in characters. */
const maxChars = 1_000_000;

/**
 * Grades one answer with checks in order of cost, stopping at the first decisive one:
 *
 * 1. rules: empty, too short or long, refusal, error text, code asked for but missing;
 * 2. deterministic: the math final number against the reference or the calculator, the answer's
 *    code run in a sandbox against tests, JSON validity when JSON was asked for;
 * 3. the LLM judge, scoring the rubric's dimensions; passes when the weighted score reaches the
 *    rubric's threshold.
 *
 * Without a judge, or when the judge fails, a verdict only a judge could make is undecided:
 * `pass: null`, `needsJudge: true` (the judge's error is in `checks`).
 *
 * @example
 * ```ts
 * const verdict = await grade({ query: "What is 17 * 24?", answer: "17 * 24 = 408" });
 * verdict.pass;      // true
 * verdict.decidedBy; // "math.calculator"
 * ```
 */
export async function grade(input: GradeInput, options: GradeOptions = {}): Promise<Verdict> {
  const started = performance.now();
  for (const field of ["query", "answer"] as const) {
    if (typeof input[field] !== "string")
      throw new TinyLLMError({ code: GradingErrorCode.InputInvalid, message: `${field} must be a string`, hint: `pass the ${field} as text` });
  }
  for (const field of ["query", "answer", "reference"] as const) {
    const value = input[field];
    if (value !== undefined && value.length > maxChars)
      throw new TinyLLMError({
        code: GradingErrorCode.InputInvalid,
        message: `the ${field} has ${value.length} characters; at most ${maxChars} are graded`,
        hint: `shorten the ${field}`,
      });
  }
  if (input.query.trim() === "")
    throw new TinyLLMError({ code: GradingErrorCode.InputInvalid, message: "the query is empty", hint: "pass the question the answer responds to" });
  const rubric = input.rubric ?? options.rubrics?.forRoute(input.route) ?? defaultRubric;
  const kind = deterministicKind(input, rubric, options.calculator);
  const checks: CheckResult[] = [];
  const finish = (fields: Omit<Verdict, "rubric" | "threshold" | "checks" | "durationMs">): Verdict => ({
    ...fields,
    rubric: rubric.id,
    threshold: rubric.threshold,
    checks,
    durationMs: performance.now() - started,
  });
  const decided = (): Verdict | undefined => {
    const decisive = checks.find((check) => check.decisive);
    if (!decisive) return undefined;
    const pass = decisive.outcome === "pass";
    return finish({ pass, score: pass ? 1 : 0, decidedBy: decisive.name, needsJudge: false, feedback: pass ? "" : feedbackFor(decisive) });
  };
  const timed = async (run: () => CheckResult[] | Promise<CheckResult[]>): Promise<void> => {
    const t0 = performance.now();
    const results = await run();
    const each = (performance.now() - t0) / Math.max(1, results.length);
    for (const result of results) checks.push({ ...result, durationMs: round(each) });
  };

  await timed(() => runRuleChecks({ query: input.query, answer: input.answer, kind, checks: rubric.checks }));
  const byRules = decided();
  if (byRules) return byRules;

  if (kind === "math")
    await timed(() =>
      runMathCheck({
        query: input.query,
        answer: input.answer,
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
        ...(options.calculator ? { calculator: options.calculator } : {}),
      }),
    );
  else if (kind === "code")
    await timed(() =>
      runCodeCheck({
        answer: input.answer,
        runners: options.runners ?? {},
        ...(input.tests ? { tests: input.tests } : {}),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      }),
    );
  else if (kind === "json") await timed(() => runJsonCheck(input.answer));
  const byChecks = decided();
  if (byChecks) return byChecks;

  if (!options.judge) {
    return finish({ pass: null, score: null, decidedBy: null, needsJudge: true, feedback: "" });
  }
  const t0 = performance.now();
  let verdict: JudgeVerdict;
  try {
    verdict = await options.judge(
      { query: input.query, answer: input.answer, rubric, ...(input.reference !== undefined ? { reference: input.reference } : {}), evidence: checks },
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
  } catch (error) {
    const failure = toTinyLLMError(error);
    if (failure.code === "MODEL_ABORTED" || options.abortSignal?.aborted) throw failure;
    // A judge that cannot answer says nothing about the answer: the verdict stays undecided.
    checks.push({
      ...checkResult("judge", "judge", "skip", false, `the judge failed: ${failure.message.slice(0, 300)}`, { code: failure.code }),
      durationMs: round(performance.now() - t0),
    });
    return finish({ pass: null, score: null, decidedBy: null, needsJudge: true, feedback: "" });
  }
  const total = rubric.dimensions.reduce((sum, d) => sum + d.weight, 0);
  const score = rubric.dimensions.reduce((sum, d) => sum + d.weight * (verdict.scores[d.name] ?? 0), 0) / total;
  const pass = score >= rubric.threshold;
  checks.push({
    ...checkResult("judge", "judge", pass ? "pass" : "fail", true, `weighted score ${score.toFixed(2)} ${pass ? "≥" : "<"} threshold ${rubric.threshold}`, {
      scores: verdict.rawScores,
      model: verdict.model,
    }),
    durationMs: round(performance.now() - t0),
  });
  return finish({
    pass,
    score,
    decidedBy: "judge",
    needsJudge: false,
    scores: verdict.scores,
    feedback: pass ? "" : verdict.feedback,
    rationale: verdict.rationale,
    judge: {
      model: verdict.model,
      tier: verdict.tier,
      repaired: verdict.repaired,
      escalated: verdict.escalated,
      inputTokens: verdict.usage.inputTokens,
      outputTokens: verdict.usage.outputTokens,
    },
  });
}

/** Which deterministic check applies to this input. */
function deterministicKind(input: GradeInput, rubric: Rubric, calculator: Calculator | undefined): "math" | "code" | "json" | "none" {
  if (input.tests) return "code";
  if (rubric.checks.kind !== "auto") return rubric.checks.kind;
  if (input.route === "math") return "math";
  if (input.route === "code" || input.route === "code_math") return "code";
  if (asksForJson(input.query)) return "json";
  if (
    input.reference !== undefined &&
    /^\s*(?:####\s*)?[-−$]?[\d,.]+\s*$|####\s*[-−$]?[\d,.]+\s*$/.test(input.reference) &&
    extractFinalNumber(input.reference)
  )
    return "math";
  if (asksForCode(input.query)) return "code";
  if (calculator?.bareCalculation(input.query) !== undefined) return "math";
  return "none";
}

function feedbackFor(check: CheckResult): string {
  switch (check.name) {
    case "rules.empty":
      return "The answer was empty. Answer the question.";
    case "rules.refusal":
      return "The answer refused. The question is fine to answer: answer it directly.";
    case "rules.has_code":
      return "The question asks for code and the answer had none. Give the code in a fenced block.";
    case "math.arithmetic":
      return `A calculation is wrong: ${check.message}. Redo the arithmetic step by step.`;
    case "math.reference":
    case "math.calculator":
      return `The final result is wrong (${check.message}). Recompute it step by step and state the final number plainly.`;
    case "code.tests":
      return `The code fails its tests: ${check.message}. Fix the code.`;
    case "code.run":
      return `The code does not run: ${check.message}. Fix it.`;
    case "json.valid":
      return `${check.message}. Reply with valid JSON only.`;
    default:
      return check.message;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
