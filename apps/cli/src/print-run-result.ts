import type { RunResult } from "@tinyllm/core";
import { formatTrace } from "./format-trace";
import { printJson } from "./output";

/**
 * Prints how a run ended: the result and trace as JSON with `json`; otherwise the output
 * (unless it was already streamed), the error with its hint, and the span tree with `trace`.
 * Returns the exit code.
 */
export function printRunResult(result: RunResult, { json, trace, streamed }: { json?: boolean; trace?: boolean; streamed: boolean }): number {
  if (json) {
    printJson(result);
  } else {
    if (result.status === "ok") {
      if (!streamed && result.output !== undefined)
        process.stdout.write(typeof result.output === "string" ? result.output : JSON.stringify(result.output, null, 2));
      process.stdout.write("\n");
    } else {
      process.stderr.write(
        `${streamed ? "\n" : ""}run ${result.status}: ${result.error?.message ?? ""}${result.error?.nodeId ? ` (node '${result.error.nodeId}')` : ""}\n`,
      );
      if (result.error?.hint) process.stderr.write(`  → ${result.error.hint}\n`);
    }
    if (trace) process.stderr.write(`${formatTrace(result.trace)}\n`);
  }
  return result.status === "ok" ? 0 : 1;
}
