import { formatGraphProblem, loadGraphFile, streamGraph } from "@tinyllm/core";
import { CliError } from "../cli-error";
import { printJson } from "../output";
import { printRunResult } from "../print-run-result";
import { createRegistry, promptsDirFor, rubricsDirFor } from "../registry";

/** Options of `tinyllm graph run`. */
export interface GraphRunOptions {
  input?: string;
  state?: string;
  deadline?: string;
  json?: boolean;
  trace?: boolean;
}

/** `tinyllm graph run FILE --input TEXT`: runs any graph and prints its output. */
export async function graphRun(file: string, options: GraphRunOptions): Promise<number> {
  let state: Record<string, unknown> | undefined;
  if (options.state !== undefined) {
    try {
      const parsed = JSON.parse(options.state) as unknown;
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      state = parsed as Record<string, unknown>;
    } catch {
      throw new CliError("--state must be a JSON object", 2, `for example --state '{"goal": 3}'`);
    }
  }
  const deadlineMs = options.deadline !== undefined ? Number(options.deadline) : undefined;
  if (deadlineMs !== undefined && (!Number.isInteger(deadlineMs) || deadlineMs <= 0)) {
    throw new CliError("--deadline must be a positive whole number of milliseconds", 2);
  }
  const loaded = await loadGraphFile(file, { registry: await createRegistry({ promptsDir: promptsDirFor(file, undefined), rubricsDir: rubricsDirFor(file) }) });
  if (!loaded.ok) {
    if (options.json) printJson({ ok: false, file, problems: loaded.problems });
    else for (const problem of loaded.problems) process.stderr.write(`${formatGraphProblem(problem)}\n`);
    return 1;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const stream = streamGraph(loaded.graph, {
    input: options.input ?? "",
    ...(state ? { state } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    abortSignal: controller.signal,
  });
  let streamed = false;
  for await (const event of stream) {
    if (!options.json && event.type === "token-delta") {
      process.stdout.write(event.text);
      streamed = true;
    }
  }
  process.removeListener("SIGINT", onSigint);
  const result = await stream.result;
  return printRunResult(result, { ...options, streamed });
}
