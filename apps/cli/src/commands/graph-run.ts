import { CliError } from "../cli-error";
import { withRuntime } from "../load-cli-config";
import { printGraphProblems } from "../print-problems";
import { printRunResult } from "../print-run-result";
import { parseDeadline } from "./run";

/** Options of `tinyllm graph run`. */
export interface GraphRunOptions {
  input?: string;
  state?: string;
  deadline?: string;
  json?: boolean;
  trace?: boolean;
}

/**
 * `tinyllm graph run FILE [--input TEXT] [--state JSON]`: runs any graph and prints its output.
 * An `input` field in `--state` is the run's input unless `--input` is given too.
 */
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
  const deadlineMs = parseDeadline(options.deadline);
  const { input: stateInput, ...rest } = state ?? {};
  if (options.input !== undefined && state && "input" in state)
    throw new CliError("the input is given twice: by --input and by the input field of --state", 2, "give one of them");
  const input = options.input ?? (state && "input" in state ? stateInput : "");
  return withRuntime({}, { verdicts: false }, async (runtime) => {
    const checked = await runtime.checkGraph(file);
    if (!checked.ok) return printGraphProblems(file, checked.problems, options);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    const stream = runtime.stream(input, {
      graph: checked.loaded,
      ...(state ? { state: rest } : {}),
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      abortSignal: controller.signal,
    });
    let streamed = false;
    try {
      for await (const event of stream) {
        if (!options.json && event.type === "token-delta") {
          process.stdout.write(event.text);
          streamed = true;
        }
      }
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    return printRunResult(await stream.result, { ...options, streamed });
  });
}
