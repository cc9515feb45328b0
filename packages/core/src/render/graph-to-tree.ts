import type { CompiledGraph } from "../graph/compiled-graph";

/**
 * Renders a graph as an indented tree walked from the entry. A node already shown appears
 * again as `↺ id`; conditions and error edges are written beside their targets.
 */
export function graphToTree(graph: CompiledGraph): string {
  const lines = [`${graph.id} v${graph.version}${graph.description ? ` — ${graph.description.trim().split("\n")[0]}` : ""}`];
  const shown = new Set<string>();
  type Frame = { id: string; prefix: string; last: boolean; label: string };
  const stack: Frame[] = [{ id: graph.entry, prefix: "", last: true, label: "" }];
  while (stack.length > 0) {
    const { id, prefix, last, label } = stack.pop() as Frame;
    const node = graph.nodes.get(id);
    const branch = last ? "└─ " : "├─ ";
    if (!node) continue;
    if (shown.has(id)) {
      lines.push(`${prefix}${branch}↺ ${id}${label}`);
      continue;
    }
    shown.add(id);
    const notes = [node.kind, node.isExit ? "exit" : "", node.maxVisits !== Number.POSITIVE_INFINITY ? `max ${node.maxVisits} visits` : ""].filter(Boolean);
    lines.push(`${prefix}${branch}${id} [${[...new Set(notes)].join(", ")}]${label}`);
    const children = [...node.edges, ...node.errorEdges];
    const childPrefix = prefix + (last ? "   " : "│  ");
    for (let i = children.length - 1; i >= 0; i--) {
      const edge = children[i];
      if (!edge) continue;
      const parts = [edge.on === "error" ? "on error" : "", edge.condition ? `when ${edge.condition.source}` : ""].filter(Boolean);
      stack.push({ id: edge.to, prefix: childPrefix, last: i === children.length - 1, label: parts.length > 0 ? `  (${parts.join(", ")})` : "" });
    }
  }
  return lines.join("\n");
}
