/**
 * Test data for the report: results of a graph and two baselines over 40 GSM8K items (or 16
 * MT-Bench ones), and their summary computed from them. Not exported from the package.
 */
import type { BenchResult } from "../bench-result";
import type { BenchSummary, ConfigSummary, GateAgreement, PassRate } from "../bench-summary";
import type { SuiteName } from "../suites/suite-name";

/** The answer with markup and table pipes in it: a graph answer the gate passed and the benchmark failed. */
export const nastyAnswer = "The total is <script>alert(1)</script> | 42 | apples\nso the answer is 41";

function wilson(passed: number, scored: number): PassRate {
  if (scored === 0) return { passed, scored, rate: 0, low: 0, high: 0 };
  const z = 1.96;
  const p = passed / scored;
  const denominator = 1 + (z * z) / scored;
  const centre = (p + (z * z) / (2 * scored)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / scored + (z * z) / (4 * scored * scored))) / denominator;
  return { passed, scored, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

function rateBy(results: readonly BenchResult[], key: (r: BenchResult) => string | undefined): Record<string, PassRate> {
  const groups: Record<string, BenchResult[]> = {};
  for (const r of results) {
    const k = key(r);
    if (k !== undefined) (groups[k] ??= []).push(r);
  }
  return Object.fromEntries(Object.entries(groups).map(([k, rs]) => [k, wilson(rs.filter((r) => r.pass).length, rs.filter((r) => r.pass !== null).length)]));
}

function gateAgreement(results: readonly BenchResult[]): GateAgreement {
  const count = (gate: boolean | null, pass: boolean) => results.filter((r) => r.gate?.pass === gate && r.pass === pass).length;
  const [truePass, falsePass, falseFail, trueFail] = [count(true, true), count(true, false), count(false, true), count(false, false)];
  return {
    truePass,
    falsePass,
    falseFail,
    trueFail,
    undecided: results.filter((r) => r.gate?.pass === null).length,
    precision: truePass + falsePass ? truePass / (truePass + falsePass) : null,
    recall: truePass + falseFail ? truePass / (truePass + falseFail) : null,
  };
}

/** A configuration's summary computed from its results, as the harness would. */
export function summarizeConfig(config: string, kind: "graph" | "baseline", model: string, results: readonly BenchResult[]): ConfigSummary {
  const scored = results.filter((r) => r.pass !== null);
  const scores = results.flatMap((r) => (r.score === null ? [] : [r.score]));
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const sum = (f: (r: BenchResult) => number) => results.reduce((total, r) => total + f(r), 0);
  const categories = rateBy(results, (r) => r.category);
  const summary: ConfigSummary = {
    config,
    kind,
    model,
    items: results.length,
    accuracy: wilson(scored.filter((r) => r.pass).length, scored.length),
    meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
    meanLatencyMs: sum((r) => r.latencyMs) / results.length,
    p95LatencyMs: latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)]!,
    tokensIn: sum((r) => r.tokensIn),
    tokensOut: sum((r) => r.tokensOut),
    cost: sum((r) => r.cost),
    errors: results.filter((r) => r.error).length,
    byRoute: rateBy(results, (r) => r.route),
    byTier: rateBy(results, (r) => r.tier),
    byCategory: Object.fromEntries(
      Object.entries(categories).map(([category, accuracy]) => {
        const own = results.filter((r) => r.category === category && r.score !== null);
        return [
          category,
          {
            items: results.filter((r) => r.category === category).length,
            meanScore: own.length ? own.reduce((a, r) => a + r.score!, 0) / own.length : null,
            accuracy,
          },
        ];
      }),
    ),
    latenciesMs: latencies,
  };
  if (kind === "graph") {
    const retried = results.filter((r) => r.retries > 0 && r.escalations === 0);
    const escalated = results.filter((r) => r.escalations > 0);
    const first = results.filter((r) => r.retries === 0 && r.escalations === 0);
    const passed = (rs: BenchResult[]) => rs.filter((r) => r.pass).length;
    summary.secondChances = {
      firstTry: first.length,
      firstTryPassed: passed(first),
      retried: retried.length,
      retriedPassed: passed(retried),
      escalated: escalated.length,
      escalatedPassed: passed(escalated),
    };
    if (results.some((r) => r.gate)) summary.gate = gateAgreement(results);
  }
  return summary;
}

