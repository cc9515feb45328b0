import type { Condition } from "../condition/index";
import type { FanoutPlan, JoinPlan, NodeHandler } from "../node-kind/node-kind";
import type { GraphDefinition, GraphLimits, RetryPolicy } from "./graph-schema";

/** An edge ready to run. */
export interface CompiledEdge {
  from: string;
  to: string;
  on: "success" | "error";
  condition?: Condition;
  /** `edge` when written in `edges`, `config` when a kind derived it (e.g. branch cases). */
  origin: "edge" | "config";
}

/** A node ready to run. */
export interface CompiledNode {
  id: string;
  kind: string;
  /** Position in {@link CompiledGraph.nodeList}. */
  index: number;
  description?: string;
  /** The kind's parsed config. */
  config: unknown;
  handler: NodeHandler;
  /** Set when the node is a fan-out (its kind's `fanout`): where its branches meet. */
  fanout?: FanoutPlan;
  /** Set when the node is a join (its kind's `join`): how branches merge. */
  join?: JoinPlan;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Visit bound (node's own, else the graph's, else unbounded). */
  maxVisits: number;
  /** Outgoing success edges in declaration order; the first whose condition holds is taken. */
  edges: CompiledEdge[];
  /** Outgoing error edges, tried in order when the node fails. */
  errorEdges: CompiledEdge[];
  isExit: boolean;
  /** For `subgraph` nodes, the loaded child graph. */
  subgraph?: CompiledGraph;
}

/** A validated graph with handlers built: what the executor runs. */
export interface CompiledGraph {
  id: string;
  version: string;
  description?: string;
  entry: string;
  exits: ReadonlySet<string>;
  limits: GraphLimits;
  nodes: ReadonlyMap<string, CompiledNode>;
  nodeList: readonly CompiledNode[];
  edges: readonly CompiledEdge[];
  /** Every state field a condition or template may name. */
  fields: ReadonlySet<string>;
  /** The validated definition, for display and export. */
  definition: GraphDefinition;
  /** The file it came from, when loaded from a file. */
  file?: string;
}
