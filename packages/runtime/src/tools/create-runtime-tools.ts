import type { Calculator } from "@tinyllm/core";
import {
  calculator as calculatorTool,
  createCalculator,
  createCodeExecutor,
  createCodeExecutorTool,
  createLocalSearch,
  createPythonExecutor,
  createPythonExecutorTool,
  createSearchTool,
  createSearxngSearch,
  createToolRegistry,
  type CodeExecutor,
  type PythonExecutor,
  type Tool,
  type ToolRegistry,
} from "@tinyllm/tools";
import type { ResolvedConfig } from "../config/resolved-config";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTool = Tool<any, any>;

/** The tools a runtime gives graphs, and the sandboxes behind them. */
export interface RuntimeTools {
  /** `calculator`, `run_javascript`, `run_python`, and `search` when configured. */
  tools: ToolRegistry;
  /** The JavaScript sandbox (shared with grading). */
  javascript: CodeExecutor;
  /** The Python sandbox (shared with grading). */
  python: PythonExecutor;
  /** The calculator as grading uses it. */
  calculator: Calculator;
  /** Stops the sandboxes. */
  close(): Promise<void>;
}

/**
 * Builds the tools: the calculator, the JavaScript and Python sandboxes, and search when
 * `search.dir` or `search.searxngUrl` is set, and the `extra` tools (the runtime's `remember`). The sandboxes start on first use, so this costs
 * nothing until code runs.
 */
export function createRuntimeTools(config: Pick<ResolvedConfig, "search">, extra: readonly AnyTool[] = []): RuntimeTools {
  const javascript = createCodeExecutor();
  const python = createPythonExecutor();
  const list: Tool<any, any>[] = [calculatorTool, createCodeExecutorTool(javascript), createPythonExecutorTool(python)]; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (config.search.searxngUrl) list.push(createSearchTool(createSearxngSearch({ baseUrl: config.search.searxngUrl })));
  else if (config.search.dir) list.push(createSearchTool(createLocalSearch({ dir: config.search.dir })));
  list.push(...extra);
  return {
    tools: createToolRegistry(list),
    javascript,
    python,
    calculator: createCalculator(),
    async close() {
      await Promise.all([javascript.dispose(), python.dispose()]);
    },
  };
}
