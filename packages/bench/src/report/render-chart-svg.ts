import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

/** vega and vega-lite, loaded on the first chart: importing the package (as the runtime does) stays cheap. */
let libraries: Promise<[typeof Vega, typeof VegaLite]> | undefined;

/** Compiles a Vega-Lite spec and renders it to a standalone SVG in Node: no DOM, no canvas, no network. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await (libraries ??= Promise.all([import("vega"), import("vega-lite")]));
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
