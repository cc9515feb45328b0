/** Where a check sits in the cost order. */
export type CheckStage = "rules" | "deterministic" | "judge";

/**
 * What one check found.
 *
 * - `pass` / `fail`: the check has a view; when `decisive` is true that view is the verdict and
 *   no later (costlier) check runs.
 * - `skip`: the check does not apply (e.g. no reference to compare with).
 */
export interface CheckResult {
  /** Stable name, e.g. `rules.empty`, `math.reference`, `code.tests`, `json.valid`, `judge`. */
  name: string;
  stage: CheckStage;
  outcome: "pass" | "fail" | "skip";
  /** True when this result decides the verdict. */
  decisive: boolean;
  /** One line for people, e.g. `final number 73 ≠ reference 72`. */
  message: string;
  /** Check-specific data (numbers compared, test counts, judge scores, …). */
  details?: Record<string, unknown>;
  durationMs: number;
}

/** Builds a {@link CheckResult}; `durationMs` is filled by the caller. @internal */
export function checkResult(
  name: string,
  stage: CheckStage,
  outcome: CheckResult["outcome"],
  decisive: boolean,
  message: string,
  details?: Record<string, unknown>,
): CheckResult {
  return { name, stage, outcome, decisive, message, ...(details ? { details } : {}), durationMs: 0 };
}
