import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { groupedRateSpec, groupedRates } from "./grouped-rate-chart";

const name = "pass-rate-by-tier";
const title = "Pass rate by tier";

/** Every configuration's pass rate by the tier of the model that wrote the final answer. */
export function tierChart(summary: BenchSummary): ChartPlan {
  const rows = groupedRates(summary.configs, (c) => c.byTier);
  if (rows.length === 0) return { name, title, omitted: "no configuration recorded the tier that wrote its answers" };
  return {
    name,
    title,
    caption: "Share of scored items that passed, by the tier of the model that wrote the final answer (after any escalation); passed/scored above each bar.",
    spec: groupedRateSpec(title, "tier", summary.configs, rows),
  };
}
