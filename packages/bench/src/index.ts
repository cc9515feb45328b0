/**
 * @tinyllm/bench: runs configurations (a graph, and single models alone with a plain prompt)
 * over the items of a benchmark suite, scores every answer, and writes `results.jsonl`,
 * `summary.json` and a report with plots.
 *
 * @packageDocumentation
 */
export { SUITE_NAMES, type SuiteName } from "./suites/suite-name";
export type { BenchResult } from "./bench-result";
export type { BenchEnvironment, BenchSummary, ConfigSummary, GateAgreement, PassRate } from "./bench-summary";
