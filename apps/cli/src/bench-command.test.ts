import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testChromiumLaunchOptions } from "../../../scripts/browser-testing/test-chromium";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
/** Hand-written items in the real data sets' formats (the data sets themselves are never committed). */
const data = path.resolve(here, "../../../packages/bench/test-data");
let dir: string;
let modelFile: string;

function env(): NodeJS.ProcessEnv {
  const vars: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" };
  delete vars.NODE_OPTIONS;
  delete vars.TINYLLM_MODEL_FILE;
  delete vars.TINYLLM_VERDICTS;
  return vars;
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env: env(), timeout: 900_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Line {
  config: string;
  item: string;
  answer: string;
  pass: boolean | null;
  score: number | null;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  route?: string;
  tier?: string;
  retries: number;
  escalations: number;
}

async function lines(file: string): Promise<Line[]> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Line);
}

/** A result without its timing, which a replay cannot reproduce. */
const withoutTiming = ({ latencyMs: _latency, ...rest }: Line) => rest;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-bench-cli-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tinyllm bench on the embedded story model", () => {
  const suites = [
    { suite: "gsm8k", baseline: true },
    { suite: "humaneval", baseline: true },
    { suite: "mbpp", baseline: true },
    { suite: "mt_bench", baseline: true },
    { suite: "routing", baseline: false },
  ];

  for (const { suite, baseline } of suites) {
    it(`${suite}: runs the graph${baseline ? " and a T1 baseline" : ""} on 3 items, writes results, summary and report, and replays them identically with no model`, async () => {
      const common = ["bench", "--suite", suite, "--data", data, "--limit", "3", ...(baseline ? ["--baseline", "T1"] : []), "--json"];
      const recorded = await cli([...common, "--model-file", modelFile, "--record", `${suite}.db`, "--out", `rec-${suite}`]);
      expect(recorded.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(recorded.code).toBe(0);
      const summary = JSON.parse(recorded.stdout) as {
        suite: string;
        items: number;
        configs: { config: string; items: number; accuracy: { rate: number; low: number; high: number } }[];
        environment: { provider: string; models: Record<string, string>; machine: { cpu: string; cores: number } };
        files: Record<string, string>;
      };
      expect(summary.suite).toBe(suite);
      expect(summary.items).toBe(3);
      expect(summary.configs.map((c) => c.config)).toEqual(baseline ? ["graph", "T1"] : ["graph"]);
      for (const config of summary.configs) {
        expect(config.items).toBe(3);
        expect(config.accuracy.low).toBeLessThanOrEqual(config.accuracy.rate);
        expect(config.accuracy.high).toBeGreaterThanOrEqual(config.accuracy.rate);
      }
      expect(summary.environment.provider).toMatch(/llama/);
      expect(summary.environment.machine.cores).toBeGreaterThan(0);
      if (suite === "mt_bench") expect(summary.environment.models["judge"]).toBeDefined();
      for (const file of Object.values(summary.files)) expect(existsSync(file)).toBe(true);
      const results = await lines(path.join(dir, `rec-${suite}`, "results.jsonl"));
      expect(results).toHaveLength(baseline ? 6 : 3);
      for (const result of results) {
        expect(typeof result.answer).toBe("string");
        expect([true, false, null]).toContain(result.pass);
        expect(result.latencyMs).toBeGreaterThan(0);
        // A graph's answer may come from a tool with no model call (the calculator answering "17% of 340").
        if (result.config !== "graph") expect(result.tokensIn + result.tokensOut).toBeGreaterThan(0);
      }
      const graphLines = results.filter((r) => r.config === "graph");
      expect(graphLines.every((r) => typeof r.route === "string")).toBe(true);
      if (suite === "routing") expect(graphLines.every((r) => r.pass !== null)).toBe(true);
      const html = await readFile(path.join(dir, `rec-${suite}`, "report.html"), "utf8");
      expect(html).toContain("<svg");
      const markdown = await readFile(path.join(dir, `rec-${suite}`, "report.md"), "utf8");
      // The story model writes no rating MT-Bench's judge format accepts, so there a chart of accuracy
      // has nothing to show and is left out with a note; elsewhere it is drawn.
      if (suite === "mt_bench") expect(markdown).toMatch(/plots\/[a-z-]+\.svg|Chart left out/);
      else expect(markdown).toMatch(/plots\/accuracy\.svg/);

      const replayed = await cli([...common, "--replay", `${suite}.db`, "--out", `replay-${suite}`]);
      expect(replayed.code).toBe(0);
      const again = await lines(path.join(dir, `replay-${suite}`, "results.jsonl"));
      expect(again.map(withoutTiming)).toEqual(results.map(withoutTiming));
    }, 900_000);
  }

  it("resumes: a second run over the same folder makes no answer again", async () => {
    const args = ["bench", "--suite", "gsm8k", "--data", data, "--limit", "3", "--baseline", "T1", "--replay", "gsm8k.db", "--out", "replay-gsm8k", "--json"];
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { resumed: number }).resumed).toBe(6);
    expect(await lines(path.join(dir, "replay-gsm8k", "results.jsonl"))).toHaveLength(6);
  }, 300_000);

  it("stops on Ctrl-C keeping the answers made, writes the report of those, and resumes from them", async () => {
    const out = "interrupted";
    const child = spawn(
      process.execPath,
      [bin, "bench", "--suite", "gsm8k", "--data", data, "--limit", "3", "--baseline", "T1", "--replay", "gsm8k.db", "--concurrency", "1", "--out", out],
      {
        cwd: dir,
        env: env(),
      },
    );
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/\b1\/6 answers/.test(stderr)) resolve();
      });
      child.once("exit", () => resolve());
    });
    child.kill("SIGINT");
    const code = await exited;
    const made = await lines(path.join(dir, out, "results.jsonl"));
    if (code === 0) {
      // The replay is fast: the run can end before the signal lands. Then all six are there.
      expect(made).toHaveLength(6);
    } else {
      expect(code).toBe(130);
      expect(stderr).toMatch(/run the same command again to resume/);
      expect(made.length).toBeGreaterThanOrEqual(1);
      expect(made.length).toBeLessThan(6);
      expect(existsSync(path.join(dir, out, "report.html"))).toBe(true);
    }
    const resumed = await cli([
      "bench",
      "--suite",
      "gsm8k",
      "--data",
      data,
      "--limit",
      "3",
      "--baseline",
      "T1",
      "--replay",
      "gsm8k.db",
      "--out",
      out,
      "--json",
    ]);
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.stdout) as { resumed: number }).resumed).toBe(made.length);
    const all = await lines(path.join(dir, out, "results.jsonl"));
    expect(all.map(withoutTiming).sort((a, b) => (a.config + a.item).localeCompare(b.config + b.item))).toEqual(
      (await lines(path.join(dir, "replay-gsm8k", "results.jsonl"))).map(withoutTiming).sort((a, b) => (a.config + a.item).localeCompare(b.config + b.item)),
    );
  }, 300_000);

  it("says what to do on bad flags and missing data, with no stack trace", async () => {
    const noSuite = await cli(["bench", "--data", data]);
    expect(noSuite.code).toBe(2);
    expect(noSuite.stderr).toMatch(/--suite is required/);
    const badSuite = await cli(["bench", "--suite", "hellaswag", "--data", data]);
    expect(badSuite.code).toBe(2);
    const noData = await cli(["bench", "--suite", "gsm8k"]);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/--data/);
    const missing = await cli(["bench", "--suite", "gsm8k", "--data", "nowhere", "--replay", "gsm8k.db"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no data file at .*gsm8k\/test\.jsonl/);
    expect(missing.stderr).toMatch(/--data must point at/);
    const routingBaseline = await cli(["bench", "--suite", "routing", "--data", data, "--baseline", "T1", "--replay", "routing.db"]);
    expect(routingBaseline.code).toBe(1);
    expect(routingBaseline.stderr).toMatch(/leave out --baseline/);
    const badLimit = await cli(["bench", "--suite", "gsm8k", "--data", data, "--limit", "zero"]);
    expect(badLimit.code).toBe(2);
    const badCost = await cli(["bench", "--suite", "gsm8k", "--data", data, "--cost", "T1:3"]);
    expect(badCost.code).toBe(2);
    expect(badCost.stderr).toMatch(/TIER=WEIGHT/);
    for (const result of [noSuite, badSuite, noData, missing, routingBaseline, badLimit, badCost]) expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 300_000);
  it("measures the MT-Bench judge against given judgments (--judgments), and says when the file is missing", async () => {
    const judgments = [
      {
        question_id: 1,
        model: "m",
        judge: ["gpt-4", "single-v1"],
        user_prompt: "[Question]\nWrite a note.\n\n[The Start of Assistant's Answer]\nThanks!\n[The End of Assistant's Answer]",
        score: 7,
        turn: 1,
      },
      {
        question_id: 2,
        model: "m",
        judge: ["gpt-4", "single-math-v1"],
        user_prompt: "[Question]\nWhat is 15% of 240?\n\n[The Start of Assistant's Answer]\n36\n[The End of Assistant's Answer]",
        score: 10,
        turn: 1,
      },
    ];
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(dir, "judgments.jsonl"), judgments.map((j) => JSON.stringify(j)).join("\n"));
    const args = [
      "bench",
      "--suite",
      "mt_bench",
      "--data",
      data,
      "--limit",
      "1",
      "--no-graph-run",
      "--baseline",
      "T1",
      "--model-file",
      modelFile,
      "--out",
      "judged",
      "--json",
    ];
    const judged = await cli([...args, "--judgments", "judgments.jsonl"]);
    expect(judged.code).toBe(0);
    const summary = JSON.parse(judged.stdout) as { judgeAgreement: { pairs: number; withinOne: number }; configs: { config: string }[] };
    // The story model writes no [[rating]]: no pair can be formed, and the summary says so.
    expect(summary.judgeAgreement.pairs).toBeGreaterThanOrEqual(0);
    expect(summary.judgeAgreement.pairs).toBeLessThanOrEqual(2);
    expect(summary.configs.map((c) => c.config)).toEqual(["T1"]);
    expect(await readFile(path.join(dir, "judged", "report.md"), "utf8")).toMatch(/## Judge agreement/);
    const missing = await cli([...args, "--judgments", "nowhere.jsonl"]);
    expect(missing.code).toBe(1);
    // With --json the error is a JSON object on stdout.
    expect(JSON.parse(missing.stdout)).toMatchObject({
      ok: false,
      error: { code: "BENCH_DATA_MISSING", message: expect.stringMatching(/no judgment file at/) },
    });
    const wrongSuite = await cli(["bench", "--suite", "gsm8k", "--data", data, "--limit", "1", "--judgments", "judgments.jsonl", "--model-file", modelFile]);
    expect(wrongSuite.code).toBe(1);
    expect(wrongSuite.stderr).toMatch(/--judgments is for the mt_bench suite/);
  }, 600_000);
  it("the report of a real run renders in Chromium: every plot an SVG with marks, no error, nothing fetched", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch(testChromiumLaunchOptions("this test"));
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("request", (request) => requests.push(request.url()));
      const file = path.join(dir, "rec-gsm8k", "report.html");
      await page.goto(`file://${file}`);
      const charts = await page.$$eval("[data-chart]", (elements) =>
        elements.map((element) => {
          const svg = element.querySelector("svg");
          const box = svg?.getBoundingClientRect();
          return {
            name: element.getAttribute("data-chart"),
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg ? svg.querySelectorAll("path, rect, circle, line, symbol").length : 0,
          };
        }),
      );
      expect(charts.map((c) => c.name)).toEqual(expect.arrayContaining(["accuracy", "accuracy-latency", "accuracy-cost", "pass-rate-by-tier", "latency-cdf"]));
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(50);
        expect(chart.height).toBeGreaterThan(50);
        expect(chart.marks).toBeGreaterThan(5);
      }
      expect(problems).toEqual([]);
      expect(requests).toEqual([`file://${file}`]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
