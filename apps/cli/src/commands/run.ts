import { nodeInfoOf } from "@tinyllm/core";
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
}

/** `tinyllm run "query"`: routes the query through the graph and streams the answer. */
export async function run(query: string, options: RunOptions): Promise<number> {
  if (query.trim() === "") throw new CliError("the query is empty", 2, 'ask something, e.g. tinyllm run "What is 2+2?"');
  const deadlineMs = parseDeadline(options.deadline);
  const seed = parseSeed(options.seed);
  return withRuntime(options, { verdicts: true }, async (runtime) => {
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
        if (event.type === "tool-call") {
          process.stderr.write(`tool ${event.toolName}(${JSON.stringify(event.input)})\n`);
          continue;
        }
        const route = nodeInfoOf(event, "route");
        if (route) {
          const confidence = Math.max(...route.labels.map((label) => route.confidences[label] ?? 0));
          process.stderr.write(
            `route: ${route.route} (labels ${route.labels.join("+")}, decided by ${route.decidedBy}, confidence ${confidence.toFixed(2)})\n`,
          );
        }
        const verdict = nodeInfoOf(event, "verdict");
        if (verdict) {
          if (streamed) process.stdout.write("\n");
          const then =
            verdict.action === "pass"
              ? ""
              : verdict.action === "exhausted"
                ? " → no retry left; the answer is delivered as failed"
                : ` → ${verdict.action} ${verdict.next}${verdict.tier ? ` on ${verdict.tier}` : ""}`;
          const score = verdict.score !== null ? `score ${verdict.score.toFixed(2)}, ` : "";
          process.stderr.write(
            `verdict: ${verdict.pass ? "pass" : "fail"} (${score}decided by ${verdict.decidedBy ?? "no check: no judge was available"})${then}\n`,
          );
        }
      }
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    return printRunResult(await stream.result, { ...options, streamed });
  });
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
