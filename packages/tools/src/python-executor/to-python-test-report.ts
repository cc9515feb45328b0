import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunError, CodeTestReport, CodeTestResult } from "../code-executor/code-executor";
import type { PythonJobOutcome, PythonStepResult } from "./python-job-protocol";
import { endToRunError, stepToRunError } from "./to-python-run-error";
import type { PythonResultContext } from "./to-python-run-error";
import { outputOf, throwIfNotStarted } from "./to-python-run-result";
import { summarizeTestReport } from "../code-executor/summarize-test-report";

function notRun(why: string, cause: CodeRunError): CodeRunError {
  return { code: cause.code, message: `not run: ${why} (${cause.message})` };
}

/**
 * Turns what a test job reported into the public {@link CodeTestReport}. When the process ended
 * early (killed at a limit, crashed, ended by the code), the test that was running gets the reason
 * and the ones after it are marked as not run.
 *
 * @internal
 */
export function toPythonTestReport(outcome: PythonJobOutcome, context: PythonResultContext, names: string[], durationMs: number): CodeTestReport {
  throwIfNotStarted(outcome);
  const { stdout, truncated } = outputOf(outcome.events, context.maxOutputChars);
  let load: PythonStepResult | undefined;
  let fatal: PythonStepResult | undefined;
  let done = false;
  const cases = new Map<number, PythonStepResult>();
  for (const event of outcome.events) {
    if (event.e === "load") load ??= event.r;
    else if (event.e === "case" && Number.isInteger(event.i) && !cases.has(event.i)) cases.set(event.i, event.r);
    else if (event.e === "fatal") fatal ??= event.r;
    else if (event.e === "done") done = true;
  }
  // Why the process stopped before reporting everything, when it did.
  const ended: CodeRunError | undefined = fatal ? stepToRunError(fatal, context) : done ? undefined : endToRunError(outcome, context);
  // Killed by the host or crashed: the whole job stopped, wherever it was.
  const wholeJob = outcome.stopped !== undefined || (!done && !fatal && outcome.signal !== null && outcome.signal !== "SIGKILL" && outcome.signal !== "SIGXCPU");

  let loadError: CodeRunError | undefined;
  const results: CodeTestResult[] = [];
  if (!load || load.k !== "ok") {
    const error = load ? stepToRunError(load, context) : (ended as CodeRunError);
    if (load || !wholeJob) loadError = error;
    const why = loadError ? "the code failed to load" : "the sandbox stopped";
    for (const name of names) results.push({ name, passed: false, error: notRun(why, error) });
  } else {
    let stopper: CodeRunError | undefined;
    names.forEach((name, index) => {
      const result = cases.get(index);
      if (result?.k === "ok") {
        results.push({ name, passed: true });
        return;
      }
      if (result) {
        const error = stepToRunError(result, context);
        if (result.k === "timeout" || result.k === "stall" || result.k === "cpu" || result.k === "memory") stopper = error;
        results.push({ name, passed: false, ...(result.expected !== undefined ? { expected: result.expected } : {}), ...(result.actual !== undefined ? { actual: result.actual } : {}), error });
        return;
      }
      if (!stopper && ended) {
        // The test that was running when the process stopped.
        stopper = ended;
        results.push({ name, passed: false, error: ended });
        return;
      }
      const cause: CodeRunError = stopper ?? ended ?? { code: CodeErrorCode.Runtime, message: "the harness did not run it" };
      results.push({ name, passed: false, error: notRun(wholeJob ? "the sandbox stopped" : "an earlier test stopped the sandbox", cause) });
    });
  }
  return summarizeTestReport(results, { loadError, stdout, truncated, durationMs });
}
