import { halfBinomialUpperTail, logChoose } from "./binomial";
import { discordantPairs, type McNemarResult } from "./exact-mcnemar";

/** Options of {@link unconditionalMcNemar}. */
export interface UnconditionalMcNemarOptions {
  /** Test for a difference either way instead of "the candidate is better". Default false. */
  twoSided?: boolean;
  /**
   * Points of the grid over the nuisance parameter (the chance that a query is discordant) on
   * which the supremum is sought before the best point is refined. Default 200.
   */
  gridPoints?: number;
}

/** The outcome of {@link unconditionalMcNemar}. */
export interface UnconditionalMcNemarResult extends McNemarResult {
  /** The chance of a discordant query at which "no difference" is least favourable (where the p-value is reached). */
  discordance: number;
}

/**
 * Whether the statistic (s / √D, with s = candidateOnly − baselineOnly and D their sum; 0 when
 * D = 0) of (s, d) is at least that of (s0, d0), compared in integers so that ties are exact.
 */
function atLeast(s: number, d: number, s0: number, d0: number): boolean {
  if (s0 > 0) return s > 0 && s * s * d0 >= s0 * s0 * d;
  if (s0 === 0) return s >= 0;
  return s >= 0 || s * s * d0 <= s0 * s0 * d;
}

/**
 * The exact unconditional McNemar test (Suissa and Shuster, 1991) of two versions graded on the
 * same queries. Its statistic is McNemar's z, (candidateOnly − baselineOnly) / √(discordant).
 * Under "no difference" each query is discordant with some unknown chance δ and then goes
 * either way with probability 1/2; the p-value is the chance of a statistic at least as large,
 * maximised over δ, so the level holds whatever δ is. It does not condition on the number of
 * discordant pairs, which is what makes the conditional test ({@link exactMcNemar}) conservative
 * with few of them: on 40 queries it has visibly more power at the same level. It assumes the
 * queries are a sample of one population (pairs independent and alike), as held-out queries
 * drawn from a node's traffic are.
 *
 * The supremum is taken on a grid of δ (`gridPoints`) and refined around the best point by
 * golden-section search. Time O(n·√n + n·gridPoints) for n queries.
 *
 * @param baseline - pass or fail of the baseline, per query
 * @param candidate - pass or fail of the candidate on the same queries, in the same order
 * @throws RangeError when the two arrays differ in length
 * @example
 * ```ts
 * // 3 queries: 2 only the candidate passed, 1 passed by both. P(z ≥ √2) is largest at δ = 0.8:
 * // 3·0.8²·0.2/4 + 0.8³/8 = 0.16 (the conditional test gives 0.25).
 * unconditionalMcNemar([false, false, true], [true, true, true]).pValue; // 0.16
 * ```
 */
export function unconditionalMcNemar(
  baseline: readonly boolean[],
  candidate: readonly boolean[],
  options: UnconditionalMcNemarOptions = {},
): UnconditionalMcNemarResult {
  const { baselineOnly, candidateOnly } = discordantPairs(baseline, candidate);
  const n = baseline.length;
  const gridPoints = Math.max(2, Math.floor(options.gridPoints ?? 200));
  const d0 = baselineOnly + candidateOnly;
  const s0 = options.twoSided ? Math.abs(candidateOnly - baselineOnly) : candidateOnly - baselineOnly;
  // g[d]: the chance, given d discordant queries, of a statistic at least the observed one (for
  // the two-sided test, of |statistic| at least |observed|: both tails, which are symmetric).
  const g = new Float64Array(n + 1);
  for (let d = 0; d <= n; d++) {
    // The fewest candidate wins w (of d) with statistic ≥ observed; the statistic grows with w.
    let low = 0;
    let high = d + 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (atLeast(2 * mid - d, d, s0, d0)) high = mid;
      else low = mid + 1;
    }
    const tail = halfBinomialUpperTail(d, low);
    g[d] = !options.twoSided ? tail : s0 === 0 ? 1 : Math.min(1, 2 * tail);
  }
  const logChooses = Float64Array.from({ length: n + 1 }, (_, d) => logChoose(n, d));
  /** The chance of the rejection region when each query is discordant with chance δ. */
  const chance = (delta: number): number => {
    if (delta <= 0) return g[0]!;
    if (delta >= 1) return g[n]!;
    const logDelta = Math.log(delta);
    const logRest = Math.log1p(-delta);
    let sum = 0;
    for (let d = 0; d <= n; d++) if (g[d]! > 0) sum += Math.exp(logChooses[d]! + d * logDelta + (n - d) * logRest) * g[d]!;
    return sum;
  };
  let best = 0;
  let bestValue = chance(0);
  for (let i = 1; i <= gridPoints; i++) {
    const delta = i / gridPoints;
    const value = chance(delta);
    if (value > bestValue) {
      bestValue = value;
      best = delta;
    }
  }
  // Golden-section search on the grid cells either side of the best point.
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.max(0, best - 1 / gridPoints);
  let b = Math.min(1, best + 1 / gridPoints);
  let c = b - ratio * (b - a);
  let e = a + ratio * (b - a);
  let fc = chance(c);
  let fe = chance(e);
  for (let i = 0; i < 40 && b - a > 1e-9; i++) {
    if (fc >= fe) {
      b = e;
      e = c;
      fe = fc;
      c = b - ratio * (b - a);
      fc = chance(c);
    } else {
      a = c;
      c = e;
      fc = fe;
      e = a + ratio * (b - a);
      fe = chance(e);
    }
    for (const [delta, value] of [
      [c, fc],
      [e, fe],
    ] as const)
      if (value > bestValue) {
        bestValue = value;
        best = delta;
      }
  }
  return { baselineOnly, candidateOnly, pValue: Math.min(1, bestValue), discordance: best };
}
