import type { ResolvedConfig } from "@tinyllm/models";
import type { CodeExecutor, Tool, ToolRegistry } from "@tinyllm/tools";

/**
 * The tools the CLI gives graphs: the calculator, the JavaScript sandbox, and search when
 * `search.dir` or `search.searxngUrl` is configured. The sandbox's isolates are created on
 * first use, so registering it costs nothing until code runs.
 */
export async function createCliTools(config?: Pick<ResolvedConfig, "search">): Promise<{ tools: ToolRegistry; executor: CodeExecutor; close(): Promise<void> }> {
  const t = await import("@tinyllm/tools");
  const executor = t.createCodeExecutor();
  const list: Tool<any, any>[] = [t.calculator, t.createCodeExecutorTool(executor)]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const search = config?.search;
  if (search?.searxngUrl) list.push(t.createSearchTool(t.createSearxngSearch({ baseUrl: search.searxngUrl })));
  else if (search?.dir) list.push(t.createSearchTool(t.createLocalSearch({ dir: search.dir })));
  return { tools: t.createToolRegistry(list), executor, close: () => executor.dispose() };
}

