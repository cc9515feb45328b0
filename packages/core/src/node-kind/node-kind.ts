import type { z } from "zod";
import type { NodeEmittedEvent } from "../events/run-event";
import type { SpanHandle } from "../trace/span";
import type { CompiledGraph } from "../graph/compiled-graph";
import type { SubgraphResult } from "../executor/run-result";

/** The run state nodes read and write. `input` holds the run's input. */
export type RunState = Readonly<Record<string, unknown>>;

/** What a node returns. */
export interface NodeResult {
  /** Fields to set on the run state. */
  patch?: Record<string, unknown>;
  /**
   * Chooses the next node explicitly (branch-like kinds). Must be the target of one of the
   * node's edges.
   */
  next?: string;
}

/** Options of {@link NodeContext.runSubgraph}. */
export interface RunSubgraphOptions {
  input: unknown;
  /** Initial state fields besides `input`. */
  state?: Record<string, unknown>;
}

/** What a node sees while it runs. */
export interface NodeContext {
  readonly runId: string;
  readonly nodeId: string;
  readonly kind: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted on node timeout, run deadline or caller cancellation. Pass it to all I/O. */
  readonly abortSignal: AbortSignal;
  /** The node's span; open child spans for model and tool calls. */
  readonly span: SpanHandle;
  /** Streams an event (tokens, tool calls, decisions). */
  emit(event: NodeEmittedEvent): void;
  /** Runs another graph as part of this run, sharing its deadline, trace and events. */
  runSubgraph(graph: CompiledGraph, options: RunSubgraphOptions): Promise<SubgraphResult>;
}

/** The function that runs a node. It may return synchronously. */
export type NodeHandler = (state: RunState, context: NodeContext) => NodeResult | void | Promise<NodeResult | void>;

/** What a kind can see when the graph is being loaded. */
export interface KindLoadContext {
  readonly nodeId: string;
  /** Every node id in the graph. */
  readonly nodeIds: ReadonlySet<string>;
  /** Kinds of the graph's nodes by id. */
  readonly nodeKinds: ReadonlyMap<string, string>;
  /** Directory of the graph file, when loaded from a file. */
  readonly baseDir: string | undefined;
  /** How many times the run may enter each node (its `maxVisits`, else `limits.maxVisitsPerNode`); undefined when unbounded. */
  readonly visitLimits?: ReadonlyMap<string, number | undefined>;
}

/** A problem found by a kind's own check. `path` is relative to the node's `config`. */
export interface KindProblem {
  message: string;
  hint?: string;
  path?: (string | number)[];
}

/** An edge a kind adds on its own (e.g. branch cases). */
export interface DerivedEdge {
  to: string;
  condition?: string;
  /** Path inside the node's config that declared it, for error locations. */
  path: (string | number)[];
}

/**
 * A node kind: its config schema and its implementation. Register kinds in a
 * {@link NodeRegistry} so graphs can use them; other packages add kinds without touching core.
 *
 * @example
 * ```ts
 * const echo = defineNodeKind({
 *   kind: "echo",
 *   description: "Copies input to output.",
 *   configSchema: z.strictObject({}),
 *   writes: () => ["output"],
 *   create: () => (state) => ({ patch: { output: state.input } }),
 * });
 * ```
 */
export interface NodeKind<TConfig = unknown> {
  readonly kind: string;
  readonly description: string;
  /** Schema of the node's `config`. Use strict objects so unknown keys are reported. */
  readonly configSchema: z.ZodType<TConfig>;
  /** State fields the node writes, so conditions may name them. */
  writes?(config: TConfig): readonly string[];
  /** State fields the node reads; validated like condition fields. */
  reads?(config: TConfig): readonly string[];
  /** Checks beyond the schema. */
  check?(config: TConfig, context: KindLoadContext): KindProblem[];
  /** Edges implied by the config (e.g. branch cases). */
  edges?(config: TConfig): DerivedEdge[];
  /** Builds the handler once per loaded graph. */
  create(config: TConfig, context: KindLoadContext & { subgraph?: CompiledGraph }): NodeHandler;
  /**
   * Makes the node a fan-out: the executor runs its outgoing edges whose conditions hold as
   * parallel branches, each on its own copy of the state, until they reach the `join` node.
   */
  fanout?(config: TConfig): FanoutPlan;
  /** Makes the node where a fan-out's branches meet. */
  join?(config: TConfig): JoinPlan;
  /**
   * Makes the node run another graph: the loader loads `graph` (a file relative to this graph's
   * file), checks it, and hands it to {@link NodeKind.create} as `context.subgraph`.
   */
  subgraph?(config: TConfig): { graph: string };
}

/** What a fan-out node asks of the executor. */
export interface FanoutPlan {
  /** The join node where the branches meet. */
  join: string;
  /** Branches running at once. Default: the run's limit. */
  maxConcurrency?: number;
}

/** How a join node merges branches: `all` needs every branch, `any` one, `first` takes the first success and cancels the rest. */
export interface JoinPlan {
  mode: "all" | "any" | "first";
  /** State field that receives a summary of each branch. */
  into: string;
}

/** Identity helper that types a {@link NodeKind} from its schema. */
export function defineNodeKind<TConfig>(kind: NodeKind<TConfig>): NodeKind<TConfig> {
  return kind;
}
