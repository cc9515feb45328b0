import type { TopLevelSpec } from "vega-lite";

/** A chart to draw (its Vega-Lite spec), or one to leave out and why. */
export type ChartPlan = { name: string; title: string; caption: string; spec: TopLevelSpec } | { name: string; title: string; omitted: string };
