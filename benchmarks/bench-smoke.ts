/**
 * Runs every benchmark of this folder in smoke mode, one after the other: each `bench:*` script
 * of package.json with `--smoke` (few rounds, few items). Fails when one exits non-zero, runs
 * longer than `--timeout-s` (default 300), or does not end with its JSON line. It checks that
 * each benchmark runs, not its figures.
 *
 *   pnpm bench:smoke [--only executor,routing] [--timeout-s 300]
 *
 * Needs the packages built (`pnpm build`). Runs without ../shared: the models benchmark then
 * uses a generated test model, the grading benchmark its built-in sample.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { flag } from "./executor/stats";

const here = import.meta.dirname;
const scripts = (JSON.parse(readFileSync(path.join(here, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? "").split(",").map((name) => name.replace(/^bench:/, ""))) : undefined;
const timeoutMs = flag("timeout-s", 300) * 1000;

const benches = Object.entries(scripts)
  .filter(([name]) => name.startsWith("bench:") && name !== "bench:smoke")
  .map(([name, command]) => ({ name: name.slice("bench:".length), command }))
  .filter((bench) => !only || only.has(bench.name));
if (benches.length === 0) {
  process.stderr.write(
    `error: no benchmark matches --only ${[...(only ?? [])].join(",")}\n  → names: ${Object.keys(scripts)
      .filter((n) => n.startsWith("bench:") && n !== "bench:smoke")
      .join(", ")}\n`,
  );
  process.exit(2);
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs one package script with `--smoke`, with this folder's and the root's node_modules/.bin on PATH (as pnpm would). */
function run(command: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const bin = [path.join(here, "node_modules/.bin"), path.join(here, "../node_modules/.bin")];
    const child = spawn("sh", ["-c", `${command} --smoke`], {
      cwd: here,
      env: { ...process.env, BENCH_SMOKE: "1", PATH: [...bin, process.env.PATH ?? ""].join(path.delimiter) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      // The shell and everything it started.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The last non-empty stdout line when it is a JSON object. */
function jsonLine(stdout: string): Record<string, unknown> | undefined {
  const last = stdout.trimEnd().split("\n").at(-1)?.trim() ?? "";
  try {
    const value: unknown = JSON.parse(last);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const tail = (text: string, lines: number) =>
  text
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join("\n");

const started = performance.now();
const failures: string[] = [];
for (const bench of benches) {
  process.stdout.write(`bench:${bench.name} --smoke … `);
  const t = performance.now();
  const outcome = await run(bench.command);
  const seconds = ((performance.now() - t) / 1000).toFixed(1);
  const json = jsonLine(outcome.stdout);
  const problem = outcome.timedOut
    ? `did not finish in ${timeoutMs / 1000} s`
    : outcome.code !== 0
      ? `exited with ${outcome.code ?? outcome.signal}`
      : json === undefined
        ? "printed no JSON line last"
        : undefined;
  if (problem === undefined) {
    process.stdout.write(`ok in ${seconds} s\n    ${JSON.stringify(json)}\n`);
    continue;
  }
  failures.push(bench.name);
  process.stdout.write(
    `FAILED in ${seconds} s: ${problem}\n  stdout (last lines):\n${tail(outcome.stdout, 15)}\n  stderr (last lines):\n${tail(outcome.stderr, 25)}\n`,
  );
}
const total = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `bench:smoke: ${benches.length - failures.length} of ${benches.length} benchmarks ran in ${total} s${failures.length > 0 ? `; failed: ${failures.join(", ")}` : ""}\n`,
);
process.exitCode = failures.length > 0 ? 1 : 0;
