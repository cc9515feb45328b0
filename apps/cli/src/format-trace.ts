import type { Span, TraceJSON } from "@tinyllm/core";

/** Renders a trace as an indented span tree with timings, tokens and decisions. */
export function formatTrace(trace: TraceJSON): string {
  const children = new Map<string | undefined, Span[]>();
  for (const span of trace.spans) {
    const list = children.get(span.parentId) ?? [];
    list.push(span);
    children.set(span.parentId, list);
  }
  const lines = [`trace ${trace.runId}`];
  const walk = (parentId: string | undefined, prefix: string) => {
    const list = children.get(parentId) ?? [];
    list.forEach((span, i) => {
      const last = i === list.length - 1;
      const parts = [`${span.kind} ${span.name}`, `${(span.durationMs ?? 0).toFixed(2)} ms`];
      if (span.status === "error") parts.push(`✗ ${span.error?.code ?? "error"}: ${span.error?.message ?? ""}`);
      if (span.tokens) parts.push(`tokens ${span.tokens.input}→${span.tokens.output}`);
      if (span.retries) parts.push(`${span.retries} retr${span.retries === 1 ? "y" : "ies"}`);
      const attributes = Object.entries(span.attributes ?? {}).filter(([key]) => key !== "kind");
      if (attributes.length > 0) parts.push(attributes.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" "));
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${parts.join("  ")}`);
      walk(span.id, prefix + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");
  return lines.join("\n");
}
