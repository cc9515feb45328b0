/**
 * The graph against single models, through `tinyllm bench` (the built CLI): records a run of a
 * suite, replays it with no model, and checks that the replay gives the same results.
 *
 *   pnpm bench:compare [--suite gsm8k] [--data DIR] [--limit 3] [--baseline T1] [--model-file F] [--smoke]
 *
 * Without --data it uses packages/bench/test-data (hand-written items in the data sets' formats,
 * which measure nothing); with `--data ../shared/bench/datasets` the real data sets. The model is
 * `resolveTestModel()` (the story model) unless --model-file is given, so the accuracies here are
 * near zero: the figures that matter come from a real model (see packages/bench/README.md).
 * `--smoke`: GSM8K, 2 items. The last line is one JSON object.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolveTestModel } from "@tinyllm/models/testing";
import { smoke } from "../executor/stats";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const repo = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repo, "apps/cli/dist/bin.js");
const cwd = process.env.INIT_CWD ?? process.cwd();
const suite = option("suite", "gsm8k");
const data = path.resolve(cwd, option("data", path.join(repo, "packages/bench/test-data")));
const limit = smoke ? "2" : option("limit", "3");
const baseline = option("baseline", "T1");
const modelFile = process.argv.includes("--model-file") ? path.resolve(cwd, option("model-file", "")) : (await resolveTestModel()).path;
const dir = mkdtempSync(path.join(os.tmpdir(), "tinyllm-bench-compare-"));

function cli(args: string[]): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" };
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`tinyllm ${args.join(" ")} failed:\n${stderr.slice(-2000)}`));
      else resolve({ stdout, seconds: (performance.now() - started) / 1000 });
    });
  });
}

interface Summary {
  configs: { config: string; accuracy: { rate: number }; meanLatencyMs: number; cost: number }[];
}

const withoutTiming = (line: string) => {
  const { latencyMs: _latency, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(rest);
};

try {
  const common = ["bench", "--suite", suite, "--data", data, "--limit", limit, ...(suite === "routing" ? [] : ["--baseline", baseline]), "--json"];
  const recorded = await cli([...common, "--model-file", modelFile, "--record", "tape.db", "--out", "recorded"]);
  const replayed = await cli([...common, "--replay", "tape.db", "--out", "replayed"]);
  const first = readFileSync(path.join(dir, "recorded/results.jsonl"), "utf8").trim().split("\n").map(withoutTiming);
  const second = readFileSync(path.join(dir, "replayed/results.jsonl"), "utf8").trim().split("\n").map(withoutTiming);
  const identical = first.length === second.length && first.every((line, i) => line === second[i]);
  const summary = JSON.parse(recorded.stdout) as Summary;
  for (const config of summary.configs)
    process.stdout.write(
      `${config.config}: accuracy ${(config.accuracy.rate * 100).toFixed(1)}%, mean latency ${Math.round(config.meanLatencyMs)} ms, cost ${config.cost}\n`,
    );
  process.stdout.write(`recorded in ${recorded.seconds.toFixed(1)} s, replayed in ${replayed.seconds.toFixed(1)} s, identical: ${identical}\n`);
  const figures: Record<string, unknown> = { suite, items: Number(limit), model: path.basename(modelFile), replay_identical: identical };
  for (const config of summary.configs) figures[`accuracy_${config.config}`] = config.accuracy.rate;
  figures["record_s"] = Number(recorded.seconds.toFixed(2));
  figures["replay_s"] = Number(replayed.seconds.toFixed(2));
  if (smoke) figures["smoke"] = true;
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  if (!identical) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
