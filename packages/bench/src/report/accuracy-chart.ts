import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { chartConfig, kindColor, percentLabel } from "./chart-style";

const name = "accuracy";
const title = "Accuracy per configuration";

/** Bars of each configuration's accuracy, with its Wilson 95% interval as error bars. */
export function accuracyChart(summary: BenchSummary): ChartPlan {
  const scored = summary.configs.filter((c) => c.accuracy.scored > 0);
  if (scored.length === 0)
    return { name, title, omitted: summary.configs.length === 0 ? "the summary has no configuration" : "no configuration has a scored item" };
  const values = scored.map((c) => ({
    config: c.config,
    kind: c.kind,
    rate: c.accuracy.rate,
    low: c.accuracy.low,
    high: c.accuracy.high,
    label: percentLabel(c.accuracy.rate),
  }));
  const y = { type: "quantitative" as const, scale: { domain: [0, 1] }, axis: { format: "%", title: "accuracy (Wilson 95% interval)" } };
  return {
    name,
    title,
    caption: "Share of scored items each configuration got right; the whiskers are the Wilson 95% interval.",
    spec: {
      title,
      config: chartConfig,
      width: Math.max(220, 70 * scored.length),
      height: 260,
      data: { values },
      encoding: { x: { field: "config", type: "nominal", sort: null, title: "configuration", axis: { labelAngle: -30, labelLimit: 160 } } },
      layer: [
        { mark: { type: "bar", width: { band: 0.6 } }, encoding: { y: { field: "rate", ...y }, color: kindColor } },
        { mark: { type: "errorbar", ticks: { size: 14 }, color: "#333" }, encoding: { y: { field: "low", ...y }, y2: { field: "high" } } },
        { mark: { type: "text", dy: -8, fontSize: 10 }, encoding: { y: { field: "high", ...y }, text: { field: "label" } } },
      ],
    },
  };
}
