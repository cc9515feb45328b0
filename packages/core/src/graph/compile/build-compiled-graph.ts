import type { KindLoadContext, NodeKind } from "../../node-kind/node-kind";
import type { CompiledEdge, CompiledGraph, CompiledNode } from "../compiled-graph";
import type { GraphDefinition } from "../graph-schema";
import type { CheckedNode } from "./check-nodes";
import type { LocatedEdge } from "./compile-edges";
import type { GraphReporter } from "./graph-reporter";

/** Everything {@link buildCompiledGraph} puts together. @internal */
export interface BuildInput {
  definition: GraphDefinition;
  nodes: CheckedNode[];
  edges: LocatedEdge[];
  fields: ReadonlySet<string>;
  subgraphs: ReadonlyMap<string, CompiledGraph>;
  contextFor: (nodeId: string) => KindLoadContext;
  file: string | undefined;
  reporter: GraphReporter;
}

/**
 * Builds each node's handler and the graph the executor runs, once every check passed. A kind
 * whose `create` throws is reported (`create-failed`) and the graph is not built. @internal
 */
export function buildCompiledGraph({ definition, nodes, edges, fields, subgraphs, contextFor, file, reporter }: BuildInput): CompiledGraph | undefined {
  const exitSet = new Set(definition.exits);
  const compiledNodes = new Map<string, CompiledNode>();
  const nodeList: CompiledNode[] = [];
  for (const n of nodes) {
    const kind = n.kind as NodeKind<unknown>;
    const subgraph = subgraphs.get(n.def.id);
    let handler;
    try {
      handler = kind.create(n.config, { ...contextFor(n.def.id), ...(subgraph ? { subgraph } : {}) });
    } catch (error) {
      reporter.report({
        code: "create-failed",
        message: `node could not be built: ${(error as Error)?.message ?? String(error)}`,
        hint: `check the node's config against the '${n.def.kind}' kind's documentation`,
        path: ["nodes", n.index],
        nodeId: n.def.id,
      });
      continue;
    }
    const node: CompiledNode = {
      id: n.def.id,
      kind: n.def.kind,
      index: nodeList.length,
      config: n.config,
      handler,
      maxVisits: n.def.maxVisits ?? definition.limits.maxVisitsPerNode ?? Number.POSITIVE_INFINITY,
      edges: [],
      errorEdges: [],
      isExit: exitSet.has(n.def.id),
      ...(n.def.description !== undefined ? { description: n.def.description } : {}),
      ...(kind.fanout ? { fanout: kind.fanout(n.config) } : {}),
      ...(kind.join ? { join: kind.join(n.config) } : {}),
      ...(n.def.timeoutMs !== undefined ? { timeoutMs: n.def.timeoutMs } : {}),
      ...(n.def.retry ? { retry: n.def.retry } : {}),
      ...(subgraph ? { subgraph } : {}),
    };
    compiledNodes.set(node.id, node);
    nodeList.push(node);
  }
  if (reporter.hasErrors()) return undefined;
  const compiledEdges: CompiledEdge[] = edges.map(({ path: _path, edgeIndex: _index, ...edge }) => edge);
  // Derived (config) edges first: they are the node's own routing.
  for (const edge of [...compiledEdges.filter((e) => e.origin === "config"), ...compiledEdges.filter((e) => e.origin === "edge")]) {
    const from = compiledNodes.get(edge.from);
    if (!from) continue;
    (edge.on === "error" ? from.errorEdges : from.edges).push(edge);
  }
  return {
    id: definition.id,
    version: definition.version,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    entry: definition.entry,
    exits: exitSet,
    limits: definition.limits,
    nodes: compiledNodes,
    nodeList,
    edges: compiledEdges,
    fields,
    definition,
    ...(file !== undefined ? { file } : {}),
  };
}
