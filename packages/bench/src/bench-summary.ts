import type { SuiteName } from "./suites/suite-name";

/** A count and the share it is of a whole, with its Wilson 95% interval. */
export interface PassRate {
  passed: number;
  /** Items that could be scored (`pass` not null). */
  scored: number;
  /** passed / scored; 0 when nothing was scored. */
  rate: number;
  low: number;
  high: number;
}

/** The gate's verdicts set beside the benchmark's: how often it passes a wrong answer or fails a right one. */
export interface GateAgreement {
  /** Gate passed, benchmark passed. */
  truePass: number;
  /** Gate passed a wrong answer. */
  falsePass: number;
  /** Gate failed a right answer. */
  falseFail: number;
  /** Gate failed, benchmark failed. */
  trueFail: number;
  /** Gate could not decide (no judge). */
  undecided: number;
  /** Of the answers the gate passed, the share that were right; null when it passed none. */
  precision: number | null;
  /** Of the right answers, the share the gate passed; null when none was right. */
  recall: number | null;
}

/** One configuration's figures over every item it answered. */
export interface ConfigSummary {
  config: string;
  /** `graph`, or `baseline`: one model alone with the suite's plain prompt. */
  kind: "graph" | "baseline";
  /** The graph's id, or the baseline's model. */
  model: string;
  items: number;
  accuracy: PassRate;
  /** Mean score (0–1, or 1–10 for MT-Bench) over scored items; null when none. */
  meanScore: number | null;
  meanLatencyMs: number;
  p95LatencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** Sum of the items' cost. */
  cost: number;
  /** Items whose run failed (no answer). */
  errors: number;
  /** Pass rate by the route taken (graph only). */
  byRoute: Record<string, PassRate>;
  /** Pass rate by the tier that wrote the final answer. */
  byTier: Record<string, PassRate>;
  /** MT-Bench: mean score per category. Routing: accuracy per expected route. */
  byCategory: Record<string, { items: number; meanScore: number | null; accuracy: PassRate }>;
  /** What the gate's second chances bought (graph only): items the gate retried or escalated, and how many of them passed in the end. */
  secondChances?: { retried: number; retriedPassed: number; escalated: number; escalatedPassed: number; firstTry: number; firstTryPassed: number };
  /** The gate against the benchmark (graph only, when the graph has a gate). */
  gate?: GateAgreement;
  /** Latency of every item, ascending, ms: the CDF's points. */
  latenciesMs: number[];
}

/** Where and how the benchmark ran: the report states it. */
export interface BenchEnvironment {
  /** ISO time the summary was written. */
  date: string;
  /** `git rev-parse HEAD` of the checkout, when there is one. */
  commit?: string;
  /** The model backend: `ollama`, `llama` (embedded), `openai`, or `replay` of a cassette. */
  provider: string;
  /** Models by configuration, and the judge's. */
  models: Record<string, string>;
  machine: { cpu: string; cores: number; memoryGB: number; gpu?: string; os: string; node: string };
  seed: number;
}

/** `summary.json`: every configuration's figures for one suite. */
export interface BenchSummary {
  version: 1;
  suite: SuiteName;
  /** Items each configuration was given (after `--limit`). */
  items: number;
  /** The data folder, and the graph file. */
  data: string;
  graph: string;
  configs: ConfigSummary[];
  /** Cost weights per tier used for `cost` (per 1,000 tokens in and out). */
  costWeights: Record<string, number>;
  environment: BenchEnvironment;
  /** MT-Bench with `--judgments`: our judge's scores against the given judgments (GPT-4's in the paper). */
  judgeAgreement?: { pairs: number; pearson: number | null; spearman: number | null; meanAbsDiff: number; withinOne: number };
}
