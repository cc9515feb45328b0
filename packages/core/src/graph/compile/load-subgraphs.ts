import path from "node:path";
import type { CompiledGraph } from "../compiled-graph";
import type { GraphProblem } from "../graph-problem";
import type { CheckedNode } from "./check-nodes";
import type { GraphReporter } from "./graph-reporter";

/** Loads a subgraph file; `stack` holds the files being loaded, to catch a graph that includes itself. @internal */
export type LoadSubgraph = (file: string, stack: string[]) => Promise<{ ok: true; graph: CompiledGraph } | { ok: false; problems: GraphProblem[] }>;

/**
 * Loads the graph of every node whose kind runs another graph (its `subgraph` hook), relative
 * to `baseDir`. A subgraph's problems are listed with its own file. @internal
 */
export async function loadSubgraphs(
  nodes: CheckedNode[],
  { baseDir, stack, loadSubgraph, reporter }: { baseDir: string | undefined; stack: string[]; loadSubgraph: LoadSubgraph; reporter: GraphReporter },
): Promise<Map<string, CompiledGraph>> {
  const subgraphs = new Map<string, CompiledGraph>();
  for (const n of nodes) {
    if (!n.kind?.subgraph || n.config === undefined) continue;
    const ref = n.kind.subgraph(n.config).graph;
    const target = path.resolve(baseDir ?? process.cwd(), ref);
    const where = ["nodes", n.index, "config", "graph"];
    if (stack.includes(target)) {
      reporter.report({
        code: "recursive-subgraph",
        message: `subgraph '${ref}' includes itself (${[...stack, target].map((s) => path.basename(s)).join(" → ")})`,
        hint: "a graph cannot contain itself; use a bounded loop instead",
        path: where,
        nodeId: n.def.id,
      });
      continue;
    }
    const child = await loadSubgraph(target, [...stack, target]);
    if (!child.ok) {
      reporter.problems.push(...child.problems);
      reporter.report({
        code: "invalid-subgraph",
        message: `subgraph '${ref}' is invalid (${child.problems.length} problem${child.problems.length === 1 ? "" : "s"} listed with its file)`,
        hint: "fix the subgraph file",
        path: where,
        nodeId: n.def.id,
      });
      continue;
    }
    subgraphs.set(n.def.id, child.graph);
  }
  return subgraphs;
}
