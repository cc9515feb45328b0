import { escapeMarkdown } from "./escape-markdown";
import type { Inline, ReportBlock } from "./report-block";

function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function inline(parts: readonly Inline[], inTable = false): string {
  return parts
    .map((part) => {
      if (typeof part === "string") return escapeMarkdown(part);
      // CommonMark closes `**` only after a non-space: a trailing space goes after the marker.
      if ("strong" in part) return `**${escapeMarkdown(part.strong.trimEnd())}**${part.strong.slice(part.strong.trimEnd().length)}`;
      // In a table, a `|` would end the cell even inside a code span: plain escaped text instead.
      return inTable ? escapeMarkdown(part.code) : codeSpan(part.code);
    })
    .join("");
}

function block(b: ReportBlock): string {
  switch (b.kind) {
    case "heading":
      return `${"#".repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case "paragraph":
      return inline(b.text);
    case "list":
      return b.items.map((item) => `- ${inline(item)}`).join("\n");
    case "table": {
      const head = `| ${b.head.map(escapeMarkdown).join(" | ")} |`;
      const rule = `| ${b.head.map((_, i) => (b.numeric?.[i] ? "---:" : "---")).join(" | ")} |`;
      const rows = b.rows.map((row) => `| ${row.map((cell) => inline([cell], true)).join(" | ")} |`);
      return [head, rule, ...rows].join("\n");
    }
    case "chart":
      return `![${escapeMarkdown(b.chart.title)}](plots/${b.chart.name}.svg)\n\n${escapeMarkdown(b.chart.caption)}`;
    case "omitted":
      return `*Chart left out: ${escapeMarkdown(b.chart.title)}: ${escapeMarkdown(b.chart.reason)}.*`;
  }
}

/** The report's blocks as GitHub-flavoured Markdown; every user-provided string is escaped. */
export function blocksToMarkdown(blocks: readonly ReportBlock[]): string {
  return `${blocks.map(block).join("\n\n")}\n`;
}
