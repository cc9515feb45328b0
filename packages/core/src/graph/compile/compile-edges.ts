import type { CompiledEdge } from "../compiled-graph";
import { EdgeDefinitionSchema, type EdgeDefinition } from "../graph-schema";
import { suggest } from "../suggest";
import { schemaIssues } from "../zod-problems";
import type { ConditionCompiler } from "./condition-compiler";
import type { GraphReporter } from "./graph-reporter";

/** An edge with where it was written, until the graph is built. @internal */
export type LocatedEdge = CompiledEdge & { path: (string | number)[]; edgeIndex?: number };

/**
 * Checks and compiles the edges written under `edges`: fields, ends that name nodes, conditions,
 * and no success edge out of a node that picks its next node from its own config. @internal
 */
export function compileEdges(
  rawEdges: unknown[],
  {
    writtenIds,
    derivesEdges,
    conditions,
    reporter,
  }: { writtenIds: ReadonlySet<string>; derivesEdges: ReadonlySet<string>; conditions: ConditionCompiler; reporter: GraphReporter },
): { edges: LocatedEdge[]; definitions: EdgeDefinition[] } {
  const edges: LocatedEdge[] = [];
  const definitions: EdgeDefinition[] = [];
  rawEdges.forEach((rawEdge, edgeIndex) => {
    const parsed = EdgeDefinitionSchema.safeParse(rawEdge);
    if (!parsed.success) {
      for (const issue of schemaIssues(parsed.error, ["edges", edgeIndex], (p) => (p.length === 0 ? Object.keys(EdgeDefinitionSchema.shape) : undefined))) {
        reporter.report({ code: "invalid-edge", ...issue, edgeIndex });
      }
      return;
    }
    const edge = parsed.data;
    definitions.push(edge);
    let dangling = false;
    for (const end of ["from", "to"] as const) {
      if (writtenIds.has(edge[end])) continue;
      dangling = true;
      const close = suggest(edge[end], writtenIds);
      reporter.report({
        code: "dangling-edge",
        message: `edge ${end === "from" ? "starts at" : "points to"} '${edge[end]}', which is not a node${close ? `; did you mean '${close}'?` : ""}`,
        hint: "use the id of a node in `nodes`, or add the node",
        path: ["edges", edgeIndex, end],
        edgeIndex,
      });
    }
    if (edge.on === "success" && derivesEdges.has(edge.from)) {
      reporter.report({
        code: "edge-on-branch",
        message: `'${edge.from}' chooses its next node from its config; this edge would never be taken`,
        hint: "move the target into the node's config (e.g. a branch case), or make it an `on: error` edge",
        path: ["edges", edgeIndex],
        edgeIndex,
      });
    }
    const condition = conditions.compile(edge.condition, ["edges", edgeIndex, "condition"], { edgeIndex });
    if (dangling) return;
    edges.push({ from: edge.from, to: edge.to, on: edge.on, origin: "edge", path: ["edges", edgeIndex], edgeIndex, ...(condition ? { condition } : {}) });
  });
  return { edges, definitions };
}
