/**
 * The shared result types the Python executor reports in, imported here once so the rest of the
 * folder does not depend on where they live.
 *
 * @internal
 */
export type { CodeRunError, CodeRunResult, CodeTestReport, CodeTestResult } from "../code-executor/code-executor";
