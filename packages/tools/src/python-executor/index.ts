export type {
  PythonAssertSuite,
  PythonAvailability,
  PythonCheckSuite,
  PythonExecutor,
  PythonExecutorOptions,
  PythonNetworkIsolation,
  PythonRunOptions,
  PythonTestSuite,
} from "./python-executor";
export { createPythonExecutor } from "./create-python-executor";
export { createPythonExecutorTool } from "./python-executor-tool";
export type { PythonExecutorToolInput, PythonExecutorToolOptions, PythonExecutorToolOutput } from "./python-executor-tool";
