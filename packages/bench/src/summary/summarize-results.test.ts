import { describe, expect, it } from "vitest";
import type { BenchResult } from "../bench-result";
import { passRate } from "./pass-rate";
import { gateAgreement, quantile, summarizeResults } from "./summarize-results";

function result(overrides: Partial<BenchResult>): BenchResult {
  return {
    config: "graph",
    suite: "gsm8k",
    item: "i",
    answer: "",
    pass: true,
    score: 1,
    scoredBy: "final-number",
    latencyMs: 10,
    tokensIn: 1,
    tokensOut: 1,
    cost: 0.01,
    retries: 0,
    escalations: 0,
    ...overrides,
  };
}

describe("summaries", () => {
  it("gives the Wilson 95% interval", () => {
    const rate = passRate(8, 10);
    expect(rate.rate).toBe(0.8);
    expect(rate.low).toBeCloseTo(0.4902, 3);
    expect(rate.high).toBeCloseTo(0.9433, 3);
    expect(passRate(0, 0)).toEqual({ passed: 0, scored: 0, rate: 0, low: 0, high: 1 });
    expect(passRate(0, 5).low).toBe(0);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  });

  it("counts the gate against the benchmark: precision and recall of its verdicts", () => {
    const results = [
      result({ pass: true, gate: { pass: true, decidedBy: "x" } }),
      result({ pass: false, gate: { pass: true, decidedBy: "x" } }),
      result({ pass: true, gate: { pass: false, decidedBy: "x" } }),
      result({ pass: false, gate: { pass: false, decidedBy: "x" } }),
      result({ pass: false, gate: { pass: null, decidedBy: null } }),
      result({ pass: null, gate: { pass: true, decidedBy: "x" } }),
    ];
    expect(gateAgreement(results)).toEqual({ truePass: 1, falsePass: 1, falseFail: 1, trueFail: 1, undecided: 1, precision: 0.5, recall: 0.5 });
    expect(gateAgreement([result({})])).toBeUndefined();
  });

  it("summarises each configuration: accuracy, latency, tokens, cost, routes, tiers, categories and second chances", () => {
    const results = [
      result({ item: "a", route: "math", tier: "T1", latencyMs: 10 }),
      result({ item: "b", route: "math", tier: "T2", latencyMs: 30, escalations: 1 }),
      result({ item: "c", route: "code", tier: "T1", latencyMs: 20, retries: 1, pass: false, score: 0 }),
      result({ item: "d", route: "code", tier: "T1", latencyMs: 40, pass: null, score: null, error: { code: "X", message: "y" } }),
      result({ config: "T1", item: "a", tier: "T1", latencyMs: 5, pass: false, score: 0, cost: 0.5 }),
    ];
    const [graph, baseline] = summarizeResults(results, [
      { name: "graph", kind: "graph", model: "multi_domain" },
      { name: "T1", kind: "baseline", model: "m" },
    ]);
    expect(graph).toMatchObject({ items: 4, meanLatencyMs: 25, p95LatencyMs: 40, errors: 1, tokensIn: 4, latenciesMs: [10, 20, 30, 40] });
    expect(graph!.accuracy).toMatchObject({ passed: 2, scored: 3 });
    expect(graph!.byRoute["math"]).toMatchObject({ passed: 2, scored: 2 });
    expect(graph!.byRoute["code"]).toMatchObject({ passed: 0, scored: 1 });
    expect(graph!.byTier["T2"]).toMatchObject({ passed: 1, scored: 1 });
    expect(graph!.secondChances).toEqual({ retried: 1, retriedPassed: 0, escalated: 1, escalatedPassed: 1, firstTry: 2, firstTryPassed: 1 });
    expect(baseline).toMatchObject({ items: 1, cost: 0.5, meanScore: 0 });
    expect(baseline!.secondChances).toBeUndefined();
  });
});
