import type { BenchSummary } from "../bench-summary";
import type { ChartPlan } from "./chart-plan";
import { chartConfig } from "./chart-style";

const name = "second-chances";
const title = "What the gate's retries and escalations bought";

/** Per graph configuration: items passed on the first try, retried, escalated, and how many of each passed in the end. */
export function secondChancesChart(summary: BenchSummary): ChartPlan {
  const graphs = summary.configs.filter((c) => c.kind === "graph");
  if (graphs.length === 0) return { name, title, omitted: "no graph configuration ran, so no gate gave second chances" };
  const withChances = graphs.filter((c) => c.secondChances !== undefined);
  if (withChances.length === 0) return { name, title, omitted: "the graph recorded no second chances (it has no gate)" };
  const several = withChances.length > 1;
  const values = withChances.flatMap((c) => {
    const s = c.secondChances!;
    const stages: Array<[string, number, number]> = [
      ["first try", s.firstTry, s.firstTryPassed],
      ["retried", s.retried, s.retriedPassed],
      ["escalated", s.escalated, s.escalatedPassed],
    ];
    return stages.flatMap(([stage, total, passed], order) => {
      const label = several ? `${c.config}: ${stage}` : stage;
      return [
        { stage: label, order, outcome: "passed in the end", count: passed, total },
        { stage: label, order, outcome: "did not pass", count: Math.max(0, total - passed), total },
      ];
    });
  });
  if (values.every((v) => v.total === 0)) return { name, title, omitted: "the graph's gate saw no item (every second-chance count is 0)" };
  const stageOrder = [...new Set(values.map((v) => v.stage))];
  return {
    name,
    title,
    caption:
      "Items the gate passed on the first try, sent back for another try at the same tier, or escalated to a bigger tier, split by whether the final answer passed the benchmark.",
    spec: {
      title,
      config: chartConfig,
      width: 420,
      height: Math.max(90, 34 * stageOrder.length),
      data: { values },
      mark: { type: "bar" },
      encoding: {
        y: { field: "stage", type: "nominal", sort: stageOrder, title: null },
        x: { field: "count", type: "quantitative", stack: "zero", title: "items" },
        color: {
          field: "outcome",
          type: "nominal",
          title: "benchmark",
          scale: { domain: ["passed in the end", "did not pass"], range: ["#54a24b", "#d3d3d3"] },
        },
        order: { field: "outcome", type: "nominal", sort: "descending" },
      },
    },
  };
}
