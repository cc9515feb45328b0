import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BenchSummary } from "../bench-summary";
import { renderReport, writeReport } from "./render-report";
import { baselinesOnlyFixture, gsm8kFixture, mtBenchFixture } from "./report-fixture";

/** Drawn marks in an SVG: bars, lines, points and rules are paths; a few renderers use rect, circle or symbol. */
const marks = (svg: string) => (svg.match(/<(path|rect|circle|symbol)\b/g) ?? []).length;

const gsm8kCharts = ["accuracy", "accuracy-latency", "accuracy-cost", "pass-rate-by-route", "pass-rate-by-tier", "second-chances", "latency-cdf"];

/** The HTML minus the SVG namespace declarations, which name a URL without loading anything. */
const withoutNamespaces = (html: string) => html.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, "");

describe("renderReport", () => {
  it("should draw every chart of a graph-and-baselines run, each with marks", async () => {
    const { summary, results } = gsm8kFixture();
    const report = await renderReport(summary, results);
    expect(report.charts.map((c) => c.name)).toEqual(gsm8kCharts);
    expect(report.omitted).toEqual([]);
    for (const chart of report.charts) {
      expect(chart.svg.startsWith("<svg"), chart.name).toBe(true);
      expect(marks(chart.svg), chart.name).toBeGreaterThanOrEqual(10);
    }
    const svg = (name: string) => report.charts.find((c) => c.name === name)!.svg;
    for (const config of ["graph", "T1", "T2"]) {
      expect(svg("accuracy")).toContain(`>${config}</text>`);
      expect(svg("accuracy-latency")).toContain(`>${config}</text>`);
    }
    expect(svg("accuracy")).toContain(">62.5%</text>");
    expect(svg("pass-rate-by-route")).toContain(">math</text>");
    expect(svg("pass-rate-by-tier")).toContain(">16/39</text>");
    expect(svg("second-chances")).toContain(">escalated</text>");
  });

  it("should state the set-up: models, provider, machine, date, commit, seed, items, data and graph", async () => {
    const { summary, results } = gsm8kFixture();
    const { markdown } = await renderReport(summary, results);
    expect(markdown).toMatch(/^# TinyLLM bench: GSM8K\n/);
    for (const text of [
      "## Set-up",
      "40 items per configuration, seed 1234",
      "**Provider:** ollama",
      "AMD EPYC 7B13, 2 cores, 7.8 GB memory, GPU: none; Linux 6.1.0 x64; Node v20.20.2",
      "**Date:** 2025-12-05T18:40:00.000Z",
      "`97e93b6c0ffee1234567890abcdef1234567890a`",
      "**Data folder:** `/work/data/gsm8k`",
      "**Graph file:** `graphs/math-router.yaml`",
      "| T1 | baseline | qwen2.5:1.5b |",
      "| T2 | baseline | qwen2.5:7b |",
      "| graph | graph | qwen2.5:1.5b (T1), qwen2.5:7b (T2) |",
      "T1 0.5, T2 3",
    ])
      expect(markdown).toContain(text);
    expect(markdown).toContain("final number equals");
  });

  it("should tabulate each configuration with its interval, the frontiers, the gate and where it disagrees", async () => {
    const { summary, results } = gsm8kFixture();
    const { markdown } = await renderReport(summary, results);
    expect(markdown).toContain("| graph | graph | 40 | 62.5% (47.0–75.8%) | 0.625 | 2.10 s | 3.15 s | 7,980 | 5,940 | 6 | 0 |");
    expect(markdown).toContain("| T1 | baseline | 40 | 41.0% (27.1–56.6%) | 0.410 | 900 ms |");
    expect(markdown).toContain("Pareto frontier, accuracy against mean latency per item: **T1, graph**");
    expect(markdown).toContain("Pareto frontier, accuracy against cost: **T1, T2, graph**");
    expect(markdown).toContain("| graph | 95.2% | 87.0% | 20 | 1 | 3 | 14 | 2 |");
    expect(markdown).toContain("4 items: the gate passed 1 wrong answer and failed 3 right ones.");
    // The model's answer stays one cell, and its markup stays text.
    expect(markdown).toContain(
      "| gsm8k/4 | graph | pass (rules) | fail (final-number) | The total is \\<script\\>alert(1)\\</script\\> \\| 42 \\| apples so the answer is 41 |",
    );
    expect(markdown).not.toMatch(/(?<!\\)<script/i);
    for (const name of gsm8kCharts) expect(markdown).toContain(`](plots/${name}.svg)`);
  });

  it("should show at most ten disagreements, answers clipped to 120 characters", async () => {
    const { summary, results } = gsm8kFixture();
    for (const r of results) if (r.gate && r.pass !== null) r.gate = { pass: !r.pass, decidedBy: "judge" };
    results.find((r) => r.config === "graph" && r.item === "gsm8k/0")!.answer = "word ".repeat(100);
    const { markdown } = await renderReport(summary, results);
    expect(markdown).toContain("40 items: the gate passed 15 wrong answers and failed 25 right ones. The first 10:");
    const rows = markdown.split("\n").filter((line) => /^\| gsm8k\//.test(line));
    expect(rows).toHaveLength(10);
    const clipped = rows
      .find((row) => row.startsWith("| gsm8k/0 |"))!
      .split(" | ")
      .at(-1)!
      .replace(/ \|$/, "");
    expect(clipped).toBe(`${"word ".repeat(23)}word…`);
  });

  it("should escape every user-provided string in the HTML and load nothing", async () => {
    const { summary, results } = gsm8kFixture();
    const evil = '<img src=x onerror="alert(2)">';
    summary.configs[1]!.config = evil;
    summary.environment.models[evil] = "<b>model</b>";
    summary.data = "/data/<i>gsm8k</i>";
    for (const r of results) if (r.config === "T1") r.config = evil;
    const { html, markdown } = await renderReport(summary, results);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("The total is &lt;script&gt;alert(1)&lt;/script&gt; | 42 | apples so the answer is 41");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>model</b>");
    expect(html).not.toContain("<i>gsm8k</i>");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    // Outside code spans (where markup is literal), no tag of theirs is left unescaped.
    expect(markdown.replace(/`[^`]*`/g, "")).not.toMatch(/(?<!\\)<(img|b>|i>)/);
    expect(markdown).toContain("`/data/<i>gsm8k</i>`");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    const page = withoutNamespaces(html);
    expect(page).not.toMatch(/https?:|@import/i);
    expect(page).not.toMatch(/<(img|link|iframe|object|embed|image|use|foreignObject)\b/i);
    expect(page).not.toMatch(/\s(src|href|xlink:href)="(?!#)/i);
    for (const name of gsm8kCharts) expect(html).toMatch(new RegExp(`<figure data-chart="${name}"[^>]*>\\n<svg`));
  });

  it("should leave out the charts a baselines-only run has no data for, with a note saying why", async () => {
    const { summary, results } = baselinesOnlyFixture();
    const report = await renderReport(summary, results);
    expect(report.charts.map((c) => c.name)).toEqual(["accuracy", "accuracy-latency", "accuracy-cost", "pass-rate-by-tier", "latency-cdf"]);
    expect(report.omitted.map((c) => c.name)).toEqual(["pass-rate-by-route", "second-chances"]);
    expect(report.markdown).toContain("*Chart left out: Pass rate by route (graph): no graph configuration ran, only baselines, which take no route.*");
    expect(report.markdown).toContain(
      "*Chart left out: What the gate's retries and escalations bought: no graph configuration ran, so no gate gave second chances.*",
    );
    expect(report.markdown).not.toContain("plots/pass-rate-by-route.svg");
    expect(report.markdown).not.toContain("The gate against the benchmark");
    expect(report.markdown).not.toContain("Where the gate and the benchmark disagree");
    expect(report.html).toContain('<p class="note" data-chart-omitted="pass-rate-by-route">');
    expect(report.html).not.toContain('data-chart="pass-rate-by-route"');
  });

  it("should leave out what an ungated graph without routes cannot show", async () => {
    const { summary, results } = gsm8kFixture();
    const graph = summary.configs[0]!;
    delete graph.secondChances;
    delete graph.gate;
    graph.byRoute = {};
    const report = await renderReport(
      summary,
      results.map(({ gate: _gate, ...r }) => r),
    );
    expect(report.omitted).toEqual([
      { name: "pass-rate-by-route", title: "Pass rate by route (graph)", reason: "the graph recorded no route with a scored item" },
      { name: "second-chances", title: "What the gate's retries and escalations bought", reason: "the graph recorded no second chances (it has no gate)" },
    ]);
  });

  it("should not throw on a summary with nothing in it, and leave every chart out", async () => {
    const { summary } = baselinesOnlyFixture();
    const empty: BenchSummary = { ...summary, items: 0, configs: [], costWeights: {}, environment: { ...summary.environment, models: {} } };
    delete empty.environment.commit;
    const report = await renderReport(empty, []);
    expect(report.charts).toEqual([]);
    expect(report.omitted.map((c) => c.name)).toEqual(gsm8kCharts);
    expect(report.markdown).toContain("No configuration ran.");
    expect(report.markdown).toContain("**Commit:** not recorded");
    expect(report.markdown).toContain("*Chart left out: Accuracy per configuration: the summary has no configuration.*");
    expect(report.html).not.toContain("data-chart=");
    const costless = baselinesOnlyFixture().summary;
    for (const c of costless.configs) c.cost = 0;
    const noCost = await renderReport(costless, []);
    expect(noCost.omitted.map((c) => [c.name, c.reason])).toEqual([
      ["accuracy-cost", "every configuration's cost is 0, so there is nothing to set accuracy against"],
      ["pass-rate-by-route", "no graph configuration ran, only baselines, which take no route"],
      ["second-chances", "no graph configuration ran, so no gate gave second chances"],
    ]);
  });

  it("should add MT-Bench's categories, its pass rule and the judge's agreement", async () => {
    const { summary, results } = mtBenchFixture();
    const report = await renderReport(summary, results);
    const categories = report.charts.find((c) => c.name === "mt-bench-categories");
    expect(categories).toBeDefined();
    expect(marks(categories!.svg)).toBeGreaterThanOrEqual(16);
    expect(report.markdown).toContain("score of at least 8 counts as a pass; the mean score is MT-Bench's own figure");
    expect(report.markdown).toContain("## MT-Bench by category");
    expect(report.markdown).toContain("| roleplay | 9.50 (100.0%) | 8.00 (50.0%) |");
    expect(report.markdown).toContain("| judge | judge | qwen2.5:14b |");
    expect(report.markdown).toContain("| 32 | 0.71 | 0.68 | 1.2 | 66.0% |");
    expect(report.markdown).toContain("](plots/mt-bench-categories.svg)");
  });
});

describe("writeReport", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("should write report.md, report.html and the plots the Markdown links, and drop stale plots", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bench-report-"));
    dirs.push(dir);
    const { summary, results } = gsm8kFixture();
    const written = await writeReport(join(dir, "gsm8k"), summary, results);
    expect(written.markdownFile).toBe(join(dir, "gsm8k", "report.md"));
    expect(written.htmlFile).toBe(join(dir, "gsm8k", "report.html"));
    const markdown = await readFile(written.markdownFile, "utf8");
    const links = [...markdown.matchAll(/!\[[^\]]*\]\((plots\/[^)]+\.svg)\)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(gsm8kCharts.length);
    for (const link of links) {
      const svg = await readFile(join(dir, "gsm8k", link), "utf8");
      expect(marks(svg), link).toBeGreaterThanOrEqual(10);
    }
    expect(written.plotFiles.sort()).toEqual(links.map((link) => join(dir, "gsm8k", link)).sort());
    expect(await readFile(written.htmlFile, "utf8")).toContain('data-chart="latency-cdf"');

    // Written again without a graph: its plots go, the others are rewritten.
    await writeFile(join(dir, "gsm8k", "notes.txt"), "kept");
    const baselines = baselinesOnlyFixture();
    await writeReport(join(dir, "gsm8k"), baselines.summary, baselines.results);
    expect(existsSync(join(dir, "gsm8k", "plots", "second-chances.svg"))).toBe(false);
    expect(existsSync(join(dir, "gsm8k", "plots", "pass-rate-by-route.svg"))).toBe(false);
    expect(existsSync(join(dir, "gsm8k", "plots", "accuracy.svg"))).toBe(true);
    expect(existsSync(join(dir, "gsm8k", "notes.txt"))).toBe(true);
  });
});
