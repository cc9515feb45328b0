import type { BenchResult } from "../bench-result";
import { clipText } from "./escape-markdown";
import { formatCount } from "./format";
import type { ReportBlock } from "./report-block";

/** Rows shown at most. */
export const maxDisagreements = 10;
/** Characters of an answer shown at most. */
export const answerChars = 120;

/** Results where the gate and the benchmark both decided, and differently. */
export function disagreements(results: readonly BenchResult[]): BenchResult[] {
  return results.filter((r) => r.gate !== undefined && r.gate.pass !== null && r.pass !== null && r.gate.pass !== r.pass);
}

const verdict = (pass: boolean) => (pass ? "pass" : "fail");
const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Up to ten items where the gate's verdict and the benchmark's differ; nothing when no result carries a gate verdict. */
export function disagreementsSection(results: readonly BenchResult[]): ReportBlock[] {
  if (!results.some((r) => r.gate !== undefined)) return [];
  const found = disagreements(results);
  const heading: ReportBlock = { kind: "heading", level: 2, text: "Where the gate and the benchmark disagree" };
  if (found.length === 0) return [heading, { kind: "paragraph", text: ["The gate and the benchmark agree on every item both decided."] }];
  const falsePasses = found.filter((r) => r.gate!.pass).length;
  const shown = found.slice(0, maxDisagreements);
  return [
    heading,
    {
      kind: "paragraph",
      text: [
        `${plural(found.length, "item", "items")}: the gate passed ${plural(falsePasses, "wrong answer", "wrong answers")} and failed ${plural(found.length - falsePasses, "right one", "right ones")}.`,
        found.length > shown.length ? ` The first ${shown.length}:` : "",
      ],
    },
    {
      kind: "table",
      head: ["Item", "Configuration", "Gate", "Benchmark", "Answer"],
      rows: shown.map((r) => [
        r.item,
        r.config,
        `${verdict(r.gate!.pass!)}${r.gate!.decidedBy ? ` (${r.gate!.decidedBy})` : ""}`,
        `${verdict(r.pass!)} (${r.scoredBy})`,
        clipText(r.answer, answerChars),
      ]),
    },
  ];
}
