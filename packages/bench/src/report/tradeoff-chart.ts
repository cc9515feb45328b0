import type { BenchSummary, ConfigSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { chartConfig, kindColor, kindShape } from "./chart-style";
import { paretoFrontier } from "./pareto-frontier";

/** What to set accuracy against. */
export interface TradeoffAxis {
  name: string;
  title: string;
  /** Axis title, with its unit. */
  axisTitle: string;
  /** What a high value is, for the caption: `slow`, `costly`. */
  adjective: string;
  /** The figure to keep low. */
  value: (config: ConfigSummary) => number;
}

/** The configurations with a scored item, and the frontier among them (accuracy high, `value` low). */
export function tradeoffFrontier(summary: BenchSummary, axis: TradeoffAxis): ConfigSummary[] {
  const scored = summary.configs.filter((c) => c.accuracy.scored > 0);
  return paretoFrontier(scored, axis.value, (c) => c.accuracy.rate);
}

/**
 * Accuracy against a cost (latency, money): one labelled point per configuration, the graph's
 * drawn apart from the baselines, the accuracy's interval as a whisker, and the Pareto frontier
 * as a dashed line.
 */
export function tradeoffChart(summary: BenchSummary, axis: TradeoffAxis): ChartPlan {
  const { name, title } = axis;
  const scored = summary.configs.filter((c) => c.accuracy.scored > 0);
  if (scored.length === 0)
    return { name, title, omitted: summary.configs.length === 0 ? "the summary has no configuration" : "no configuration has a scored item" };
  if (scored.every((c) => !(axis.value(c) > 0)))
    return { name, title, omitted: `every configuration's ${axis.axisTitle.replace(/ \(.*$/, "")} is 0, so there is nothing to set accuracy against` };
  const frontier = tradeoffFrontier(summary, axis);
  const row = (c: ConfigSummary) => ({ config: c.config, kind: c.kind, x: axis.value(c), rate: c.accuracy.rate, low: c.accuracy.low, high: c.accuracy.high });
  const x = { field: "x", type: "quantitative" as const, title: axis.axisTitle, scale: { zero: true, nice: true } };
  const y = { type: "quantitative" as const, scale: { domain: [0, 1] }, axis: { format: "%", title: "accuracy" } };
  return {
    name,
    title,
    caption: `One point per configuration; up and to the left is better. The dashed line joins the Pareto frontier (${frontier.map((c) => c.config).join(", ")}): no other configuration is at least as accurate and at most as ${axis.adjective}.`,
    spec: {
      title,
      config: chartConfig,
      width: 420,
      height: 300,
      layer: [
        {
          data: { values: frontier.map((c, order) => ({ ...row(c), order })) },
          mark: { type: "line", color: "#888", strokeDash: [5, 4], strokeWidth: 1.5 },
          encoding: { x, y: { field: "rate", ...y }, order: { field: "order", type: "quantitative" } },
        },
        {
          data: { values: scored.map(row) },
          layer: [
            { mark: { type: "rule", color: "#999", strokeWidth: 1 }, encoding: { x, y: { field: "low", ...y }, y2: { field: "high" } } },
            { mark: { type: "point", filled: true, size: 110, opacity: 1 }, encoding: { x, y: { field: "rate", ...y }, color: kindColor, shape: kindShape } },
            { mark: { type: "text", align: "left", dx: 8, dy: -8, fontSize: 11 }, encoding: { x, y: { field: "rate", ...y }, text: { field: "config" } } },
          ],
        },
      ],
    },
  };
}
