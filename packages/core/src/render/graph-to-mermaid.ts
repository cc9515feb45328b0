import type { CompiledGraph } from "../graph/compiled-graph";

const SHAPES: Record<string, [string, string]> = {
  entry: ["([", "])"],
  exit: ["([", "])"],
  branch: ["{", "}"],
  router: ["{", "}"],
  fanout: ["[[", "]]"],
  join: ["[[", "]]"],
  subgraph: ["[[", "]]"],
};

/**
 * Renders a graph as a Mermaid flowchart that GitHub renders. Conditions label their edges;
 * error edges are dotted.
 *
 * @example
 * ```ts
 * console.log("```mermaid\n" + graphToMermaid(graph) + "\n```");
 * ```
 */
export function graphToMermaid(graph: CompiledGraph): string {
  const ids = new Map<string, string>();
  graph.nodeList.forEach((node, i) => ids.set(node.id, `n${i}`));
  const lines = ["flowchart TD"];
  for (const node of graph.nodeList) {
    const [open, close] = SHAPES[node.kind] ?? ["[", "]"];
    lines.push(`  ${ids.get(node.id)}${open}"${escape(node.id)}<br/><small>${escape(node.kind)}</small>"${close}`);
  }
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to) continue;
    const label = [edge.on === "error" ? "error" : "", edge.condition?.source ?? ""].filter(Boolean).join(": ");
    const arrow = edge.on === "error" ? "-.->" : "-->";
    lines.push(label ? `  ${from} ${arrow}|"${escape(truncate(label, 80))}"| ${to}` : `  ${from} ${arrow} ${to}`);
  }
  const exits = graph.nodeList.filter((n) => n.isExit).map((n) => ids.get(n.id));
  const entry = ids.get(graph.entry);
  if (entry) lines.push(`  classDef entry stroke-width:3px`, `  class ${entry} entry`);
  if (exits.length > 0) lines.push(`  classDef exit stroke-width:3px,stroke-dasharray:4`, `  class ${exits.join(",")} exit`);
  return lines.join("\n");
}

function escape(text: string): string {
  return text
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;")
    .replace(/[\r\n]+/g, " ");
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
