import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { groupedRateSpec, groupedRates } from "./grouped-rate-chart";

const name = "pass-rate-by-route";
const title = "Pass rate by route (graph)";

/** The graph configurations' pass rate per route their router took. */
export function routeChart(summary: BenchSummary): ChartPlan {
  const graphs = summary.configs.filter((c) => c.kind === "graph");
  if (graphs.length === 0) return { name, title, omitted: "no graph configuration ran, only baselines, which take no route" };
  const rows = groupedRates(graphs, (c) => c.byRoute);
  if (rows.length === 0) return { name, title, omitted: "the graph recorded no route with a scored item" };
  return {
    name,
    title,
    caption: "Share of the graph's scored items that passed, by the route its router took; passed/scored above each bar.",
    spec: groupedRateSpec(title, "route", graphs, rows),
  };
}
