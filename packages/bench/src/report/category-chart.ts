import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { chartConfig, configColor } from "./chart-style";

const name = "mt-bench-categories";
const title = "MT-Bench mean score per category";

/** MT-Bench only: each configuration's mean judge score (1–10) per category, with the pass line at 8. */
export function categoryChart(summary: BenchSummary): ChartPlan {
  const values = summary.configs.flatMap((c) =>
    Object.entries(c.byCategory)
      .filter(([, figures]) => figures.meanScore !== null)
      .map(([category, figures]) => ({ config: c.config, category, meanScore: figures.meanScore!, label: figures.meanScore!.toFixed(1) })),
  );
  if (values.length === 0) return { name, title, omitted: "no category has a mean score (no answer was judged)" };
  const shown = summary.configs.filter((c) => values.some((v) => v.config === c.config));
  const categories = [...new Set(values.map((v) => v.category))];
  const y = { type: "quantitative" as const, scale: { domain: [0, 10] }, title: "mean score (1–10)" };
  return {
    name,
    title,
    caption: "Mean judge score per MT-Bench category and configuration; the dashed line is 8, the score that counts as a pass.",
    spec: {
      title,
      config: chartConfig,
      width: Math.max(300, categories.length * Math.max(60, 26 * shown.length)),
      height: 260,
      layer: [
        {
          data: { values },
          encoding: {
            x: { field: "category", type: "nominal", sort: categories, title: "category", axis: { labelAngle: -30 } },
            xOffset: { field: "config", type: "nominal", sort: shown.map((c) => c.config) },
          },
          layer: [
            { mark: { type: "bar" }, encoding: { y: { field: "meanScore", ...y }, color: configColor(shown) } },
            { mark: { type: "text", dy: -6, fontSize: 9 }, encoding: { y: { field: "meanScore", ...y }, text: { field: "label" } } },
          ],
        },
        { data: { values: [{ pass: 8 }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { y: { field: "pass", ...y } } },
      ],
    },
  };
}
