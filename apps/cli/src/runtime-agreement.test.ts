import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunResult, Span } from "@tinyllm/core";
import { resolveTestModel } from "@tinyllm/models/testing";
import { createRuntime, type Runtime } from "@tinyllm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let dir: string;
let modelFile: string;
let runtime: Runtime;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-agree-"));
  runtime = await createRuntime({ cwd: dir, env: {}, flags: { modelFile, provider: "llama", threads: 1 }, verdictStore: false });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

function cliRun(query: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? "", HOME: dir, TINYLLM_VERDICTS: path.join(dir, "cli-verdicts.db") };
    execFile(
      process.execPath,
      [bin, "run", query, "--json", "--provider", "llama", "--model-file", modelFile, "--threads", "1", "--seed", "7"],
      { cwd: dir, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && !stdout) reject(new Error(`tinyllm run failed: ${stderr}`));
        else resolve(JSON.parse(stdout) as RunResult);
      },
    );
  });
}

/** The trace's shape: each span as depth, kind and name, in order. Timings, texts and ids differ between runs. */
function shape(spans: Span[]): string[] {
  const depth = new Map<string, number>();
  return spans.map((span) => {
    const level = span.parentId ? (depth.get(span.parentId) ?? 0) + 1 : 0;
    depth.set(span.id, level);
    return `${"  ".repeat(level)}${span.kind} ${span.kind === "model" ? "" : span.name}`.trimEnd();
  });
}

const verdictOf = (result: RunResult) => {
  const verdict = result.state.verdict as { pass: boolean; decidedBy: string | null; action: string; history: unknown[] } | undefined;
  return verdict && { pass: verdict.pass, decidedBy: verdict.decidedBy, action: verdict.action, attempts: verdict.history.length };
};

// The specialists sample (temperature 0.2), so both sides use one seed: without it the number of
// tool calls the model makes differs between any two runs, through the CLI or not.
describe("the CLI and the runtime agree", () => {
  // One query the calculator answers before any model, one the model answers and the gate sends back twice.
  it.each(["What is 2+2?", "Write a Python function to check if a number is prime"])(
    "on %s: same route, verdict and trace shape",
    async (query) => {
      const [fromCli, fromRuntime] = [await cliRun(query), await runtime.run(query, { sampling: { seed: 7 } })];
      expect(fromCli.status).toBe(fromRuntime.status);
      expect(fromCli.state.route).toBeDefined();
      expect(fromCli.state.route).toBe(fromRuntime.state.route);
      expect(verdictOf(fromCli)).toBeDefined();
      expect(verdictOf(fromCli)).toEqual(verdictOf(fromRuntime));
      expect(shape(fromCli.trace.spans)).toEqual(shape(fromRuntime.trace.spans));
    },
    240_000,
  );
});
