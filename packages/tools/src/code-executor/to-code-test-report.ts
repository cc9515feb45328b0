import { CodeErrorCode } from "./code-error-code";
import type { CodeRunError, CodeTestReport, CodeTestResult } from "./code-executor";
import { readEnvelope } from "./read-envelope";
import type { SandboxOutcome, SandboxStep } from "./sandbox-protocol";
import { envelopeToError, pendingError, stepToError } from "./to-code-run-error";
import type { ResultContext } from "./to-code-run-error";
import { readResultValue, stdoutOf, throwIfFailed } from "./to-code-run-result";
import { summarizeTestReport } from "./summarize-test-report";

/** A test as the report names it and what it expects. @internal */
export interface NamedCase {
  name: string;
  expected?: unknown;
}

/**
 * Turns what the sandbox reported for a test job into the public {@link CodeTestReport}. Positions
 * after the submitted code's last line belong to `testCode` and are renumbered from its first line.
 *
 * @internal
 */
export function toCodeTestReport(
  outcome: SandboxOutcome,
  context: ResultContext,
  code: string,
  cases: NamedCase[] | "testCode",
  durationMs: number,
): CodeTestReport {
  throwIfFailed(outcome);
  const codeLines = outcome.codeLines ?? code.split("\n").length;
  const place = (error: CodeRunError): CodeRunError => {
    if (error.line === undefined) return error;
    if (error.line <= codeLines) return { ...error, location: "code" };
    if (cases === "testCode" && error.line > codeLines + 1) return { ...error, line: error.line - codeLines - 1, location: "testCode" };
    const { line: _line, column: _column, ...rest } = error;
    return rest;
  };
  /** The error of a step, or undefined when it ran to a verdict. */
  const errorOf = (step: SandboxStep): { error?: CodeRunError; actual?: unknown; passed?: boolean } => {
    if (step.kind !== "done") return { error: place(stepToError(step, context, code) ?? { code: CodeErrorCode.Runtime, message: "not run" }) };
    const envelope = readEnvelope(step.envelope, context);
    if (!envelope) return { error: { code: CodeErrorCode.Runtime, message: "the sandbox returned an unreadable answer" } };
    if (envelope.s === "pending") return { error: pendingError(context) };
    if (envelope.s === "error") return { error: place(envelopeToError(envelope.e ?? { n: "", m: "the code failed" }, context)) };
    const value = readResultValue(envelope.v, context);
    if ("error" in value) return { error: value.error };
    return { actual: value.value, passed: envelope.p === true };
  };

  const { stdout, truncated } = stdoutOf(readEnvelope(outcome.stdoutEnvelope, context), context.maxOutputChars);
  const load = errorOf(outcome.main);
  const results: CodeTestResult[] = [];
  let loadError: CodeRunError | undefined;
  if (cases === "testCode") {
    if (load.error && outcome.main.kind === "syntax" && load.error.location !== "testCode") loadError = load.error;
    results.push(load.error ? { name: "testCode", passed: false, error: load.error } : { name: "testCode", passed: true });
  } else {
    // A crash, the wall-clock limit or an abort stop the whole job, wherever it was.
    const wholeJob = outcome.main.kind === "crashed" || outcome.main.kind === "aborted" || (outcome.main.kind === "timeout" && outcome.main.wall === true);
    if (load.error && !wholeJob) loadError = load.error;
    let stopper: CodeRunError | undefined = load.error;
    const steps = outcome.cases ?? [];
    cases.forEach((testCase, index) => {
      const step = steps[index] ?? { kind: "skipped" };
      const base: CodeTestResult = { name: testCase.name, passed: false, ...("expected" in testCase ? { expected: testCase.expected } : {}) };
      if (step.kind === "skipped") {
        const why = wholeJob ? "the sandbox stopped" : loadError ? "the code failed to load" : "an earlier test stopped the sandbox";
        results.push({
          ...base,
          error: { code: stopper?.code ?? CodeErrorCode.Aborted, message: stopper ? `not run: ${why} (${stopper.message})` : "not run" },
        });
        return;
      }
      const verdict = errorOf(step);
      if (verdict.error) {
        if (step.kind !== "done") stopper = verdict.error;
        results.push({ ...base, error: verdict.error });
      } else results.push({ ...base, passed: verdict.passed === true, actual: verdict.actual });
    });
  }
  return summarizeTestReport(results, { loadError, stdout, truncated, durationMs });
}
