import type { BenchSummary } from "../bench-summary";
import { formatCount, formatPercent } from "./format";
import type { ReportBlock } from "./report-block";

/** The gate's verdicts against the benchmark's, per gated configuration; nothing when no configuration has a gate. */
export function gateSection(summary: BenchSummary): ReportBlock[] {
  const gated = summary.configs.filter((c) => c.gate !== undefined);
  if (gated.length === 0) return [];
  const share = (value: number | null) => (value === null ? "—" : formatPercent(value));
  return [
    { kind: "heading", level: 2, text: "The gate against the benchmark" },
    {
      kind: "paragraph",
      text: [
        "Precision: of the answers the gate passed, the share the benchmark passed. Recall: of the answers the benchmark passed, the share the gate passed. Undecided: the gate could not decide (no judge).",
      ],
    },
    {
      kind: "table",
      head: ["Configuration", "Precision", "Recall", "Gate pass, right", "Gate pass, wrong", "Gate fail, right", "Gate fail, wrong", "Undecided"],
      rows: gated.map((c) => {
        const g = c.gate!;
        return [c.config, share(g.precision), share(g.recall), ...[g.truePass, g.falsePass, g.falseFail, g.trueFail, g.undecided].map(formatCount)];
      }),
      numeric: [false, true, true, true, true, true, true, true],
    },
  ];
}
