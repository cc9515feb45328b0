import type { BenchSummary } from "../bench-summary";
import { formatPercent } from "./format";
import type { ReportBlock } from "./report-block";

/** MT-Bench: mean score (and pass rate) per category and configuration; nothing for the other suites. */
export function categorySection(summary: BenchSummary): ReportBlock[] {
  if (summary.suite !== "mt_bench") return [];
  const categories = [...new Set(summary.configs.flatMap((c) => Object.keys(c.byCategory)))];
  if (categories.length === 0) return [];
  return [
    { kind: "heading", level: 2, text: "MT-Bench by category" },
    { kind: "paragraph", text: ["Mean judge score (1–10) per category, with the share of answers scored 8 or more in brackets."] },
    {
      kind: "table",
      head: ["Category", ...summary.configs.map((c) => c.config)],
      rows: categories.map((category) => [
        category,
        ...summary.configs.map((c) => {
          const figures = c.byCategory[category];
          if (!figures || figures.meanScore === null) return "—";
          return `${figures.meanScore.toFixed(2)} (${figures.accuracy.scored > 0 ? formatPercent(figures.accuracy.rate) : "—"})`;
        }),
      ]),
      numeric: [false, ...summary.configs.map(() => true)],
    },
  ];
}