interface ConfigPlan {
  config: string;
  kind: "graph" | "baseline";
  model: string;
  passed: number;
  meanLatencyMs: number;
  cost: number;
  tier?: string;
  errorItems?: number[];
}

/** 40 GSM8K items: the graph (62.5%, 2.1 s, cost 6.0), T1 alone (40%, 0.9 s, cost 0.8), T2 alone (57.5%, 3.4 s, cost 5.2). */
export const gsm8kPlans: ConfigPlan[] = [
  { config: "graph", kind: "graph", model: "math_router", passed: 25, meanLatencyMs: 2100, cost: 6.0 },
  { config: "T1", kind: "baseline", model: "qwen2.5:1.5b", passed: 16, meanLatencyMs: 900, cost: 0.8, tier: "T1", errorItems: [39] },
  { config: "T2", kind: "baseline", model: "qwen2.5:7b", passed: 23, meanLatencyMs: 3400, cost: 5.2, tier: "T2" },
];

const itemCount = 40;

function gsm8kResults(plan: ConfigPlan): BenchResult[] {
  return Array.from({ length: itemCount }, (_, i): BenchResult => {
    const failed = plan.errorItems?.includes(i) ?? false;
    // i*7 mod 40 visits every item once: exactly `passed` items pass.
    const pass = failed ? null : (i * 7) % itemCount < plan.passed;
    const isGraph = plan.kind === "graph";
    const escalations = isGraph && i % 10 === 9 ? 1 : 0;
    const retries = isGraph && i % 10 === 8 ? 1 : 0;
    const result: BenchResult = {
      config: plan.config,
      suite: "gsm8k",
      item: `gsm8k/${i}`,
      answer: failed ? "" : `Step 1: add the apples.\nStep 2: multiply by ${i}.\n#### ${pass ? 42 + i : 7}`,
      pass,
      score: pass === null ? null : pass ? 1 : 0,
      scoredBy: failed ? "error" : "final-number",
      // Mean over the items is exactly meanLatencyMs: the factors 0.5 … 1.5 average 1.
      latencyMs: Math.round(plan.meanLatencyMs * (0.5 + (i % 10) / 9)),
      tokensIn: 180 + i,
      tokensOut: 90 + 3 * i,
      cost: plan.cost / itemCount,
      retries,
      escalations,
      model: plan.model,
    };
    if (plan.tier) result.tier = plan.tier;
    if (failed) result.error = { code: "model_timeout", message: "no answer within 60 s" };
    if (isGraph) {
      result.route = i % 10 < 7 ? "math" : "general";
      result.tier = escalations || i % 3 === 0 ? "T2" : "T1";
      result.model = result.tier === "T2" ? "qwen2.5:7b" : "qwen2.5:1.5b";
      // The gate mostly agrees; it passes some wrong answers, fails some right ones, and cannot decide on two.
      const gatePass = i === 30 || i === 31 ? null : [1, 2, 4, 6].includes(i) ? !pass : pass;
      result.gate = { pass: gatePass, decidedBy: gatePass === null ? null : i % 2 ? "judge" : "rules" };
    }
    return result;
  });
}

const environment = (models: Record<string, string>): BenchSummary["environment"] => ({
  date: "2025-12-05T18:40:00.000Z",
  commit: "97e93b6c0ffee1234567890abcdef1234567890a",
  provider: "ollama",
  models,
  machine: { cpu: "AMD EPYC 7B13", cores: 2, memoryGB: 7.8, os: "Linux 6.1.0 x64", node: "v20.20.2" },
  seed: 1234,
});

