import { escapeHtml } from "./escape-html";
import type { Inline, ReportBlock } from "./report-block";
import { scopeSvgIds } from "./scope-svg-ids";

/** Nothing may load from anywhere: the page is its own styles and inline SVGs. */
export const reportCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const style = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.7em; margin: 0 0 .6em; } h2 { font-size: 1.3em; margin: 1.8em 0 .5em; border-bottom: 1px solid #d8dee4; padding-bottom: .2em; } h3 { font-size: 1.05em; margin: 1.4em 0 .4em; }
table { border-collapse: collapse; margin: .6em 0 1em; font-variant-numeric: tabular-nums; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; }
td { overflow-wrap: break-word; }
code { font: .92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
figure { margin: 1em 0 1.6em; } figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #57606a; margin-top: .4em; }
.note { color: #57606a; font-style: italic; }
`;

function inline(parts: readonly Inline[]): string {
  return parts
    .map((part) => {
      if (typeof part === "string") return escapeHtml(part);
      if ("strong" in part) return `<strong>${escapeHtml(part.strong)}</strong>`;
      return `<code>${escapeHtml(part.code)}</code>`;
    })
    .join("");
}

/** The SVG without an XML prolog, ids scoped to the chart: ready to sit inline in HTML. */
function inlineSvg(svg: string, name: string): string {
  return scopeSvgIds(svg.replace(/^<\?xml[^>]*\?>\s*/, ""), `${name}-`);
}

function block(b: ReportBlock): string {
  switch (b.kind) {
    case "heading":
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case "paragraph":
      return `<p>${inline(b.text)}</p>`;
    case "list":
      return `<ul>\n${b.items.map((item) => `<li>${inline(item)}</li>`).join("\n")}\n</ul>`;
    case "table": {
      const cls = (i: number) => (b.numeric?.[i] ? ' class="num"' : "");
      const head = `<tr>${b.head.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("")}</tr>`;
      const rows = b.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${inline([cell])}</td>`).join("")}</tr>`);
      return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
    }
    case "chart": {
      const name = escapeHtml(b.chart.name);
      return `<figure data-chart="${name}" aria-label="${escapeHtml(b.chart.title)}">\n${inlineSvg(b.chart.svg, b.chart.name)}\n<figcaption>${escapeHtml(b.chart.caption)}</figcaption>\n</figure>`;
    }
    case "omitted":
      return `<p class="note" data-chart-omitted="${escapeHtml(b.chart.name)}">Chart left out: ${escapeHtml(b.chart.title)}: ${escapeHtml(b.chart.reason)}.</p>`;
  }
}

/**
 * The report's blocks as one self-contained HTML page: inline style, inline SVGs, no script, and
 * a Content-Security-Policy that lets nothing load. Every user-provided string is escaped.
 */
export function blocksToHtml(title: string, blocks: readonly ReportBlock[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${blocks.map(block).join("\n")}
</main>
</body>
</html>
`;
}
