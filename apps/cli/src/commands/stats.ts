import type { VerdictGroupBy, VerdictGroupStats } from "@tinyllm/grading";
import { CliError } from "../cli-error";
import { printJson } from "../output";

/** Options of `tinyllm stats`. */
export interface StatsOptions {
  by?: string;
  since?: string;
  graph?: string;
  store?: string;
  json?: boolean;
}

const groupings: Record<string, VerdictGroupBy> = {
  node: "node",
  gate: "node",
  route: "route",
  model: "model",
  specialist: "answeredBy",
  answeredBy: "answeredBy",
};

/** `tinyllm stats`: pass rates and latencies per gate, specialist, route and model, from the verdict store. */
export async function stats(options: StatsOptions): Promise<number> {
  const by = options.by === undefined ? undefined : groupings[options.by];
  if (options.by !== undefined && by === undefined) throw new CliError(`--by must be one of node, specialist, route, model (got '${options.by}')`, 2);
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since);
  const grading = await import("@tinyllm/grading");
  const file = options.store ?? grading.defaultVerdictStorePath();
  const store = grading.openVerdictStore({ path: file, readonly: true });
  try {
    const filter = { ...(sinceMs !== undefined ? { sinceMs } : {}), ...(options.graph ? { graphId: options.graph } : {}) };
    const total = store.count(filter);
    const kinds: VerdictGroupBy[] = by ? [by] : ["node", "answeredBy", "route", "model"];
    const groups = Object.fromEntries(kinds.map((kind) => [kind, store.stats({ groupBy: kind, ...filter })]));
    if (options.json) {
      printJson({ store: file, total, ...(sinceMs !== undefined ? { sinceMs } : {}), groups });
      return 0;
    }
    process.stdout.write(`${total} verdict${total === 1 ? "" : "s"} in ${file}\n`);
    for (const kind of kinds) {
      const rows = groups[kind] as VerdictGroupStats[];
      if (rows.length === 0) continue;
      process.stdout.write(`\nby ${kind === "node" ? "gate" : kind === "answeredBy" ? "specialist" : kind}\n`);
      const table = [
        ["", "verdicts", "undecided", "pass rate", "mean score", "answer p50 ms", "p95 ms", "grading p50 ms", "decided by"],
        ...rows.map((row) => [
          row.key,
          String(row.total),
          String(row.undecided),
          row.total === row.undecided ? "-" : `${(row.passRate * 100).toFixed(1)}%`,
          row.meanScore.toFixed(2),
          ms(row.latencyMs.p50),
          ms(row.latencyMs.p95),
          ms(row.gradingMs.p50),
          Object.entries(row.decidedBy)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
            .map(([k, v]) => `${k} ${v}`)
            .join(", "),
        ]),
      ];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
      for (const row of table)
        process.stdout.write(
          `  ${row
            .map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
            .join("  ")
            .trimEnd()}\n`,
        );
    }
    return 0;
  } finally {
    store.close();
  }
}

function ms(value: number | null): string {
  return value === null ? "-" : value < 10 ? value.toFixed(1) : String(Math.round(value));
}

/** `7d`, `12h`, `30m`, or an ISO date. */
function parseSince(text: string): number {
  const relative = /^(\d+(?:\.\d+)?)\s*([dhm])$/.exec(text.trim());
  if (relative) return Date.now() - Number(relative[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as "d" | "h" | "m"];
  const date = Date.parse(text);
  if (Number.isNaN(date)) throw new CliError(`--since: cannot read '${text}'`, 2, "use e.g. 7d, 12h, 30m or 2026-11-01");
  return date;
}
