import type { OmittedChart, ReportChart } from "./report-chart";

/** A run of text: plain, bold, or code (a path, a commit). */
export type Inline = string | { strong: string } | { code: string };

/** One block of the report, rendered to Markdown and to HTML alike so both say the same. */
export type ReportBlock =
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  | { kind: "paragraph"; text: Inline[] }
  | { kind: "list"; items: Inline[][] }
  | { kind: "table"; head: string[]; rows: Inline[][]; /** Columns to right-align (numbers). */ numeric?: boolean[] }
  | { kind: "chart"; chart: ReportChart }
  | { kind: "omitted"; chart: OmittedChart };
