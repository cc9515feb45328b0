import type { NodeKind } from "../../node-kind/node-kind";
import type { NodeRegistry } from "../../node-kind/node-registry";
import { NodeDefinitionSchema, type NodeDefinition } from "../graph-schema";
import { suggest } from "../suggest";
import { objectKeys, schemaIssues } from "../zod-problems";
import type { GraphReporter } from "./graph-reporter";

/** A node that passed its own checks: its definition, its kind and its parsed config when they are valid. @internal */
export interface CheckedNode {
  def: NodeDefinition;
  /** Index in `nodes`, for locations. */
  index: number;
  kind?: NodeKind<unknown>;
  config?: unknown;
}

/**
 * Checks each node on its own: its fields, a unique id, a registered kind and a config the
 * kind's schema accepts. Also returns every id as written, even on invalid nodes, so that one
 * bad node does not make every edge to it dangle. @internal
 */
export function checkNodes(rawNodes: unknown[], registry: NodeRegistry, reporter: GraphReporter): { nodes: CheckedNode[]; writtenIds: Set<string> } {
  const writtenIds = new Set<string>();
  for (const raw of rawNodes) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === "string") writtenIds.add(id);
  }
  const nodes: CheckedNode[] = [];
  const seenIds = new Map<string, number>();
  rawNodes.forEach((rawNode, index) => {
    const parsed = NodeDefinitionSchema.safeParse(rawNode);
    if (!parsed.success) {
      const nodeId = typeof (rawNode as { id?: unknown } | null)?.id === "string" ? (rawNode as { id: string }).id : undefined;
      for (const issue of schemaIssues(parsed.error, ["nodes", index], (p) => (p.length === 0 ? Object.keys(NodeDefinitionSchema.shape) : undefined))) {
        reporter.report({ code: "invalid-node", ...issue, ...(nodeId ? { nodeId } : {}) });
      }
      return;
    }
    const def = parsed.data;
    if (seenIds.has(def.id)) {
      reporter.report({
        code: "duplicate-node",
        message: `node id '${def.id}' is used twice (first at nodes[${seenIds.get(def.id)}])`,
        hint: "give every node a unique id",
        path: ["nodes", index, "id"],
        nodeId: def.id,
      });
      return;
    }
    seenIds.set(def.id, index);
    const kind = registry.get(def.kind);
    if (!kind) {
      const close = suggest(def.kind, registry.kinds());
      reporter.report({
        code: "unknown-kind",
        message: `unknown node kind '${def.kind}'${close ? `; did you mean '${close}'?` : ""}`,
        hint: `known kinds: ${registry.kinds().join(", ")}. Kinds from other packages must be registered first`,
        path: ["nodes", index, "kind"],
        nodeId: def.id,
      });
      nodes.push({ def, index });
      return;
    }
    const config = kind.configSchema.safeParse(def.config ?? {});
    if (!config.success) {
      for (const issue of schemaIssues(config.error, ["nodes", index, "config"], (p) => keysAt(kind.configSchema, p))) {
        reporter.report({ code: "invalid-config", ...issue, nodeId: def.id, hint: issue.hint ?? `see the '${def.kind}' kind's documentation` });
      }
      nodes.push({ def, index, kind });
      return;
    }
    nodes.push({ def, index, kind, config: config.data });
  });
  return { nodes, writtenIds };
}

function keysAt(schema: unknown, p: PropertyKey[]): string[] | undefined {
  let current: unknown = schema;
  for (const segment of p) {
    const shape = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
    if (shape && typeof segment === "string") {
      current = unwrap(shape[segment]);
      continue;
    }
    const element = (current as { element?: unknown } | undefined)?.element;
    if (element && typeof segment === "number") {
      current = unwrap(element);
      continue;
    }
    return undefined;
  }
  return objectKeys(current);
}

function unwrap(schema: unknown): unknown {
  let current = schema as { unwrap?: () => unknown; def?: { innerType?: unknown } } | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.unwrap === "function") current = current.unwrap() as typeof current;
    else if (current.def?.innerType) current = current.def.innerType as typeof current;
    else break;
  }
  return current;
}
