import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { tradeoffChart, type TradeoffAxis } from "./tradeoff-chart";

/** Accuracy against mean latency per item. */
export const latencyAxis: TradeoffAxis = {
  name: "accuracy-latency",
  title: "Accuracy against mean latency",
  axisTitle: "mean latency per item (ms)",
  adjective: "slow",
  value: (c) => c.meanLatencyMs,
};

/** Accuracy against mean latency, one point per configuration, with the Pareto frontier. */
export function accuracyLatencyChart(summary: BenchSummary): ChartPlan {
  return tradeoffChart(summary, latencyAxis);
}
