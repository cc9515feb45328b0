import type { Verdict } from "../grade/verdict";
import type { VerdictRecordInput } from "./verdict-record";

/**
 * The verdict-store record of a verdict: its outcome, checks and timing, with the question and
 * answer, plus `context` (which node graded it, the run, the route, the model that answered).
 */
export function verdictRecordOf(
  verdict: Verdict,
  context: Omit<VerdictRecordInput, "pass" | "score" | "decidedBy" | "checks" | "gradingMs" | "rubric">,
): VerdictRecordInput {
  return {
    ...context,
    pass: verdict.pass,
    score: verdict.score,
    decidedBy: verdict.decidedBy ?? "undecided",
    ...(verdict.scores ? { scores: verdict.scores } : {}),
    checks: verdict.checks,
    ...(verdict.feedback ? { feedback: verdict.feedback } : {}),
    gradingMs: verdict.durationMs,
    rubric: verdict.rubric,
  };
}
