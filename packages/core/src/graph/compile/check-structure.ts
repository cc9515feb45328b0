import { checkGraphStructure } from "../check-graph-structure";
import type { CheckedNode } from "./check-nodes";
import type { LocatedEdge } from "./compile-edges";
import type { GraphReporter } from "./graph-reporter";

/** Input of {@link checkStructure}. @internal */
export interface CheckStructureInput {
  nodes: CheckedNode[];
  edges: LocatedEdge[];
  /** The entry as written; the check is skipped when it is missing or names no node. */
  entry: string | undefined;
  exits: readonly string[];
  /** The graph's `limits.maxVisitsPerNode`, read even when other envelope fields are invalid. */
  graphVisitBound: number | undefined;
  reporter: GraphReporter;
}

/**
 * Checks the graph's shape (reachability, dead ends, unbounded cycles, fan-outs reaching their
 * join), telling fan-outs and joins apart by their kinds' `fanout` and `join` hooks. @internal
 */
export function checkStructure({ nodes, edges, entry, exits, graphVisitBound, reporter }: CheckStructureInput): void {
  const nodeIds = new Set(nodes.map((n) => n.def.id));
  if (entry === undefined || !nodeIds.has(entry)) return;
  const structureNodes = nodes.map((n) => {
    const fanout = n.kind?.fanout && n.config !== undefined ? n.kind.fanout(n.config) : undefined;
    return {
      id: n.def.id,
      index: n.index,
      maxVisits: n.def.maxVisits,
      isFanout: fanout !== undefined,
      isJoin: n.kind?.join !== undefined,
      join: fanout?.join,
    };
  });
  const problems = checkGraphStructure({ nodes: structureNodes, edges, entry, exits: exits.filter((e) => nodeIds.has(e)), graphVisitBound });
  for (const problem of problems) reporter.report(problem);
}
