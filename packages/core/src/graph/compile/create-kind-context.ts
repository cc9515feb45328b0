import type { KindLoadContext } from "../../node-kind/node-kind";
import type { CheckedNode } from "./check-nodes";

/**
 * Makes the context each kind's `check` and `create` see: the graph's node ids and kinds, the
 * directory of its file, and each node's visit bound (its own `maxVisits`, else the graph's).
 * @internal
 */
export function createKindContext(
  nodes: readonly CheckedNode[],
  { baseDir, graphVisitLimit }: { baseDir: string | undefined; graphVisitLimit: number | undefined },
): (nodeId: string) => KindLoadContext {
  const nodeIds = new Set(nodes.map((n) => n.def.id));
  const nodeKinds = new Map(nodes.map((n) => [n.def.id, n.def.kind]));
  const visitLimits = new Map(nodes.map((n) => [n.def.id, n.def.maxVisits ?? graphVisitLimit]));
  return (nodeId) => ({ nodeId, nodeIds, nodeKinds, baseDir, visitLimits });
}
