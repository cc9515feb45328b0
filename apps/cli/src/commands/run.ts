import { describeRunEvent } from "../chat/format-run-events";
import { CliError } from "../cli-error";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import { printGraphProblems } from "../print-problems";
import { printRunResult } from "../print-run-result";

/** Options of `tinyllm run`. */
export interface RunOptions extends ModelFlags {
  json?: boolean;
  trace?: boolean;
  deadline?: string;
  seed?: string;
  record?: string;
  replay?: string;
  replayMiss?: string;
}

/** `tinyllm run "query"`: routes the query through the graph and streams the answer. */
export async function run(query: string, options: RunOptions): Promise<number> {
  if (query.trim() === "") throw new CliError("the query is empty", 2, 'ask something, e.g. tinyllm run "What is 2+2?"');
  const deadlineMs = parseDeadline(options.deadline);
  const seed = parseSeed(options.seed);
  return withRuntime(options, { verdicts: true, ...cassetteOf(options) }, async (runtime) => {
    const { defaultGraphFile } = await import("@tinyllm/runtime");
    const checked = await runtime.checkGraph(runtime.config.graph ?? defaultGraphFile());
    if (!checked.ok) return printGraphProblems(checked.file, checked.problems, options);
    if (checked.loaded.graph.nodeList.some((node) => node.kind === "model")) await runtime.backend().catch(rethrowForPeople);
    if (!options.json) process.stderr.write(`using ${(await runtime.backend().catch(() => undefined))?.description ?? "no model provider"}\n`);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    const stream = runtime.stream(query, {
      graph: checked.loaded,
      abortSignal: controller.signal,
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      ...(seed !== undefined ? { sampling: { seed } } : {}),
    });
    let streamed = false;
    try {
      for await (const event of stream) {
        if (options.json) continue;
        if (event.type === "token-delta") {
          process.stdout.write(event.text);
          streamed = true;
          continue;
        }
        const described = describeRunEvent(event);
        if (!described) continue;
        if (described.kind === "verdict" && streamed) process.stdout.write("\n");
        process.stderr.write(`${described.line}\n`);
      }
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    return printRunResult(await stream.result, { ...options, streamed });
  });
}

/** `--record FILE`, `--replay FILE [--replay-miss live|error]` as the runtime's cassette option. */
export function cassetteOf(options: { record?: string; replay?: string; replayMiss?: string }): {
  cassette?: { path: string; mode: "record" | "replay" | "replay-or-live" };
} {
  if (options.replayMiss !== undefined && options.replayMiss !== "live" && options.replayMiss !== "error")
    throw new CliError(`--replay-miss must be live or error (got '${options.replayMiss}')`, 2);
  if (options.record && options.replay) {
    if (options.record !== options.replay)
      throw new CliError("--record and --replay name different files", 2, "give one cassette: --replay FILE --replay-miss live records the misses into it");
    return { cassette: { path: options.replay, mode: "replay-or-live" } };
  }
  if (options.record) return { cassette: { path: options.record, mode: "record" } };
  if (options.replayMiss !== undefined && !options.replay) throw new CliError("--replay-miss needs --replay FILE", 2);
  if (options.replay) return { cassette: { path: options.replay, mode: options.replayMiss === "live" ? "replay-or-live" : "replay" } };
  return {};
}

/** `--deadline` as milliseconds. */
export function parseDeadline(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const deadlineMs = Number(value);
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) throw new CliError("--deadline must be a positive whole number of milliseconds", 2);
  return deadlineMs;
}

/** `--seed` as a whole number. */
export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new CliError("--seed must be a whole number of at least 0", 2, "e.g. --seed 42");
  return seed;
}

function rethrowForPeople(error: unknown): never {
  const failure = error as { message?: string; hint?: string };
  throw new CliError(failure.message ?? String(error), 1, failure.hint);
}
