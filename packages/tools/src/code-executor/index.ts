export { CodeErrorCode } from "./code-error-code";
export type {
  CodeAssertSuite,
  CodeCaseSuite,
  CodeExecutor,
  CodeExecutorOptions,
  CodeExecutorStats,
  CodeIsolation,
  CodeRunError,
  CodeRunFailure,
  CodeRunOptions,
  CodeRunResult,
  CodeRunSuccess,
  CodeTestCase,
  CodeTestOptions,
  CodeTestReport,
  CodeTestResult,
  CodeTestSuite,
} from "./code-executor";
export { createCodeExecutor } from "./create-code-executor";
export { createCodeExecutorTool } from "./code-executor-tool";
export type { CodeExecutorToolInput, CodeExecutorToolOptions, CodeExecutorToolOutput } from "./code-executor-tool";
export { hasNoNodeSnapshotFlag } from "./load-isolated-vm";
