import { exactMcNemar, type McNemarResult } from "./exact-mcnemar";
import { pairedBootstrapInterval, type PairedBootstrapOptions } from "./paired-bootstrap";
import { unconditionalMcNemar } from "./unconditional-mcnemar";
import { wilsonInterval } from "./wilson-interval";

/**
 * The paired test behind {@link decideAdoption}, each one-sided ("the candidate is better"):
 * - `exact-unconditional`: {@link unconditionalMcNemar}, the default: its level holds and, on a
 *   few dozen queries, it has more power than the conditional test;
 * - `exact-conditional`: {@link exactMcNemar}, the binomial test on the discordant pairs: its
 *   level holds query by query, at some cost in power;
 * - `bootstrap`: {@link pairedBootstrapInterval}, adopting when fewer than `alpha` of the
 *   resampled differences are at or below 0: approximate, too eager on few queries.
 */
export type PairedTest = "exact-unconditional" | "exact-conditional" | "bootstrap";

const testNames: Record<PairedTest, string> = {
  "exact-unconditional": "the one-sided exact unconditional McNemar test",
  "exact-conditional": "the one-sided exact conditional McNemar test",
  bootstrap: "the paired bootstrap",
};

/** Options of {@link decideAdoption}. */
export interface DecideAdoptionOptions {
  /** Pass (true) or fail per held-out query, baseline version. */
  baseline: readonly boolean[];
  /** Pass or fail on the same queries, in the same order, candidate version. */
  candidate: readonly boolean[];
  /** Significance level of the one-sided paired test. Default 0.05. */
  alpha?: number;
  /** The paired test. Default `exact-unconditional`. */
  test?: PairedTest;
  /** Resamples and seed of the `bootstrap` test (its interval's level is 1 − 2·alpha). */
  bootstrap?: Pick<PairedBootstrapOptions, "rounds" | "seed">;
  /** Smallest rise in pass rate worth a change, in pass-rate points from 0 to 1. Default 0.1. */
  minEffect?: number;
  /** Mean latency per query of each version, in ms (checked against `maxLatencyRise`). */
  latencyMs?: { baseline: number; candidate: number };
  /** Mean tokens per query of each version (checked against `maxTokensRise`). */
  tokens?: { baseline: number; candidate: number };
  /** Largest relative rise in mean latency accepted, e.g. 0.5 for +50%. Default 1 (+100%). */
  maxLatencyRise?: number;
  /** Largest relative rise in mean tokens accepted. Default 1 (+100%). */
  maxTokensRise?: number;
}

/** A version's pass rate on the paired queries. */
export interface PassRate {
  passRate: number;
  n: number;
  /** Wilson 95% interval. */
  interval: { low: number; high: number };
}

/** What {@link decideAdoption} decided, and why. */
export interface AdoptionDecision {
  adopt: boolean;
  /** The paired test that gave `pValue`. */
  test: PairedTest;
  /** One-sided p-value of the paired test against "the candidate is no better". */
  pValue: number;
  /** Candidate pass rate minus baseline pass rate. */
  effect: number;
  /** With the `bootstrap` test: its (1 − 2·alpha) percentile interval of `effect`. */
  effectInterval?: { low: number; high: number; level: number };
  baseline: PassRate;
  candidate: PassRate;
  /** Queries only the baseline passed, and only the candidate passed. */
  discordant: { baselineOnly: number; candidateOnly: number };
  alpha: number;
  minEffect: number;
  /** Each rule, met or not, in words. */
  reasons: string[];
}

const relativeRise = (before: number, after: number) => (before <= 0 ? (after <= 0 ? 0 : Infinity) : (after - before) / before);

/**
 * Decides whether a candidate version replaces the baseline: it must be better on the same
 * queries by a one-sided paired test at `alpha` (by default the exact unconditional McNemar
 * test), by at least `minEffect` pass-rate points, and its latency and tokens may rise only within
 * their budgets. Every rule is reported in `reasons`, met or not.
 *
 * @throws RangeError when `baseline` and `candidate` differ in length, `alpha` is not between 0
 * and 1, or `test` is not a {@link PairedTest}
 * @example
 * ```ts
 * const decision = decideAdoption({ baseline: Array(6).fill(false), candidate: Array(6).fill(true) });
 * decision.adopt; // true: p = 1/64 < 0.05, +100 points
 * ```
 */
