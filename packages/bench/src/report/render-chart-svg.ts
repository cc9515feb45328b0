import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Compiles a Vega-Lite spec and renders it to a standalone SVG in Node: no DOM, no canvas, no network. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
