import type { BenchSummary } from "../bench-summary";
import { accuracyChart } from "./accuracy-chart";
import { accuracyCostChart } from "./accuracy-cost-chart";
import { accuracyLatencyChart } from "./accuracy-latency-chart";
import { categoryChart } from "./category-chart";
import type { ChartPlan } from "./chart-plan";
import { latencyCdfChart } from "./latency-cdf-chart";
import { routeChart } from "./route-chart";
import { secondChancesChart } from "./second-chances-chart";
import { tierChart } from "./tier-chart";

/** Every chart of a summary's report, in the report's order: drawn, or left out with the reason. */
export function planCharts(summary: BenchSummary): ChartPlan[] {
  return [
    accuracyChart(summary),
    accuracyLatencyChart(summary),
    accuracyCostChart(summary),
    ...(summary.suite === "mt_bench" ? [categoryChart(summary)] : []),
    routeChart(summary),
    tierChart(summary),
    secondChancesChart(summary),
    latencyCdfChart(summary),
  ];
}
