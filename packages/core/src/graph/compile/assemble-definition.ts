import type { EdgeDefinition, GraphDefinition } from "../graph-schema";
import type { CheckedNode } from "./check-nodes";
import type { GraphEnvelope } from "./validate-envelope";

/** The validated definition, with defaults applied, that a compiled graph keeps for display and export. @internal */
export function assembleDefinition(envelope: GraphEnvelope, nodes: readonly CheckedNode[], edges: EdgeDefinition[]): GraphDefinition {
  return {
    id: envelope.id,
    version: envelope.version,
    ...(envelope.description !== undefined ? { description: envelope.description } : {}),
    ...(envelope.state !== undefined ? { state: envelope.state } : {}),
    entry: envelope.entry,
    exits: envelope.exits,
    limits: envelope.limits,
    nodes: nodes.map((n) => n.def),
    edges,
    ...(envelope.metadata !== undefined ? { metadata: envelope.metadata } : {}),
  };
}
