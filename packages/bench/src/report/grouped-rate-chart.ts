import type { TopLevelSpec } from "vega-lite";
import type { ConfigSummary, PassRate } from "../bench-summary";
import { chartConfig, configColor, percentLabel } from "./chart-style";

/** One bar: a configuration's pass rate in one group (a route, a tier). */
export interface GroupedRate {
  group: string;
  config: string;
  rate: PassRate;
}

/** The bars of `configs`' pass rates per group, for groups with a scored item. */
export function groupedRates(configs: readonly ConfigSummary[], groups: (config: ConfigSummary) => Record<string, PassRate>): GroupedRate[] {
  return configs.flatMap((c) =>
    Object.entries(groups(c))
      .filter(([, rate]) => rate.scored > 0)
      .map(([group, rate]) => ({ group, config: c.config, rate })),
  );
}

/** Pass rate per group, one bar per configuration within each group, Wilson 95% whiskers, `passed/scored` above each. */
export function groupedRateSpec(title: string, groupTitle: string, configs: readonly ConfigSummary[], rows: readonly GroupedRate[]): TopLevelSpec {
  const shown = configs.filter((c) => rows.some((r) => r.config === c.config));
  const groups = [...new Set(rows.map((r) => r.group))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const values = rows.map((r) => ({
    group: r.group,
    config: r.config,
    rate: r.rate.rate,
    low: r.rate.low,
    high: r.rate.high,
    label: `${r.rate.passed}/${r.rate.scored}`,
    tip: percentLabel(r.rate.rate),
  }));
  const y = { type: "quantitative" as const, scale: { domain: [0, 1] }, axis: { format: "%", title: "pass rate (Wilson 95% interval)" } };
  const xOffset = { field: "config", type: "nominal" as const, sort: shown.map((c) => c.config) };
  return {
    title,
    config: chartConfig,
    width: Math.max(240, groups.length * Math.max(60, 34 * shown.length)),
    height: 260,
    data: { values },
    encoding: { x: { field: "group", type: "nominal", sort: groups, title: groupTitle, axis: { labelAngle: 0 } }, xOffset },
    layer: [
      { mark: { type: "bar" }, encoding: { y: { field: "rate", ...y }, color: configColor(shown) } },
      { mark: { type: "rule", color: "#333" }, encoding: { y: { field: "low", ...y }, y2: { field: "high" } } },
      { mark: { type: "text", dy: -7, fontSize: 9 }, encoding: { y: { field: "high", ...y }, text: { field: "label" } } },
    ],
  };
}
