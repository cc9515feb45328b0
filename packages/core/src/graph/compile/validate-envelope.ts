import type { z } from "zod";
import { GraphEnvelopeSchema } from "../graph-schema";
import { schemaIssues } from "../zod-problems";
import type { GraphReporter } from "./graph-reporter";

/** The graph-level fields after validation (nodes and edges are still unchecked). @internal */
export type GraphEnvelope = z.output<typeof GraphEnvelopeSchema>;

/** What {@link validateEnvelope} found: the definition as a record, and its envelope when valid. @internal */
export interface ValidatedEnvelope {
  rawGraph: Record<string, unknown>;
  envelope: GraphEnvelope | undefined;
}

/**
 * Checks the graph-level fields (id, version, entry, exits, limits, state, metadata, and that
 * nodes and edges are lists). Returns undefined, after reporting `not-a-graph`, when the
 * definition is not a mapping at all; otherwise reports each invalid field and goes on, so the
 * later stages still check nodes and edges. @internal
 */
export function validateEnvelope(definition: unknown, reporter: GraphReporter): ValidatedEnvelope | undefined {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) {
    reporter.report({
      code: "not-a-graph",
      message: "the document is not a graph",
      hint: "a graph is a mapping with id, version, entry, exits, nodes and edges",
      path: [],
    });
    return undefined;
  }
  const rawGraph = definition as Record<string, unknown>;
  const parsed = GraphEnvelopeSchema.safeParse(rawGraph);
  if (!parsed.success) {
    for (const issue of schemaIssues(parsed.error, [], (p) => (p.length === 0 ? Object.keys(GraphEnvelopeSchema.shape) : undefined)))
      reporter.report({ code: "invalid-field", ...issue });
  }
  return { rawGraph, envelope: parsed.success ? parsed.data : undefined };
}
