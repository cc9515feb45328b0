/**
 * @tinyllm/bench: runs configurations (a graph, and single models alone with a plain prompt)
 * over the items of a benchmark suite, scores every answer, and writes `results.jsonl`,
 * `summary.json` and a report with plots.
 *
 * @packageDocumentation
 */
export { benchError } from "./bench-error";
export type { BenchResult } from "./bench-result";
export type { BenchEnvironment, BenchSummary, ConfigSummary, GateAgreement, PassRate } from "./bench-summary";
export { SUITE_NAMES, type SuiteName } from "./suites/suite-name";
export type { BenchItem } from "./suites/bench-item";
export type { BenchJudge, ItemScore, LoadSuiteOptions, ScoreContext, Suite } from "./suites/suite";
export { getSuite, SUITES } from "./suites/suites";
export { gsm8kFinal, gsm8kSuite } from "./suites/gsm8k";
export { humanevalSuite } from "./suites/humaneval";
export { mbppSuite } from "./suites/mbpp";
export { MT_BENCH_PASS_SCORE, mtBenchJudgeMessages, mtBenchSuite } from "./suites/mt-bench";
export { fillTemplate, MT_BENCH_JUDGE_PROMPTS, MT_BENCH_REFERENCE_CATEGORIES, readRating } from "./suites/mt-bench-judge-prompts";
export { routingSuite } from "./suites/routing";
export { scoreCode } from "./suites/score-code";
export type { AnswerOptions, BenchConfiguration, ConfigAnswer, TokensByTier } from "./harness/bench-configuration";
export { createBaselineConfiguration, errorOf, type BaselineConfigurationOptions } from "./harness/baseline-configuration";
export type { BenchEvent } from "./harness/bench-event";
export { costOf, DEFAULT_COST_WEIGHTS } from "./harness/cost-weights";
export { appendResult, readResultsFile, resultKey } from "./harness/results-file";
export { runBench, type RunBenchOptions, type RunBenchResult } from "./harness/run-bench";
export { passRate } from "./summary/pass-rate";
export { gateAgreement, quantile, summarizeResults, type SummaryConfiguration } from "./summary/summarize-results";
export { measureJudgeAgreement, pearson, readJudgments, spearman, type MeasureJudgeAgreementOptions, type StoredJudgment } from "./summary/judge-agreement";
export { benchEnvironment, type BenchEnvironmentOptions } from "./summary/bench-environment";
export { runBenchmark, type RunBenchmarkOptions, type RunBenchmarkResult } from "./run-benchmark";
export { renderReport, writeReport, type RenderedReport, type WrittenReport } from "./report/render-report";
export type { OmittedChart, ReportChart } from "./report/report-chart";
