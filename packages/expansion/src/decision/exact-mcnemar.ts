import { halfBinomialUpperTail } from "./binomial";

/** The outcome of a paired test of two versions ({@link exactMcNemar}, {@link unconditionalMcNemar}). */
export interface McNemarResult {
  /** Queries the baseline passed and the candidate failed. */
  baselineOnly: number;
  /** Queries the candidate passed and the baseline failed. */
  candidateOnly: number;
  /** The p-value: one-sided (the candidate is better) unless `twoSided`. */
  pValue: number;
}

/** Options of {@link exactMcNemar}. */
export interface ExactMcNemarOptions {
  /** Test for a difference either way instead of "the candidate is better". Default false. */
  twoSided?: boolean;
}

/** Counts the discordant pairs, checking that both sides are paired. @internal */
export function discordantPairs(baseline: readonly boolean[], candidate: readonly boolean[]): { baselineOnly: number; candidateOnly: number } {
  if (baseline.length !== candidate.length) throw new RangeError(`paired outcomes differ in length: ${baseline.length} and ${candidate.length}`);
  let baselineOnly = 0;
  let candidateOnly = 0;
  for (let i = 0; i < baseline.length; i++) {
    if (baseline[i] && !candidate[i]) baselineOnly++;
    else if (!baseline[i] && candidate[i]) candidateOnly++;
  }
  return { baselineOnly, candidateOnly };
}

/**
 * The exact (conditional) McNemar test of two versions graded on the same queries: only the
 * discordant pairs count, and under "no difference" the candidate wins each of them with
 * probability 1/2. The one-sided p-value is the chance of the candidate winning at least as many
 * as it did, P(X ≥ candidateOnly) for X ~ Binomial(discordant, 1/2); the two-sided one doubles
 * the smaller tail (capped at 1). Its level holds query by query, whatever each query's own
 * chances, but with few discordant pairs it is conservative: see {@link unconditionalMcNemar}.
 *
 * @param baseline - pass or fail of the baseline, per query
 * @param candidate - pass or fail of the candidate on the same queries, in the same order
 * @throws RangeError when the two arrays differ in length
 * @example
 * ```ts
 * // 6 queries only the candidate passed, none only the baseline: p = 1/2^6.
 * exactMcNemar([false, false, false, false, false, false, true], [true, true, true, true, true, true, true]).pValue; // 0.015625
 * ```
 */
export function exactMcNemar(baseline: readonly boolean[], candidate: readonly boolean[], options: ExactMcNemarOptions = {}): McNemarResult {
  const { baselineOnly, candidateOnly } = discordantPairs(baseline, candidate);
  const n = baselineOnly + candidateOnly;
  const pValue = options.twoSided
    ? Math.min(1, 2 * Math.min(halfBinomialUpperTail(n, candidateOnly), halfBinomialUpperTail(n, baselineOnly)))
    : halfBinomialUpperTail(n, candidateOnly);
  return { baselineOnly, candidateOnly, pValue };
}
