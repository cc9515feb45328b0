import type { GraphVersion } from "@tinyllm/expansion";
import { printJson } from "../output";
import { versionCall } from "./graph-version-errors";

/** Options of `tinyllm graph versions`. */
export interface GraphVersionsOptions {
  json?: boolean;
}

/** `tinyllm graph versions FILE`: the graph's versions, newest first, the one in force marked. */
export async function graphVersions(file: string, options: GraphVersionsOptions): Promise<number> {
  const { listGraphVersions, graphVersionsDir } = await import("@tinyllm/expansion");
  const versions = await versionCall(() => listGraphVersions(file));
  if (options.json) {
    printJson({ file, store: graphVersionsDir(file), versions });
    return 0;
  }
  process.stdout.write(formatVersionsTable(versions));
  if (versions.length === 1 && versions[0]!.origin === "unversioned") {
    process.stderr.write(`${file} is not versioned yet: its versions are kept in ${graphVersionsDir(file)} from the first adopted change\n`);
  }
  return 0;
}

/** The versions as a table: version, date, origin, strategy, node, and `*` on the one in force. */
export function formatVersionsTable(versions: readonly GraphVersion[]): string {
  const rows = [
    ["", "version", "date", "origin", "strategy", "node", "summary"],
    ...versions.map((v) => [
      v.inForce ? "*" : "",
      v.version,
      formatDate(v.createdAtMs),
      v.origin === "unversioned" ? "not yet versioned" : v.origin === "unrecorded" ? "edited, not stored" : v.origin,
      text(v.evidence?.strategy),
      text(v.evidence?.node ?? v.evidence?.nodes?.join(",")),
      clip(text(v.evidence?.summary), 60),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n${versions.some((v) => v.inForce) ? "(* in force: the graph file holds it)\n" : ""}`;
}

function text(value: unknown): string {
  return typeof value === "string" && value.length > 0 ? value : "-";
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** `YYYY-MM-DD HH:MM` in local time. */
function formatDate(ms: number): string {
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
