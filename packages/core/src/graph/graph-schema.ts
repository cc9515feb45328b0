import { z } from "zod";

const idPattern = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const nodeId = z.string().regex(idPattern, "must start with a letter or _ and hold only letters, digits, _ and - (at most 128)");

/** Retry policy of a node: exponential backoff with jitter, for errors marked retriable. */
export const RetryPolicySchema = z.strictObject({
  /** Total attempts including the first. */
  maxAttempts: z.int().min(1).max(20).default(3),
  initialDelayMs: z.int().min(0).max(600_000).default(200),
  maxDelayMs: z.int().min(0).max(600_000).default(10_000),
  factor: z.number().min(1).max(10).default(2),
  /** Full jitter: each delay is drawn uniformly from [0, delay]. */
  jitter: z.boolean().default(true),
});

/** A node in the graph file. */
export const NodeDefinitionSchema = z.strictObject({
  id: nodeId,
  kind: z.string().min(1),
  description: z.string().optional(),
  /** Kind-specific settings, checked by the kind's own schema. */
  config: z.unknown().optional(),
  /** Per-attempt time limit. */
  timeoutMs: z.int().min(1).max(86_400_000).optional(),
  retry: RetryPolicySchema.optional(),
  /** How many times the run may enter this node; bounds loops through it. */
  maxVisits: z.int().min(1).max(1_000_000).optional(),
  /** Never changed by expansion (`tinyllm expand`): a node people tuned by hand. */
  protected: z.boolean().optional(),
});

/** An edge in the graph file. */
export const EdgeDefinitionSchema = z.strictObject({
  from: nodeId,
  to: nodeId,
  /** An expression over state fields, e.g. `confidence >= 0.7 and "code" in routes`. */
  condition: z.string().optional(),
  /** `error` edges are followed when `from` fails. */
  on: z.enum(["success", "error"]).default("success"),
  description: z.string().optional(),
});

/** Run limits. */
export const GraphLimitsSchema = z.strictObject({
  maxSteps: z.int().min(1).max(10_000_000).default(1000),
  /** A visit bound for every node; bounds every loop. */
  maxVisitsPerNode: z.int().min(1).max(1_000_000).optional(),
  /** Whole-run deadline. */
  deadlineMs: z.int().min(1).max(86_400_000).optional(),
  /** Parallel branches running at once, across fan-outs. */
  maxConcurrency: z.int().min(1).max(1024).optional(),
});

/** Types a declared state field may have. */
export const StateFieldTypeSchema = z.enum(["string", "number", "boolean", "array", "object", "any"]);

/** The top level of a graph file, with nodes and edges left to be checked one by one. */
export const GraphEnvelopeSchema = z.strictObject({
  id: nodeId,
  version: z.union([z.string().min(1), z.number()]).transform(String),
  description: z.string().optional(),
  /** State fields the run's caller provides, besides `input`, so conditions may read them. */
  state: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier"), StateFieldTypeSchema).optional(),
  entry: nodeId,
  exits: z.array(nodeId).min(1, "list at least one exit node"),
  limits: GraphLimitsSchema.default({ maxSteps: 1000 }),
  nodes: z.array(z.unknown()).min(1, "a graph needs at least one node"),
  edges: z.array(z.unknown()).default([]),
  /** Free-form data for tools; ignored by the executor. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** A validated node definition. */
export type NodeDefinition = z.output<typeof NodeDefinitionSchema>;
/** A validated edge definition. */
export type EdgeDefinition = z.output<typeof EdgeDefinitionSchema>;
/** Resolved run limits. */
export type GraphLimits = z.output<typeof GraphLimitsSchema>;
/** A resolved retry policy. */
export type RetryPolicy = z.output<typeof RetryPolicySchema>;

/** A graph as written, after validation. */
export interface GraphDefinition {
  id: string;
  version: string;
  description?: string;
  state?: Record<string, z.output<typeof StateFieldTypeSchema>>;
  entry: string;
  exits: string[];
  limits: GraphLimits;
  nodes: NodeDefinition[];
  edges: EdgeDefinition[];
  metadata?: Record<string, unknown>;
}

/** A node as written, before defaults: what a graph built in code lists under `nodes`. */
export type NodeInput = z.input<typeof NodeDefinitionSchema>;
/** An edge as written, before defaults (`on` defaults to `success`). */
export type EdgeInput = z.input<typeof EdgeDefinitionSchema>;

/**
 * A graph as written, before defaults: the shape of a YAML graph file, typed for graphs built in
 * code. {@link compileGraph} validates it like a file.
 */
export interface GraphInput {
  id: string;
  version: string | number;
  description?: string;
  state?: Record<string, z.input<typeof StateFieldTypeSchema>>;
  entry: string;
  exits: string[];
  limits?: z.input<typeof GraphLimitsSchema>;
  nodes: NodeInput[];
  edges?: EdgeInput[];
  metadata?: Record<string, unknown>;
}

/**
 * Types a graph written in code, for editor help; returns it unchanged. Compile it with
 * `compileGraph`, or pass it to the runtime.
 *
 * @example
 * ```ts
 * const chain = defineGraph({
 *   id: "chain",
 *   version: "1.0.0",
 *   entry: "start",
 *   exits: ["done"],
 *   nodes: [{ id: "start", kind: "entry" }, { id: "done", kind: "exit" }],
 *   edges: [{ from: "start", to: "done" }],
 * });
 * ```
 */
export function defineGraph<const T extends GraphInput>(graph: T): T {
  return graph;
}
