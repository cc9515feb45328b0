import type { CheckedNode } from "./check-nodes";
import type { GraphEnvelope } from "./validate-envelope";

const BUILTIN_FIELDS = ["input", "output", "error"];

/**
 * The state fields conditions and templates may name: the built-ins (`input`, `output`,
 * `error`), those the graph declares under `state`, and whatever its nodes' kinds write.
 * @internal
 */
export function collectFields(rawGraph: Record<string, unknown>, envelope: GraphEnvelope | undefined, nodes: readonly CheckedNode[]): Set<string> {
  const fields = new Set<string>(BUILTIN_FIELDS);
  const declared = envelope?.state ?? (isRecord(rawGraph.state) ? rawGraph.state : {});
  for (const key of Object.keys(declared)) fields.add(key);
  for (const n of nodes) if (n.kind?.writes && n.config !== undefined) for (const f of n.kind.writes(n.config)) fields.add(f);
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