/** The GSM8K run: a graph with routes, tiers, a gate and second chances, and two baselines. */
export function gsm8kFixture(): { summary: BenchSummary; results: BenchResult[] } {
  const results = gsm8kPlans.flatMap(gsm8kResults);
  // The graph's item 4: the gate passed it, the benchmark failed it, and its answer has markup and pipes.
  const nasty = results.find((r) => r.config === "graph" && r.item === "gsm8k/4")!;
  nasty.answer = nastyAnswer;
  const summary: BenchSummary = {
    version: 1,
    suite: "gsm8k",
    items: itemCount,
    data: "/work/data/gsm8k",
    graph: "graphs/math-router.yaml",
    configs: gsm8kPlans.map((plan) =>
      summarizeConfig(
        plan.config,
        plan.kind,
        plan.model,
        results.filter((r) => r.config === plan.config),
      ),
    ),
    costWeights: { T1: 0.5, T2: 3 },
    environment: environment({ graph: "qwen2.5:1.5b (T1), qwen2.5:7b (T2)", T1: "qwen2.5:1.5b", T2: "qwen2.5:7b" }),
  };
  return { summary, results };
}

/** The GSM8K run's baselines only: no graph, so no routes, no gate and no second chances. */
export function baselinesOnlyFixture(): { summary: BenchSummary; results: BenchResult[] } {
  const { summary, results } = gsm8kFixture();
  const models = { ...summary.environment.models };
  delete models.graph;
  return {
    summary: { ...summary, graph: "", configs: summary.configs.filter((c) => c.kind === "baseline"), environment: { ...summary.environment, models } },
    results: results.filter((r) => r.config !== "graph"),
  };
}

const mtCategories = ["writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities"];

/** 16 MT-Bench items (two per category) answered by the graph and one baseline, with judge agreement. */
export function mtBenchFixture(): { summary: BenchSummary; results: BenchResult[] } {
  const suite: SuiteName = "mt_bench";
  const make = (config: string, kind: "graph" | "baseline", bonus: number): BenchResult[] =>
    Array.from({ length: 16 }, (_, i) => {
      const score = Math.min(10, 4 + ((i * 5) % 6) + bonus);
      return {
        config,
        suite,
        item: `mt_bench/${81 + i}`,
        category: mtCategories[i % 8]!,
        answer: `Turn two answer ${i}`,
        turns: [`Turn one answer ${i}`, `Turn two answer ${i}`],
        pass: score >= 8,
        score,
        scoredBy: "judge",
        latencyMs: 4000 + 250 * i + (kind === "graph" ? 1500 : 0),
        tokensIn: 400,
        tokensOut: 350,
        cost: kind === "graph" ? 1.2 : 0.6,
        retries: 0,
        escalations: 0,
        ...(kind === "graph" ? { route: i % 2 ? "general" : "creative", tier: "T2" } : { tier: "T1" }),
      };
    });
  const results = [...make("graph", "graph", 2), ...make("T1", "baseline", 0)];
  const summary: BenchSummary = {
    version: 1,
    suite,
    items: 16,
    data: "/work/data/mt_bench",
    graph: "graphs/multi-domain.yaml",
    configs: [
      summarizeConfig(
        "graph",
        "graph",
        "multi_domain",
        results.filter((r) => r.config === "graph"),
      ),
      summarizeConfig(
        "T1",
        "baseline",
        "qwen2.5:3b",
        results.filter((r) => r.config === "T1"),
      ),
    ],
    costWeights: { T1: 0.5, T2: 3 },
    environment: environment({ graph: "qwen2.5:7b", T1: "qwen2.5:3b", judge: "qwen2.5:14b" }),
    judgeAgreement: { pairs: 32, pearson: 0.71, spearman: 0.68, meanAbsDiff: 1.2, withinOne: 0.66 },
  };
  return { summary, results };
}
