import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { tradeoffChart, type TradeoffAxis } from "./tradeoff-chart";

/** Accuracy against the summed, tier-weighted token cost. */
export const costAxis: TradeoffAxis = {
  name: "accuracy-cost",
  title: "Accuracy against cost",
  axisTitle: "cost (tokens weighted per tier)",
  adjective: "costly",
  value: (c) => c.cost,
};

/** Accuracy against cost, one point per configuration, with the Pareto frontier. */
export function accuracyCostChart(summary: BenchSummary): ChartPlan {
  return tradeoffChart(summary, costAxis);
}
