import type { BenchResult } from "../bench-result";
import type { ConfigSummary, GateAgreement, PassRate } from "../bench-summary";
import { passRate } from "./pass-rate";

/** What {@link summarizeResults} needs to know of each configuration. */
export interface SummaryConfiguration {
  name: string;
  kind: "graph" | "baseline";
  model: string;
}

/** The value at quantile `q` (nearest rank) of ascending numbers; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function rateOf(results: readonly BenchResult[]): PassRate {
  const scored = results.filter((r) => r.pass !== null);
  return passRate(scored.filter((r) => r.pass === true).length, scored.length);
}

function groupBy(results: readonly BenchResult[], key: (r: BenchResult) => string | undefined): Map<string, BenchResult[]> {
  const groups = new Map<string, BenchResult[]>();
  for (const result of results) {
    const name = key(result);
    if (name === undefined) continue;
    const group = groups.get(name);
    if (group) group.push(result);
    else groups.set(name, [result]);
  }
  return groups;
}

function meanScore(results: readonly BenchResult[]): number | null {
  const scores = results.map((r) => r.score).filter((s): s is number => s !== null);
  return scores.length === 0 ? null : round(scores.reduce((a, b) => a + b, 0) / scores.length, 3);
}

/** The gate's verdicts against the benchmark's, over results that have both. */
export function gateAgreement(results: readonly BenchResult[]): GateAgreement | undefined {
  const gated = results.filter((r) => r.gate !== undefined && r.pass !== null);
  if (gated.length === 0) return undefined;
  const counts = { truePass: 0, falsePass: 0, falseFail: 0, trueFail: 0, undecided: 0 };
  for (const result of gated) {
    const gate = result.gate!.pass;
    if (gate === null) counts.undecided++;
    else if (gate && result.pass) counts.truePass++;
    else if (gate) counts.falsePass++;
    else if (result.pass) counts.falseFail++;
    else counts.trueFail++;
  }
  const passedByGate = counts.truePass + counts.falsePass;
  const right = counts.truePass + counts.falseFail;
  return {
    ...counts,
    precision: passedByGate === 0 ? null : round(counts.truePass / passedByGate, 4),
    recall: right === 0 ? null : round(counts.truePass / right, 4),
  };
}

/**
 * Each configuration's figures: accuracy with its Wilson 95% interval, mean score, mean and p95
 * latency, tokens, cost, errors, pass rates by route, tier and category, what the gate's
 * retries and escalations bought, and the gate against the benchmark.
 */
export function summarizeResults(results: readonly BenchResult[], configurations: readonly SummaryConfiguration[]): ConfigSummary[] {
  return configurations.map((configuration) => {
    const own = results.filter((r) => r.config === configuration.name);
    const latencies = own.map((r) => r.latencyMs).sort((a, b) => a - b);
    const byRoute = Object.fromEntries([...groupBy(own, (r) => r.route)].map(([name, group]) => [name, rateOf(group)]));
    const byTier = Object.fromEntries([...groupBy(own, (r) => r.tier)].map(([name, group]) => [name, rateOf(group)]));
    const byCategory = Object.fromEntries(
      [...groupBy(own, (r) => r.category)].map(([name, group]) => [name, { items: group.length, meanScore: meanScore(group), accuracy: rateOf(group) }]),
    );
    const summary: ConfigSummary = {
      config: configuration.name,
      kind: configuration.kind,
      model: configuration.model,
      items: own.length,
      accuracy: rateOf(own),
      meanScore: meanScore(own),
      meanLatencyMs: round(latencies.length === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / latencies.length),
      p95LatencyMs: round(quantile(latencies, 0.95)),
      tokensIn: own.reduce((sum, r) => sum + r.tokensIn, 0),
      tokensOut: own.reduce((sum, r) => sum + r.tokensOut, 0),
      cost: round(
        own.reduce((sum, r) => sum + r.cost, 0),
        4,
      ),
      errors: own.filter((r) => r.error !== undefined).length,
      byRoute,
      byTier,
      byCategory,
      latenciesMs: latencies.map((l) => round(l)),
    };
    if (configuration.kind === "graph") {
      const retried = own.filter((r) => r.retries > 0 && r.escalations === 0);
      const escalated = own.filter((r) => r.escalations > 0);
      const firstTry = own.filter((r) => r.retries === 0 && r.escalations === 0);
      summary.secondChances = {
        retried: retried.length,
        retriedPassed: retried.filter((r) => r.pass === true).length,
        escalated: escalated.length,
        escalatedPassed: escalated.filter((r) => r.pass === true).length,
        firstTry: firstTry.length,
        firstTryPassed: firstTry.filter((r) => r.pass === true).length,
      };
      const gate = gateAgreement(own);
      if (gate) summary.gate = gate;
    }
    return summary;
  });
}
