import type { BenchSummary } from "../bench-summary";
import { formatCount, formatNumber, formatPercent } from "./format";
import type { ReportBlock } from "./report-block";

/** MT-Bench with given judgments: how our judge's scores compare with them; nothing without. */
export function judgeSection(summary: BenchSummary): ReportBlock[] {
  const agreement = summary.judgeAgreement;
  if (!agreement) return [];
  // `withinOne` is a share of the pairs (0–1); a count larger than 1 is shown as a count of pairs.
  const withinOne = agreement.withinOne > 1 ? `${formatCount(agreement.withinOne)} of ${formatCount(agreement.pairs)}` : formatPercent(agreement.withinOne);
  return [
    { kind: "heading", level: 2, text: "Judge agreement" },
    { kind: "paragraph", text: ["Our judge's scores set beside the given judgments, over the answers both scored."] },
    {
      kind: "table",
      head: ["Pairs", "Pearson", "Spearman", "Mean absolute difference", "Within one point"],
      rows: [[formatCount(agreement.pairs), formatNumber(agreement.pearson), formatNumber(agreement.spearman), formatNumber(agreement.meanAbsDiff), withinOne]],
      numeric: [true, true, true, true, true],
    },
  ];
}
