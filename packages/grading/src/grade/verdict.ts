import type { CheckResult } from "../checks/check-result";

/** The outcome of grading one answer. */
export interface Verdict {
  /** Whether the answer passes; `null` when only an LLM judge could decide and none was available. */
  pass: boolean | null;
  /** Overall score 0–1 (1 or 0 for a decisive check; the rubric's weighted mean for the judge); `null` when undecided. */
  score: number | null;
  /** The check that decided (`rules.empty`, `math.reference`, `code.tests`, `judge`, …); `null` when undecided. */
  decidedBy: string | null;
  /** True when the verdict needed a judge and none was available, or the judge failed. */
  needsJudge: boolean;
  /** The rubric used. */
  rubric: string;
  /** The rubric's pass threshold. */
  threshold: number;
  /** Every check that ran, in order. */
  checks: CheckResult[];
  /** Judge scores per dimension, 0–1. */
  scores?: Record<string, number>;
  /** What the answer's author should change (empty when it passes). */
  feedback: string;
  /** The judge's reasoning, when it was asked. */
  rationale?: string;
  /** The judge call, when there was one. */
  judge?: { model: string; tier: string | undefined; repaired: boolean; escalated: boolean; inputTokens: number; outputTokens: number };
  durationMs: number;
}
