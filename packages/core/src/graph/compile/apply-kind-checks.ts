import type { KindLoadContext } from "../../node-kind/node-kind";
import { suggest } from "../suggest";
import type { CheckedNode } from "./check-nodes";
import type { LocatedEdge } from "./compile-edges";
import type { ConditionCompiler } from "./condition-compiler";
import type { GraphReporter } from "./graph-reporter";

/**
 * Runs each kind's own checks on its config, checks the fields it reads, and adds the edges it
 * derives from its config (e.g. branch cases) to `edges`. @internal
 */
export function applyKindChecks(
  nodes: CheckedNode[],
  {
    contextFor,
    writtenIds,
    conditions,
    reporter,
    edges,
  }: {
    contextFor: (nodeId: string) => KindLoadContext;
    writtenIds: ReadonlySet<string>;
    conditions: ConditionCompiler;
    reporter: GraphReporter;
    edges: LocatedEdge[];
  },
): void {
  for (const n of nodes) {
    if (!n.kind || n.config === undefined) continue;
    const where = ["nodes", n.index, "config"];
    for (const p of n.kind.check?.(n.config, contextFor(n.def.id)) ?? []) {
      reporter.report({
        code: "invalid-config",
        message: p.message,
        ...(p.hint ? { hint: p.hint } : {}),
        path: [...where, ...(p.path ?? [])],
        nodeId: n.def.id,
      });
    }
    if (n.kind.reads) conditions.checkFields(n.kind.reads(n.config), where, { nodeId: n.def.id });
    for (const derived of n.kind.edges?.(n.config) ?? []) {
      const at = [...where, ...derived.path];
      if (!writtenIds.has(derived.to)) {
        const close = suggest(derived.to, writtenIds);
        reporter.report({
          code: "dangling-edge",
          message: `'${derived.to}' is not a node${close ? `; did you mean '${close}'?` : ""}`,
          hint: "use the id of a node in `nodes`",
          path: at,
          nodeId: n.def.id,
        });
        continue;
      }
      const condition = conditions.compile(derived.condition, [...at, "when"], { nodeId: n.def.id });
      edges.push({ from: n.def.id, to: derived.to, on: "success", origin: "config", path: at, ...(condition ? { condition } : {}) });
    }
  }
}
