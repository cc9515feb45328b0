import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CodeRunners } from "@tinyllm/core";
import type { BenchResult } from "./bench-result";
import type { BenchEnvironment, BenchSummary } from "./bench-summary";
import type { BenchConfiguration } from "./harness/bench-configuration";
import type { BenchEvent } from "./harness/bench-event";
import { DEFAULT_COST_WEIGHTS } from "./harness/cost-weights";
import { runBench } from "./harness/run-bench";
import { writeReport } from "./report/render-report";
import type { BenchItem } from "./suites/bench-item";
import type { BenchJudge, Suite } from "./suites/suite";
import { summarizeResults } from "./summary/summarize-results";

/** Options of {@link runBenchmark}. */
export interface RunBenchmarkOptions {
  suite: Suite;
  /** The data sets' folder. */
  dataDir: string;
  /** First N items only. */
  limit?: number;
  /** The items, when already loaded (else they are read from `dataDir`). */
  items?: readonly BenchItem[];
  configurations: readonly BenchConfiguration[];
  runners?: CodeRunners;
  judge?: BenchJudge;
  /** Where `results.jsonl`, `summary.json`, `report.md`, `report.html` and `plots/` go. */
  outDir: string;
  concurrency?: number;
  costWeights?: Readonly<Record<string, number>>;
  /** The graph file, for the report. */
  graphFile: string;
  /** MT-Bench: our judge against given judgments (see `measureJudgeAgreement`), for the summary and report. */
  judgeAgreement?: BenchSummary["judgeAgreement"];
  /** Provider, models and seed, with the machine (see `benchEnvironment`). */
  environment: BenchEnvironment;
  abortSignal?: AbortSignal;
  onEvent?: (event: BenchEvent) => void;
}

/** What {@link runBenchmark} made. */
export interface RunBenchmarkResult {
  summary: BenchSummary;
  results: BenchResult[];
  resumed: number;
  interrupted: boolean;
  files: { results: string; summary: string; markdown: string; html: string };
}

/**
 * A whole benchmark: loads the suite's items, runs every configuration on them (resuming from
 * `results.jsonl` in `outDir`), summarises, and writes `summary.json` and the report. Stopped by
 * the abort signal, it still writes the summary and report of what was done.
 */
export async function runBenchmark(options: RunBenchmarkOptions): Promise<RunBenchmarkResult> {
  const { suite, outDir } = options;
  const items = options.items ?? (await suite.load(options.dataDir, options.limit !== undefined ? { limit: options.limit } : {}));
  mkdirSync(outDir, { recursive: true });
  const resultsFile = path.join(outDir, "results.jsonl");
  const costWeights = { ...DEFAULT_COST_WEIGHTS, ...options.costWeights };
  const run = await runBench({
    suite,
    items,
    configurations: options.configurations,
    resultsFile,
    costWeights,
    ...(options.runners ? { runners: options.runners } : {}),
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const summary: BenchSummary = {
    version: 1,
    suite: suite.name,
    items: items.length,
    data: options.dataDir,
    graph: options.graphFile,
    configs: summarizeResults(run.results, options.configurations),
    costWeights,
    environment: options.environment,
    ...(options.judgeAgreement ? { judgeAgreement: options.judgeAgreement } : {}),
  };
  const summaryFile = path.join(outDir, "summary.json");
  writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  const report = await writeReport(outDir, summary, run.results);
  return {
    summary,
    results: run.results,
    resumed: run.resumed,
    interrupted: run.interrupted,
    files: { results: resultsFile, summary: summaryFile, markdown: report.markdownFile, html: report.htmlFile },
  };
}
