import { TinyLLMError } from "@tinyllm/core";
import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunResult } from "./python-result-types";
import type { PythonEvent, PythonJobOutcome } from "./python-job-protocol";
import { endToRunError, stepToRunError } from "./to-python-run-error";
import type { PythonResultContext } from "./to-python-run-error";

/**
 * Printed output of a run: every event's share, in order, at most `maxOutputChars` in all (a
 * test run has two processes, each capped on its own), with a visible marker when it was cut.
 *
 * @internal
 */
export function outputOf(events: PythonEvent[], maxOutputChars: number): { stdout: string; truncated: boolean } {
  let stdout = events.map((event) => (typeof event.out === "string" ? event.out : "")).join("");
  let truncated = events.some((event) => event.truncated === true);
  if (stdout.length > maxOutputChars) {
    stdout = stdout.slice(0, maxOutputChars);
    truncated = true;
  }
  return { stdout: truncated ? `${stdout}\n… [output truncated at ${maxOutputChars} characters]` : stdout, truncated };
}

/**
 * Throws `CODE_UNAVAILABLE` when the harness never got going (Python failed to start or the
 * harness broke before the code ran), unless the host stopped it (abort, wall clock) first.
 *
 * @internal
 */
export function throwIfNotStarted(outcome: PythonJobOutcome): void {
  if (outcome.spawnError !== undefined) {
    throw new TinyLLMError({
      code: CodeErrorCode.Unavailable,
      message: `could not start Python: ${outcome.spawnError}`,
      hint: "Install Python 3 (3.8 or newer) or set pythonPath.",
      isRetryable: true,
    });
  }
  if (outcome.stopped || outcome.events.some((event) => event.e === "ready")) return;
  const detail = outcome.stderr.trim().split("\n").slice(-3).join(" | ") || (outcome.signal ?? `exit code ${outcome.exitCode ?? "unknown"}`);
  throw new TinyLLMError({ code: CodeErrorCode.Unavailable, message: `the Python sandbox did not start: ${detail}`, isRetryable: true });
}

/**
 * Turns what a `run` job reported into the public {@link CodeRunResult}.
 *
 * @internal
 */
export function toPythonRunResult(outcome: PythonJobOutcome, context: PythonResultContext, durationMs: number): CodeRunResult {
  throwIfNotStarted(outcome);
  const { stdout, truncated } = outputOf(outcome.events, context.maxOutputChars);
  const end = outcome.events.find((event) => event.e === "load" || event.e === "fatal");
  if (end && (end.e === "load" || end.e === "fatal")) {
    if (end.r.k === "ok") return { ok: true, stdout, returnValue: typeof end.r.v === "string" ? end.r.v : undefined, truncated, durationMs };
    return { ok: false, stdout, truncated, error: stepToRunError(end.r, context), durationMs };
  }
  return { ok: false, stdout, truncated, error: endToRunError(outcome, context), durationMs };
}
