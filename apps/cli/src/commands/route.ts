import { readFile } from "node:fs/promises";
import { CliError } from "../cli-error";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import { printGraphProblems } from "../print-problems";

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
    list.push(
      ...text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== ""),
    );
  }
  if (list.length === 0) throw new CliError("no query given", 2, 'pass a query, e.g. tinyllm route "integrate x^2", or --file queries.txt');
  return withRuntime(options, { verdicts: false }, async (runtime) => {
    const { defaultGraphFile } = await import("@tinyllm/runtime");
    const graphFile = runtime.config.graph ?? defaultGraphFile();
    const checked = await runtime.checkGraph(graphFile);
    if (!checked.ok) return printGraphProblems(graphFile, checked.problems, {});
    if (!checked.loaded.graph.nodeList.some((node) => node.kind === "router"))
      throw new CliError(`graph '${checked.loaded.graph.id}' has no router node`, 1, "pass a graph with a node of kind router (--graph)");
    const router = await runtime.router(checked.loaded, { fastOnly: options.fastOnly === true });
    if (!options.fastOnly && !(await runtime.backend().catch(() => undefined))) {
      process.stderr.write("note: no model provider, so queries the fast path is unsure of are decided by it anyway (decidedBy: fast, llmError set)\n");
    }
    for (const query of list) {
      const result = await router.route(query);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ query, ...result })}\n`);
      } else {
        const scores = Object.entries(result.confidences)
          .map(([l, c]) => `${l} ${c.toFixed(2)}`)
          .join(", ");
        process.stdout.write(
          `${result.route}\t${result.decidedBy}\tconfidence ${result.confidence.toFixed(2)}\tlabels ${result.labels.join("+")}\t[${scores}]\t${query}\n`,
        );
      }
    }
    return 0;
  });
}
