import { readFile } from "node:fs/promises";
import path from "node:path";
import { benchError } from "../bench-error";

/** The text of a data file under `dataDir`; `BENCH_DATA_MISSING` with a hint when it is not there. */
export async function readDataFile(dataDir: string, relative: string, suite: string): Promise<{ file: string; text: string }> {
  const file = path.resolve(dataDir, relative);
  try {
    return { file, text: await readFile(file, "utf8") };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw benchError(
      "BENCH_DATA_MISSING",
      code === "ENOENT" ? `${suite}: no data file at ${file}` : `${suite}: cannot read ${file} (${code ?? String(cause)})`,
      `--data must point at the folder that holds ${relative} (for example ../shared/bench/datasets)`,
      cause,
    );
  }
}

/** Parses JSON lines; `BENCH_DATA_INVALID` naming the line on the first bad one. Blank lines are skipped. */
export function parseJsonLines(text: string, file: string): unknown[] {
  const rows: unknown[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === "") continue;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw benchError("BENCH_DATA_INVALID", `${file}:${index + 1} is not JSON`, "check that the file is the data set's own JSON lines, unchanged");
    }
  }
  return rows;
}

/** `BENCH_DATA_INVALID` for a row that lacks a field. */
export function badRow(file: string, where: string, what: string): Error {
  return benchError(
    "BENCH_DATA_INVALID",
    `${file}: ${where} ${what}`,
    "check that the file is the data set's own, unchanged (see SOURCES.md beside the data sets)",
  );
}

/** The first `limit` items (all when `limit` is undefined). */
export function firstItems<T>(items: T[], limit: number | undefined): T[] {
  return limit === undefined ? items : items.slice(0, Math.max(0, limit));
}
