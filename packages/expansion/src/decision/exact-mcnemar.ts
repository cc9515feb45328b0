/** The outcome of {@link exactMcNemar}. */
export interface McNemarResult {
  /** Queries the baseline passed and the candidate failed. */
  baselineOnly: number;
  /** Queries the candidate passed and the baseline failed. */
  candidateOnly: number;
  /** The p-value: one-sided (the candidate is better) unless `twoSided`. */
  pValue: number;
}

/** log(n choose k), exact enough for the tails below. */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/** P(X ≥ k) for X ~ Binomial(n, 1/2). */
function upperTail(n: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let total = 0;
  for (let i = k; i <= n; i++) total += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, total);
}

/**
 * The exact McNemar test of two versions graded on the same queries: only the discordant pairs
 * count, and under "no difference" the candidate wins each of them with probability 1/2. The
 * one-sided p-value is the chance of the candidate winning at least as many as it did; the
 * two-sided one doubles the smaller tail (capped at 1).
 *
 * @param baseline - pass or fail of the baseline, per query
 * @param candidate - pass or fail of the candidate on the same queries, in the same order
 */
export function exactMcNemar(baseline: readonly boolean[], candidate: readonly boolean[], options: { twoSided?: boolean } = {}): McNemarResult {
  if (baseline.length !== candidate.length) throw new RangeError(`paired outcomes differ in length: ${baseline.length} and ${candidate.length}`);
  let baselineOnly = 0;
  let candidateOnly = 0;
  for (let i = 0; i < baseline.length; i++) {
    if (baseline[i] && !candidate[i]) baselineOnly++;
    else if (!baseline[i] && candidate[i]) candidateOnly++;
  }
  const n = baselineOnly + candidateOnly;
  const pValue = options.twoSided ? Math.min(1, 2 * Math.min(upperTail(n, candidateOnly), upperTail(n, baselineOnly))) : upperTail(n, candidateOnly);
  return { baselineOnly, candidateOnly, pValue };
}
