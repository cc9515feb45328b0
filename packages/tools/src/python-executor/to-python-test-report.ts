import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunError, CodeTestReport, CodeTestResult } from "./python-result-types";
import type { PythonStepResult, PythonTestsOutcome } from "./python-job-protocol";
import { endToRunError, stepToRunError } from "./to-python-run-error";
import type { PythonResultContext } from "./to-python-run-error";
import { outputOf, throwIfNotStarted } from "./to-python-run-result";
import { summarizeTestReport } from "../code-executor/summarize-test-report";

const TESTS_PROCESS = "the tests' Python process";
const STOPPERS = new Set<PythonStepResult["k"]>(["timeout", "stall", "cpu", "memory", "ended", "protocol"]);

function notRun(why: string, cause: CodeRunError): CodeRunError {
  return { code: cause.code, message: `not run: ${why} (${cause.message})` };
}

/**
 * Turns what a test run reported into the public {@link CodeTestReport}. Whether the code loaded
 * comes from the answer server; everything about the tests, only from the tests runner. When a
 * process ended early (killed at a limit, crashed, ended by the code), the test that was running
 * gets the reason and the ones after it are marked as not run. When the code's process broke the
 * call protocol (a reply to another call, a malformed one), no test passes.
 *
 * @internal
 */
export function toPythonTestReport(outcome: PythonTestsOutcome, context: PythonResultContext, names: string[], durationMs: number): CodeTestReport {
  const { answer, tests, stopped } = outcome;
  throwIfNotStarted(answer);
  const { stdout, truncated } = outputOf(outcome.events, context.maxOutputChars);
  let load: PythonStepResult | undefined;
  for (const event of answer.events) if (event.e === "load") load ??= event.r;
  if (load?.k === "ok") throwIfNotStarted(tests);

  let setup: PythonStepResult | undefined;
  let fatal: PythonStepResult | undefined;
  let done = false;
  const cases = new Map<number, PythonStepResult>();
  for (const event of tests.events) {
    if (event.e === "setup") setup ??= event.r;
    else if (event.e === "case" && Number.isInteger(event.i) && !cases.has(event.i)) cases.set(event.i, event.r);
    else if (event.e === "fatal") fatal ??= event.r;
    else if (event.e === "done") done = true;
  }
  /** Why the answer server is gone, for a test that called into it then. */
  const answerGone = (): CodeRunError => endToRunError(answer, context);
  /** Why the tests runner stopped before reporting everything, when it did. */
  const ended: CodeRunError | undefined = fatal ? stepToRunError(fatal, context) : done ? undefined : endToRunError(tests, context, TESTS_PROCESS);
  const wholeJob = stopped !== undefined;

  let loadError: CodeRunError | undefined;
  const results: CodeTestResult[] = [];
  const notLoaded = (error: CodeRunError, reported: boolean) => {
    if (reported || !wholeJob) loadError = error;
    const why = loadError ? "the code failed to load" : "the sandbox stopped";
    for (const name of names) results.push({ name, passed: false, error: notRun(why, error) });
  };
  if (!load || load.k !== "ok") {
    notLoaded(load ? stepToRunError(load, context) : answerGone(), load !== undefined);
  } else if (!setup || setup.k !== "ok") {
    notLoaded(setup ? (setup.k === "ended" ? answerGone() : stepToRunError(setup, context)) : (ended ?? answerGone()), setup !== undefined);
  } else {
    let stopper: CodeRunError | undefined;
    names.forEach((name, index) => {
      const result = cases.get(index);
      if (result?.k === "ok") {
        results.push({ name, passed: true });
        return;
      }
      if (result) {
        const error = result.k === "ended" ? answerGone() : stepToRunError(result, context);
        if (STOPPERS.has(result.k)) stopper = error;
        results.push({
          name,
          passed: false,
          ...(result.expected !== undefined ? { expected: result.expected } : {}),
          ...(result.actual !== undefined ? { actual: result.actual } : {}),
          error,
        });
        return;
      }
      if (!stopper && ended) {
        // The test that was running when the tests runner stopped.
        stopper = ended;
        results.push({ name, passed: false, error: ended });
        return;
      }
      const cause: CodeRunError = stopper ?? ended ?? { code: CodeErrorCode.Runtime, message: "the harness did not run it" };
      results.push({ name, passed: false, error: notRun(wholeJob ? "the sandbox stopped" : "an earlier test stopped the sandbox", cause) });
    });
  }
  // A code process that broke the call protocol is not running the harness as written: none of its answers count.
  const brokenCase = [...cases.values()].find((result) => result.k === "protocol");
  const broken = brokenCase ? stepToRunError(brokenCase, context) : undefined;
  if (broken) {
    for (const result of results) {
      if (!result.passed) continue;
      result.passed = false;
      result.error = { ...broken, message: `not counted: ${broken.message}` };
    }
  }
  return summarizeTestReport(results, { loadError, stdout, truncated, durationMs });
}
