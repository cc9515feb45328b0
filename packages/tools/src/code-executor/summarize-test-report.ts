import type { CodeRunError, CodeTestReport, CodeTestResult } from "./code-executor";

/** A {@link CodeTestReport} from its results: counts, `ok`, and the run's output. @internal */
export function summarizeTestReport(
  results: CodeTestResult[],
  run: { loadError: CodeRunError | undefined; stdout: string; truncated: boolean; durationMs: number },
): CodeTestReport {
  const passed = results.filter((result) => result.passed).length;
  return {
    ok: results.length > 0 && passed === results.length,
    passed,
    failed: results.length - passed,
    total: results.length,
    results,
    ...(run.loadError ? { loadError: run.loadError } : {}),
    stdout: run.stdout,
    truncated: run.truncated,
    durationMs: run.durationMs,
  };
}
