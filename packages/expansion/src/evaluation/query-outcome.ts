/** How one version of the graph did on one query. */
export interface QueryOutcome {
  /** The gate's final verdict: `null` when it could not decide, or the run failed before grading. */
  pass: boolean | null;
  /** Wall time of the run. */
  latencyMs: number;
  /** Tokens read and written by the run's model calls. */
  tokens: number;
  /** The answer, cut to 500 characters. */
  answer?: string;
  /** The check that decided the final verdict (e.g. `math.calculator`). */
  decidedBy?: string;
  /** Why the run failed, when it did not end normally. */
  error?: string;
}
