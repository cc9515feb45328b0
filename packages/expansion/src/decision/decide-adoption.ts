import { exactMcNemar } from "./exact-mcnemar";
import { wilsonInterval } from "./wilson-interval";

/** Options of {@link decideAdoption}. */
export interface DecideAdoptionOptions {
  /** Pass (true) or fail per held-out query, baseline version. */
  baseline: readonly boolean[];
  /** Pass or fail on the same queries, in the same order, candidate version. */
  candidate: readonly boolean[];
  /** Significance level of the one-sided exact McNemar test. Default 0.05. */
  alpha?: number;
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
  /** One-sided exact McNemar p-value that the candidate is better. */
  pValue: number;
  /** Candidate pass rate minus baseline pass rate. */
  effect: number;
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
 * queries by a one-sided exact McNemar test at `alpha`, by at least `minEffect` pass-rate points,
 * and its latency and tokens may rise only within their budgets. Every rule is reported.
 */
export function decideAdoption(options: DecideAdoptionOptions): AdoptionDecision {
  const alpha = options.alpha ?? 0.05;
  const minEffect = options.minEffect ?? 0.1;
  const n = options.baseline.length;
  const passes = (values: readonly boolean[]) => values.filter(Boolean).length;
  const rate = (values: readonly boolean[]): PassRate => {
    const k = passes(values);
    return { passRate: n === 0 ? 0 : k / n, n, interval: wilsonInterval(k, n) };
  };
  const baseline = rate(options.baseline);
  const candidate = rate(options.candidate);
  const test = exactMcNemar(options.baseline, options.candidate);
  const effect = candidate.passRate - baseline.passRate;
  const reasons: string[] = [];
  let adopt = n > 0;
  if (n === 0) reasons.push("no query was graded under both versions, so nothing can be decided");
  const significant = test.pValue < alpha;
  reasons.push(
    `${significant ? "significant" : "not significant"}: p = ${test.pValue.toPrecision(3)} ${significant ? "<" : "≥"} α = ${alpha} (${test.candidateOnly} queries only the candidate passed, ${test.baselineOnly} only the baseline)`,
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
    pValue: test.pValue,
    effect,
    baseline,
    candidate,
    discordant: { baselineOnly: test.baselineOnly, candidateOnly: test.candidateOnly },
    alpha,
    minEffect,
    reasons,
  };
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
