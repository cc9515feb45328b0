import type { ConfigSummary } from "../bench-summary";

/** Shared Vega-Lite config: plain sans-serif text, white background, no frame. */
export const chartConfig = {
  background: "white",
  font: "sans-serif",
  view: { stroke: null },
  title: { anchor: "start", fontSize: 13 },
  axis: { labelFontSize: 11, titleFontSize: 11, gridColor: "#e6e6e6" },
  legend: { labelFontSize: 11, titleFontSize: 11 },
} as const;

/** Colour and shape by configuration kind, the graph apart from the baselines. */
export const kindColor = { field: "kind", type: "nominal" as const, title: "kind", scale: { domain: ["graph", "baseline"], range: ["#e45756", "#4c78a8"] } };
export const kindShape = { field: "kind", type: "nominal" as const, title: "kind", scale: { domain: ["graph", "baseline"], range: ["diamond", "circle"] } };

/** Colour by configuration, in the summary's order. */
export function configColor(configs: readonly ConfigSummary[]) {
  return {
    field: "config",
    type: "nominal",
    title: "configuration",
    sort: null,
    scale: { domain: configs.map((c) => c.config), scheme: "tableau10" },
  } as const;
}

/** A share 0–1 as a percentage with one decimal, for labels. */
export function percentLabel(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
