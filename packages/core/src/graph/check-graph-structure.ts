import type { GraphProblem } from "./graph-problem";
import { cyclicComponents, reachable, reverseAdjacency } from "./graph-algorithms";

type StructureProblem = Omit<GraphProblem, "severity" | "file" | "line" | "column"> & { severity?: "error" | "warning" };

/** Input of {@link checkGraphStructure}. */
export interface StructureInput {
  /** `isFanout` / `isJoin` come from the node's kind; `join` is a fan-out's join node. */
  nodes: { id: string; index: number; maxVisits?: number | undefined; isFanout?: boolean; isJoin?: boolean; join?: string | undefined }[];
  edges: { from: string; to: string; on: "success" | "error"; path: (string | number)[] }[];
  entry: string;
  exits: string[];
  graphVisitBound?: number | undefined;
}

/**
 * Checks the shape of a graph: every node reachable from the entry, every exit reachable,
 * no dead ends, no cycle without a visit bound, every fan-out reaching its join. Linear in
 * the size of the graph (plus one walk per fan-out).
 */
export function checkGraphStructure({ nodes, edges, entry, exits, graphVisitBound }: StructureInput): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const position = new Map<string, number>();
  nodes.forEach((n, i) => position.set(n.id, i));
  const adjacency: number[][] = nodes.map(() => []);
  const successors: number[][] = nodes.map(() => []);
  for (const edge of edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (from === undefined || to === undefined) continue;
    adjacency[from]?.push(to);
    if (edge.on === "success") successors[from]?.push(to);
  }
  const entryAt = position.get(entry);
  if (entryAt === undefined) return problems;
  const exitSet = new Set(exits);

  const fromEntry = reachable([entryAt], adjacency);
  for (const exit of exits) {
    const at = position.get(exit) as number;
    if (!fromEntry[at]) {
      problems.push({
        code: "unreachable-exit",
        message: `exit '${exit}' cannot be reached from the entry '${entry}'`,
        hint: "add edges that lead from the entry to this exit",
        path: ["exits", exits.indexOf(exit)],
      });
    }
  }
  const toExit = reachable(
    exits.map((e) => position.get(e) as number),
    reverseAdjacency(adjacency),
  );
  nodes.forEach((node, i) => {
    const where = ["nodes", node.index];
    if (!fromEntry[i]) {
      problems.push({
        code: "unreachable-node",
        message: `node '${node.id}' cannot be reached from the entry '${entry}'`,
        hint: "add an edge that leads to it, or remove it",
        path: where,
        nodeId: node.id,
      });
      return;
    }
    if (exitSet.has(node.id)) {
      if ((successors[i] ?? []).length > 0) {
        problems.push({
          code: "edge-from-exit",
          message: `exit '${node.id}' has outgoing edges; a run ends at an exit, so they are never taken`,
          hint: "remove the edges, or take the node out of `exits`",
          path: where,
          nodeId: node.id,
        });
      }
      return;
    }
    if ((successors[i] ?? []).length === 0 && !node.isJoin) {
      problems.push({
        code: "dead-end",
        message: `node '${node.id}' has no outgoing edge and is not an exit`,
        hint: "add an edge from it, or list it under `exits`",
        path: where,
        nodeId: node.id,
      });
    } else if (!toExit[i]) {
      problems.push({
        code: "dead-end",
        message: `no exit can be reached from node '${node.id}'`,
        hint: "add an edge from it (or its loop) toward an exit",
        path: where,
        nodeId: node.id,
      });
    }
  });

  for (const component of cyclicComponents(adjacency)) {
    const bounded = graphVisitBound !== undefined || component.some((i) => nodes[i]?.maxVisits !== undefined);
    if (bounded) continue;
    const names = component.map((i) => nodes[i]?.id ?? "?");
    const shown = names.length > 6 ? [...names.slice(0, 6), "…"] : names;
    const first = nodes[component[0] as number];
    problems.push({
      code: "unbounded-cycle",
      message: `cycle ${[...shown, names[0]].join(" → ")} has no bound`,
      hint: "set maxVisits on one of its nodes (e.g. `maxVisits: 10`), or limits.maxVisitsPerNode",
      path: ["nodes", first?.index ?? 0],
      ...(first ? { nodeId: first.id } : {}),
    });
  }

  const joinsOfFanouts = new Set(nodes.filter((n) => n.isFanout && n.join !== undefined).map((n) => n.join));
  for (const node of nodes) {
    if (node.isJoin && !joinsOfFanouts.has(node.id)) {
      problems.push({
        code: "join-without-fanout",
        message: `join '${node.id}' is not the join of any fan-out, so it only passes the state through`,
        hint: "name it in a fanout node's config.join, or use another kind",
        path: ["nodes", node.index],
        nodeId: node.id,
        severity: "warning",
      });
    }
  }

  nodes.forEach((node, i) => {
    if (!node.isFanout || node.join === undefined) return;
    const joinAt = position.get(node.join);
    if (joinAt === undefined) return;
    for (const successor of successors[i] ?? []) {
      if (!reachable([successor], successors)[joinAt]) {
        problems.push({
          code: "fanout-without-join",
          message: `branch '${nodes[successor]?.id}' of fan-out '${node.id}' never reaches its join '${node.join}'`,
          hint: "lead every branch of a fan-out to its join node",
          path: ["nodes", node.index, "config", "join"],
          nodeId: node.id,
        });
      }
    }
  });
  return problems;
}
