import type { BenchEvent, BenchSummary, ConfigSummary } from "@tinyllm/bench";
import { CliError } from "../cli-error";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import { cassetteOf, parseSeed } from "./run";

/** Options of `tinyllm bench`. */
export interface BenchOptions extends ModelFlags {
  suite?: string;
  data?: string;
  limit?: string;
  baseline?: string[];
  graphRun?: boolean;
  concurrency?: string;
  out?: string;
  judge?: string;
  judgments?: string;
  cost?: string;
  seed?: string;
  record?: string;
  replay?: string;
  replayMiss?: string;
  json?: boolean;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a whole number of at least 1 (got '${value}')`, 2);
  return n;
}

/** `--cost T1=3,T3=14` as weights per tier. */
export function parseCostWeights(value: string | undefined): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  const weights: Record<string, number> = {};
  for (const part of value.split(",")) {
    const match = /^\s*(T\d)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (!match) throw new CliError(`--cost: '${part}' is not TIER=WEIGHT`, 2, "e.g. --cost T0=0.5,T1=3,T2=8,T3=14 (cost per 1,000 tokens)");
    weights[match[1]!] = Number(match[2]);
  }
  return weights;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One line per configuration. */
function formatSummary(summary: BenchSummary): string {
  const rows = summary.configs.map((c: ConfigSummary) => [
    c.config,
    c.model,
    `${percent(c.accuracy.rate)} (${percent(c.accuracy.low)}–${percent(c.accuracy.high)}) of ${c.accuracy.scored}`,
    c.meanScore === null ? "-" : String(c.meanScore),
    `${Math.round(c.meanLatencyMs)} ms`,
    `${Math.round(c.p95LatencyMs)} ms`,
    `${c.tokensIn}/${c.tokensOut}`,
    c.cost.toFixed(3),
    String(c.errors),
  ]);
  const header = ["config", "model", "accuracy (95% CI)", "score", "mean", "p95", "tokens in/out", "cost", "errors"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** A progress line on stderr: answers done, pass rate so far, ETA (redrawn on a terminal, every 10% otherwise). */
function progressReporter(quiet: boolean): (event: BenchEvent) => void {
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  let firstNew = 0;
  let lastDecile = -1;
  return (event) => {
    if (quiet) return;
    if (event.type === "start") {
      firstNew = event.resumed;
      if (event.resumed > 0) process.stderr.write(`resuming: ${event.resumed} of ${event.total} answers already in the results file\n`);
      return;
    }
    if (event.type === "end") {
      if (tty) process.stderr.write("\r\x1b[K");
      return;
    }
    const { done, total, passed, scored } = event;
    const made = done - firstNew;
    const elapsed = (performance.now() - started) / 1000;
    const eta = made > 0 ? ((total - done) * elapsed) / made : 0;
    const rate = scored > 0 ? `${percent(passed / scored)} pass` : "no score yet";
    const text = `${done}/${total} answers, ${rate}, ETA ${eta < 90 ? `${Math.round(eta)} s` : `${Math.round(eta / 60)} min`}`;
    if (tty) {
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      process.stderr.write(`\r[${"█".repeat(filled)}${" ".repeat(width - filled)}] ${text}\x1b[K`);
    } else {
      const decile = Math.floor((done / Math.max(1, total)) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${text}\n`);
      }
    }
  };
}

/** `tinyllm bench --suite S --data DIR`: the graph against single models on a benchmark suite. */
export async function bench(options: BenchOptions): Promise<number> {
  const { SUITE_NAMES } = await import("@tinyllm/bench");
  if (!options.suite) throw new CliError("--suite is required", 2, `one of: ${SUITE_NAMES.join(", ")}`);
  if (!(SUITE_NAMES as readonly string[]).includes(options.suite))
    throw new CliError(`no suite named '${options.suite}'`, 2, `one of: ${SUITE_NAMES.join(", ")}`);
  if (!options.data)
    throw new CliError("--data is required", 2, "the folder of the data sets, e.g. --data ../shared/bench/datasets (routing: --data benchmarks/routing)");
  const limit = positiveInteger(options.limit, "--limit");
  const concurrency = positiveInteger(options.concurrency, "--concurrency");
  const seed = parseSeed(options.seed);
  const costWeights = parseCostWeights(options.cost);
  const baselines = (options.baseline ?? [])
    .flatMap((b) => b.split(","))
    .map((b) => b.trim())
    .filter((b) => b !== "");
  const outDir = options.out ?? `bench-results/${options.suite}`;
  return withRuntime(options, cassetteOf(options), async (runtime) => {
    const { benchmarkGraph } = await import("@tinyllm/runtime");
    const controller = new AbortController();
    let stops = 0;
    const onSigint = () => {
      stops++;
      if (stops > 1) process.exit(130);
      process.stderr.write("\nstopping: the answers in flight are dropped, what is done is kept (Ctrl-C again to quit at once)\n");
      controller.abort();
    };
    process.on("SIGINT", onSigint);
    try {
      const outcome = await benchmarkGraph(runtime, {
        suite: options.suite!,
        data: options.data!,
        ...(limit !== undefined ? { limit } : {}),
        ...(options.graph ? { graphFile: options.graph } : {}),
        graph: options.graphRun !== false,
        baselines,
        ...(options.judge ? { judgeModel: options.judge } : {}),
        ...(options.judgments ? { judgmentsFile: options.judgments } : {}),
        outDir,
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(costWeights ? { costWeights } : {}),
        ...(seed !== undefined ? { seed } : {}),
        abortSignal: controller.signal,
        onEvent: progressReporter(options.json === true),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...outcome.summary, files: outcome.files, resumed: outcome.resumed, interrupted: outcome.interrupted })}\n`);
      } else {
        process.stdout.write(`${outcome.summary.suite}: ${outcome.summary.items} items, ${outcome.summary.environment.provider}\n`);
        process.stdout.write(`${formatSummary(outcome.summary)}\n`);
        const agreement = outcome.summary.judgeAgreement;
        if (agreement)
          process.stdout.write(
            `judge against the given judgments: ${agreement.pairs} pairs, Pearson ${agreement.pearson ?? "-"}, Spearman ${agreement.spearman ?? "-"}, mean difference ${agreement.meanAbsDiff}, within one point ${percent(agreement.withinOne)}\n`,
          );
        process.stdout.write(
          `results: ${outcome.files.results}\nsummary: ${outcome.files.summary}\nreport:  ${outcome.files.html} (and ${outcome.files.markdown})\n`,
        );
        if (outcome.interrupted) process.stderr.write("stopped before the end: run the same command again to resume\n");
      }
      return outcome.interrupted ? 130 : 0;
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
  });
}
