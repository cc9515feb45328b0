import type { BenchSummary } from "../bench-summary";
import { formatCount, formatMs, formatNumber, formatRate } from "./format";
import type { ReportBlock } from "./report-block";

/** One row per configuration: accuracy with its interval, mean score, latency, tokens, cost, errors. */
export function resultsSection(summary: BenchSummary): ReportBlock[] {
  const scoreDigits = summary.suite === "mt_bench" ? 2 : 3;
  const rows = summary.configs.map((c) => [
    c.config,
    c.kind,
    formatCount(c.items),
    formatRate(c.accuracy),
    c.meanScore === null ? "—" : c.meanScore.toFixed(scoreDigits),
    formatMs(c.meanLatencyMs),
    formatMs(c.p95LatencyMs),
    formatCount(c.tokensIn),
    formatCount(c.tokensOut),
    formatNumber(c.cost),
    formatCount(c.errors),
  ]);
  return [
    { kind: "heading", level: 2, text: "Results" },
    rows.length === 0
      ? { kind: "paragraph", text: ["No configuration ran."] }
      : {
          kind: "table",
          head: [
            "Configuration",
            "Kind",
            "Items",
            "Accuracy (95% CI)",
            "Mean score",
            "Mean latency",
            "p95 latency",
            "Tokens in",
            "Tokens out",
            "Cost",
            "Errors",
          ],
          rows,
          numeric: [false, false, true, true, true, true, true, true, true, true, true],
        },
  ];
}
