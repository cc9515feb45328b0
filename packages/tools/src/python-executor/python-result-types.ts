/**
 * The result types the Python executor reports in: the code-runner contract of `@tinyllm/core`,
 * shared with the JavaScript sandbox.
 */
export type { CodeRunError, CodeRunResult, CodeTestReport, CodeTestResult } from "@tinyllm/core";
