import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchResult } from "../bench-result";
import type { BenchSummary } from "../bench-summary";
import { costAxis } from "./accuracy-cost-chart";
import { latencyAxis } from "./accuracy-latency-chart";
import { blocksToHtml } from "./blocks-to-html";
import { blocksToMarkdown } from "./blocks-to-markdown";
import { categorySection } from "./category-section";
import { disagreementsSection } from "./disagreements-section";
import { gateSection } from "./gate-section";
import { judgeSection } from "./judge-section";
import { planCharts } from "./plan-charts";
import { renderChartSvg } from "./render-chart-svg";
import type { OmittedChart, ReportChart } from "./report-chart";
import type { ReportBlock } from "./report-block";
import { resultsSection } from "./results-section";
import { setupSection } from "./setup-section";
import { passMeaning, suiteTitles } from "./suite-text";
import { tradeoffFrontier } from "./tradeoff-chart";

/** What {@link renderReport} returns: the report in Markdown and HTML, and its charts. */
export interface RenderedReport {
  /** `report.md`: links each chart as `plots/<name>.svg`. */
  markdown: string;
  /** `report.html`: one self-contained page, the charts inline, nothing loaded from anywhere. */
  html: string;
  /** The charts drawn, in the report's order. */
  charts: ReportChart[];
  /** The charts left out because their data was empty, and why (the report says so in their place). */
  omitted: OmittedChart[];
}

/** What {@link writeReport} wrote. */
export interface WrittenReport {
  markdownFile: string;
  htmlFile: string;
  /** `plots/<name>.svg`, one per chart drawn. */
  plotFiles: string[];
}

async function drawCharts(summary: BenchSummary): Promise<{ charts: ReportChart[]; omitted: OmittedChart[]; order: string[] }> {
  const plans = planCharts(summary);
  const drawn = await Promise.all(
    plans.map(async (plan): Promise<ReportChart | OmittedChart> => {
      if (!("spec" in plan)) return { name: plan.name, title: plan.title, reason: plan.omitted };
      try {
        return { name: plan.name, title: plan.title, caption: plan.caption, svg: await renderChartSvg(plan.spec) };
      } catch (error) {
        return { name: plan.name, title: plan.title, reason: `it could not be drawn (${error instanceof Error ? error.message : String(error)})` };
      }
    }),
  );
  return {
    charts: drawn.filter((c): c is ReportChart => "svg" in c),
    omitted: drawn.filter((c): c is OmittedChart => "reason" in c),
    order: plans.map((p) => p.name),
  };
}

function frontierBlocks(summary: BenchSummary): ReportBlock[] {
  const lines = [latencyAxis, costAxis]
    .map((axis) => ({ axis, frontier: tradeoffFrontier(summary, axis) }))
    .filter(({ axis, frontier }) => frontier.length > 0 && frontier.some((c) => axis.value(c) > 0))
    .map(({ axis, frontier }) => [
      `Pareto frontier, accuracy against ${axis.axisTitle.replace(/ \(.*$/, "")}: `,
      { strong: frontier.map((c) => c.config).join(", ") },
    ]);
  return lines.length === 0 ? [] : [{ kind: "list", items: lines }];
}

/**
 * Renders a suite's report: the set-up (models, provider, machine, date, commit, seed), a table
 * of every configuration's figures, the gate against the benchmark, the items where they
 * disagree, MT-Bench's categories and judge agreement when present, and the plots (Vega-Lite,
 * rendered to SVG in Node). A plot whose data is empty is left out with a note saying why.
 *
 * @param summary - `summary.json` of the run.
 * @param results - The lines of `results.jsonl`, for the items where the gate and the benchmark disagree.
 * @returns The Markdown (linking `plots/<name>.svg`), the self-contained HTML (plots inline), the charts, and the charts left out.
 *
 * @example
 * ```ts
 * const { markdown, charts } = await renderReport(summary, results);
 * ```
 */
export async function renderReport(summary: BenchSummary, results: readonly BenchResult[]): Promise<RenderedReport> {
  const title = `TinyLLM bench: ${suiteTitles[summary.suite]}`;
  const { charts, omitted, order } = await drawCharts(summary);
  const chartBlocks = order.flatMap((name): ReportBlock[] => {
    const chart = charts.find((c) => c.name === name);
    if (chart) return [{ kind: "chart", chart }];
    const left = omitted.find((c) => c.name === name);
    return left ? [{ kind: "omitted", chart: left }] : [];
  });
  const blocks: ReportBlock[] = [
    { kind: "heading", level: 1, text: title },
    {
      kind: "paragraph",
      text: [
        { strong: "How to read this: " },
        `in ${suiteTitles[summary.suite]}, ${passMeaning[summary.suite]} Accuracy is the share of scored items that passed, with its Wilson 95% interval; latency is each configuration's wall time per item, scoring not included; cost is tokens weighted per tier.`,
      ],
    },
    ...setupSection(summary),
    ...resultsSection(summary),
    ...frontierBlocks(summary),
    ...categorySection(summary),
    ...judgeSection(summary),
    ...gateSection(summary),
    ...disagreementsSection(results),
    { kind: "heading", level: 2, text: "Plots" },
    ...chartBlocks,
  ];
  return { markdown: blocksToMarkdown(blocks), html: blocksToHtml(title, blocks), charts, omitted };
}

/**
 * Renders the report and writes it into `dir`: `report.md`, `report.html`, and each chart as
 * `plots/<name>.svg` (the Markdown links them by that relative path). A plot left out this time
 * has its old file, if any, removed.
 *
 * @param dir - The run's output folder; created if missing.
 * @returns The paths written.
 *
 * @example
 * ```ts
 * const { htmlFile } = await writeReport("bench-out/gsm8k", summary, results);
 * ```
 */
export async function writeReport(dir: string, summary: BenchSummary, results: readonly BenchResult[]): Promise<WrittenReport> {
  const report = await renderReport(summary, results);
  const plots = join(dir, "plots");
  await mkdir(plots, { recursive: true });
  const plotFiles = await Promise.all(
    report.charts.map(async (chart) => {
      const file = join(plots, `${chart.name}.svg`);
      await writeFile(file, chart.svg);
      return file;
    }),
  );
  await Promise.all(report.omitted.map((chart) => rm(join(plots, `${chart.name}.svg`), { force: true })));
  const markdownFile = join(dir, "report.md");
  const htmlFile = join(dir, "report.html");
  await writeFile(markdownFile, report.markdown);
  await writeFile(htmlFile, report.html);
  return { markdownFile, htmlFile, plotFiles };
}
