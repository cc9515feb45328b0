import { discordantPairs } from "./exact-mcnemar";
import { seededRandom } from "./seeded-random";

/** Options of {@link pairedBootstrapInterval}. */
export interface PairedBootstrapOptions {
  /** Resamples. Default 2000. */
  rounds?: number;
  /** Coverage of the two-sided interval, 0 to 1. Default 0.95. */
  level?: number;
  /** Seed of the resampling, so the same outcomes always give the same interval. Default 1. */
  seed?: number;
}

/** A paired bootstrap interval of the pass-rate difference (candidate − baseline). */
export interface PairedBootstrapInterval {
  /** The observed difference in pass rate, candidate − baseline. */
  effect: number;
  /** Lower end of the percentile interval. */
  low: number;
  /** Upper end of the percentile interval. */
  high: number;
  level: number;
  rounds: number;
  /** Share of the resamples in which the candidate was not better (difference ≤ 0): a one-sided bootstrap p-value. */
  notBetter: number;
}

/** The q-quantile of sorted values, interpolated linearly between ranks. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/**
 * A percentile bootstrap interval of the difference in pass rate between two versions graded on
 * the same queries: the queries are resampled with replacement, as pairs, `rounds` times with a
 * seeded generator, so the result is reproducible. Approximate: with few queries or few
 * discordant pairs it is too narrow (the exact tests, {@link exactMcNemar} and
 * {@link unconditionalMcNemar}, keep their level there).
 *
 * @param baseline - pass or fail of the baseline, per query
 * @param candidate - pass or fail of the candidate on the same queries, in the same order
 * @throws RangeError when the two arrays differ in length, or `rounds`/`level` are out of range
 */
export function pairedBootstrapInterval(
  baseline: readonly boolean[],
  candidate: readonly boolean[],
  options: PairedBootstrapOptions = {},
): PairedBootstrapInterval {
  const { rounds = 2000, level = 0.95, seed = 1 } = options;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a whole number of at least 1, not ${rounds}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie between 0 and 1, not ${level}`);
  const { baselineOnly, candidateOnly } = discordantPairs(baseline, candidate);
  const n = baseline.length;
  if (n === 0) return { effect: 0, low: 0, high: 0, level, rounds, notBetter: 1 };
  // Only the discordant pairs move the difference: a resampled pair is baseline-only with
  // chance baselineOnly/n, candidate-only with chance candidateOnly/n.
  const toBaseline = baselineOnly / n;
  const toEither = (baselineOnly + candidateOnly) / n;
  const random = seededRandom(seed);
  const differences = new Float64Array(rounds);
  let notBetter = 0;
  for (let round = 0; round < rounds; round++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      if (u < toBaseline) sum--;
      else if (u < toEither) sum++;
    }
    differences[round] = sum / n;
    if (sum <= 0) notBetter++;
  }
  differences.sort();
  const tail = (1 - level) / 2;
  return {
    effect: (candidateOnly - baselineOnly) / n,
    low: quantile(differences, tail),
    high: quantile(differences, 1 - tail),
    level,
    rounds,
    notBetter: notBetter / rounds,
  };
}
