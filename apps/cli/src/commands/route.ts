import { readFile } from "node:fs/promises";
import { formatGraphProblem, loadGraphFile } from "@tinyllm/core";
import type { RouterConfig } from "@tinyllm/models";
import { selectBackend, type Backend } from "../backend/select-backend";
import { CliError } from "../cli-error";
import { loadCliConfig, type ModelFlags } from "../load-cli-config";
import { createRegistry, defaultGraphFile, promptsDirFor, rubricsDirFor } from "../registry";

/** Options of `tinyllm route`. */
export interface RouteOptions extends ModelFlags {
  file?: string;
  json?: boolean;
  fastOnly?: boolean;
}

/** `tinyllm route "query"` / `--file queries.txt`: the graph's router alone. */
export async function route(queries: string[], options: RouteOptions): Promise<number> {
  if (queries.some((q) => q.trim() === "")) throw new CliError("a query is empty", 2, 'ask something, e.g. tinyllm route "integrate x^2"');
  const list = [...queries];
  if (options.file) {
    let text: string;
    try {
      text = await readFile(options.file, "utf8");
    } catch (error) {
      throw new CliError(`cannot read '${options.file}': ${(error as Error).message}`, 1, "pass a text file with one query per line");
    }
    list.push(...text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ""));
  }
  if (list.length === 0) throw new CliError("no query given", 2, 'pass a query, e.g. tinyllm route "integrate x^2", or --file queries.txt');
  const { config } = await loadCliConfig(options);
  const graphFile = options.graph ?? config.graph ?? defaultGraphFile();
  const loaded = await loadGraphFile(graphFile, { registry: await createRegistry({ promptsDir: promptsDirFor(graphFile, config.promptsDir), rubricsDir: rubricsDirFor(graphFile) }) });
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`${formatGraphProblem(problem)}\n`);
    return 1;
  }
  const routerNode = loaded.graph.nodeList.find((n) => n.kind === "router");
  if (!routerNode) throw new CliError(`graph '${loaded.graph.id}' has no router node`, 1, "pass a graph with a node of kind router (--graph)");
  const { createHybridRouter } = await import("@tinyllm/models");
  let backend: Backend | undefined;
  if (!options.fastOnly) {
    try {
      backend = await selectBackend({ config });
    } catch {
      process.stderr.write("note: no model provider, so queries the fast path is unsure of are decided by it anyway (decidedBy: fast, llmError set)\n");
    }
  }
  const routerConfig = routerNode.config as RouterConfig;
  const router = createHybridRouter(options.fastOnly ? { ...routerConfig, llm: "never" } : routerConfig, backend ? { resolveModel: backend.resolveModel } : {});
  try {
    for (const query of list) {
      const result = await router.route(query);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ query, ...result })}\n`);
      } else {
        const scores = Object.entries(result.confidences).map(([l, c]) => `${l} ${c.toFixed(2)}`).join(", ");
        process.stdout.write(`${result.route}\t${result.decidedBy}\tconfidence ${result.confidence.toFixed(2)}\tlabels ${result.labels.join("+")}\t[${scores}]\t${query}\n`);
      }
    }
  } finally {
    await backend?.close();
  }
  return 0;
}