export function decideAdoption(options: DecideAdoptionOptions): AdoptionDecision {
  const alpha = options.alpha ?? 0.05;
  const minEffect = options.minEffect ?? 0.1;
  const testName = options.test ?? "exact-unconditional";
  if (!Object.hasOwn(testNames, testName)) throw new RangeError(`unknown paired test '${String(testName)}': use ${Object.keys(testNames).join(", ")}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie between 0 and 1, not ${alpha}`);
  if (options.baseline.length !== options.candidate.length)
    throw new RangeError(`paired outcomes differ in length: ${options.baseline.length} and ${options.candidate.length}`);
  const n = options.baseline.length;
  const passes = (values: readonly boolean[]) => values.filter(Boolean).length;
  const rate = (values: readonly boolean[]): PassRate => {
    const k = passes(values);
    return { passRate: n === 0 ? 0 : k / n, n, interval: wilsonInterval(k, n) };
  };
  const baseline = rate(options.baseline);
  const candidate = rate(options.candidate);
  let test: McNemarResult;
  let effectInterval: AdoptionDecision["effectInterval"];
  if (testName === "bootstrap") {
    const counts = exactMcNemar(options.baseline, options.candidate);
    const interval = pairedBootstrapInterval(options.baseline, options.candidate, {
      ...options.bootstrap,
      level: Math.max(1e-9, Math.min(1 - 1e-9, 1 - 2 * alpha)),
    });
    test = { ...counts, pValue: interval.notBetter };
    effectInterval = { low: interval.low, high: interval.high, level: interval.level };
  } else
    test = testName === "exact-conditional" ? exactMcNemar(options.baseline, options.candidate) : unconditionalMcNemar(options.baseline, options.candidate);
  const effect = candidate.passRate - baseline.passRate;
  const reasons: string[] = [];
  let adopt = n > 0;
  if (n === 0) reasons.push("no query was graded under both versions, so nothing can be decided");
  const significant = test.pValue < alpha;
  reasons.push(
    `${significant ? "significant" : "not significant"}: p = ${test.pValue.toPrecision(3)} ${significant ? "<" : "≥"} α = ${alpha} by ${testNames[testName]} (${test.candidateOnly} queries only the candidate passed, ${test.baselineOnly} only the baseline)`,
  );
  adopt &&= significant;
  const large = effect >= minEffect;
  reasons.push(
    `${large ? "large enough" : "too small"}: pass rate ${pct(baseline.passRate)} → ${pct(candidate.passRate)} (${effect >= 0 ? "+" : ""}${(effect * 100).toFixed(1)} points; at least ${(minEffect * 100).toFixed(1)} needed)`,
  );
  adopt &&= large;
  const budget = (name: string, values: { baseline: number; candidate: number } | undefined, limit: number) => {
    if (!values) return true;
    const rise = relativeRise(values.baseline, values.candidate);
    const ok = rise <= limit;
    reasons.push(
      `${name} ${ok ? "within budget" : "over budget"}: ${values.baseline.toFixed(1)} → ${values.candidate.toFixed(1)} (${Number.isFinite(rise) ? `${rise >= 0 ? "+" : ""}${(rise * 100).toFixed(0)}%` : "from 0"}; at most +${(limit * 100).toFixed(0)}%)`,
    );
    return ok;
  };
  adopt = budget("latency ms", options.latencyMs, options.maxLatencyRise ?? 1) && adopt;
  adopt = budget("tokens", options.tokens, options.maxTokensRise ?? 1) && adopt;
  return {
    adopt,
    test: testName,
    pValue: test.pValue,
    effect,
    ...(effectInterval ? { effectInterval } : {}),
    baseline,
    candidate,
    discordant: { baselineOnly: test.baselineOnly, candidateOnly: test.candidateOnly },
    alpha,
    minEffect,
    reasons,
  };
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
