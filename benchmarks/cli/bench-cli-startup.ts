/**
 * Start-up time of `tinyllm --help` against a bare `node -e 0` in the same run.
 *
 *   pnpm bench:cli [--rounds 15] [--smoke]
 *
 * Last line: one JSON object with `help_median_ms`, `node_baseline_median_ms` and
 * `overhead_ms` (the CLI's own share). `--smoke`: 2 rounds after 1 warm-up.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, sizeFlag, smoke } from "../executor/stats";

const rounds = sizeFlag("rounds", 15, 2);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../apps/cli/dist/bin.js");

function time(args: string[]): number {
  const start = performance.now();
  execFileSync(process.execPath, args, { stdio: "ignore" });
  return performance.now() - start;
}

for (let i = 0; i < (smoke ? 1 : 3); i++) {
  time([bin, "--help"]);
  time(["-e", "0"]);
}
const help: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < rounds; i++) {
  help.push(time([bin, "--help"]));
  baseline.push(time(["-e", "0"]));
}
const result = {
  help_median_ms: Number(median(help).toFixed(1)),
  node_baseline_median_ms: Number(median(baseline).toFixed(1)),
  overhead_ms: Number((median(help) - median(baseline)).toFixed(1)),
  rounds,
  ...(smoke ? { smoke: true } : {}),
};
console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}tinyllm --help: median ${result.help_median_ms} ms; node -e 0: median ${result.node_baseline_median_ms} ms (${rounds} rounds each, interleaved)`,
);
console.log(JSON.stringify(result));
