import type { ResolvedConfig } from "@tinyllm/models";
import type { CodeExecutor, PythonExecutor, Tool, ToolRegistry } from "@tinyllm/tools";

/**
 * The tools the CLI gives graphs: the calculator, the JavaScript sandbox (`run_javascript`), the
 * Python sandbox (`run_python`), and search when `search.dir` or `search.searxngUrl` is
 * configured. The sandboxes start on first use, so registering them costs nothing until code runs.
 */
export async function createCliTools(config?: Pick<ResolvedConfig, "search">): Promise<{ tools: ToolRegistry; executor: CodeExecutor; python: PythonExecutor; close(): Promise<void> }> {
  const t = await import("@tinyllm/tools");
  const executor = t.createCodeExecutor();
  const python = t.createPythonExecutor();
  const list: Tool<any, any>[] = [t.calculator, t.createCodeExecutorTool(executor), t.createPythonExecutorTool(python)]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const search = config?.search;
  if (search?.searxngUrl) list.push(t.createSearchTool(t.createSearxngSearch({ baseUrl: search.searxngUrl })));
  else if (search?.dir) list.push(t.createSearchTool(t.createLocalSearch({ dir: search.dir })));
  return {
    tools: t.createToolRegistry(list),
    executor,
    python,
    async close() {
      await Promise.all([executor.dispose(), python.dispose()]);
    },
  };
}

