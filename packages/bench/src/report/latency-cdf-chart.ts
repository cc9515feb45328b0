import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { chartConfig, configColor } from "./chart-style";

const name = "latency-cdf";
const title = "Latency distribution (CDF)";

/** Most points drawn per configuration; longer lists are thinned evenly, keeping the first and the last. */
const maxPoints = 400;

/** Per configuration, the share of items answered within each latency: a step line through `(latency, (i+1)/n)`. */
export function latencyCdfChart(summary: BenchSummary): ChartPlan {
  const shown = summary.configs.filter((c) => c.latenciesMs.length > 0);
  if (shown.length === 0) return { name, title, omitted: "no configuration recorded a latency" };
  const values = shown.flatMap((c) => {
    const n = c.latenciesMs.length;
    const step = Math.max(1, Math.ceil(n / maxPoints));
    const indices = [...Array.from({ length: Math.ceil(n / step) }, (_, k) => k * step)];
    if (indices.at(-1) !== n - 1) indices.push(n - 1);
    return indices.map((i) => ({ config: c.config, latencyMs: c.latenciesMs[i]!, share: (i + 1) / n }));
  });
  const latencies = values.map((v) => v.latencyMs).filter((v) => v > 0);
  const log = latencies.length > 0 && Math.max(...latencies) / Math.min(...latencies) >= 50 && latencies.length === values.length;
  return {
    name,
    title,
    caption: `Share of items each configuration answered within a given time (${log ? "log" : "linear"} scale); further left is faster.`,
    spec: {
      title,
      config: chartConfig,
      width: 440,
      height: 260,
      data: { values },
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: {
        x: { field: "latencyMs", type: "quantitative", title: "latency per item (ms)", scale: log ? { type: "log" } : { zero: true } },
        y: { field: "share", type: "quantitative", scale: { domain: [0, 1] }, axis: { format: "%", title: "items answered within" } },
        color: configColor(shown),
        order: { field: "share", type: "quantitative" },
      },
    },
  };
}
