import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchError } from "../bench-error";
import type { BenchResult } from "../bench-result";
import type { SuiteName } from "../suites/suite-name";

/** The key of an item answered by a configuration. */
export const resultKey = (config: string, item: string): string => `${config}\u0000${item}`;

/**
 * Reads a `results.jsonl` to resume from: every complete line, in order. A last line cut short
 * by a crash is dropped (and cut from the file, so appending goes on cleanly). Throws
 * `BENCH_RESULTS_INVALID` when a line is not a result, or is of another suite.
 */
export function readResultsFile(file: string, suite: SuiteName): BenchResult[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const results: BenchResult[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      if (index === lines.length - 1) {
        // The process stopped mid-write: keep the complete lines only.
        writeFileSync(file, lines.slice(0, index).join("\n") + (index > 0 ? "\n" : ""));
        break;
      }
      throw benchError("BENCH_RESULTS_INVALID", `${file}:${index + 1} is not JSON`, "give another --out folder, or delete the file to start over");
    }
    const result = row as Partial<BenchResult>;
    if (typeof result.config !== "string" || typeof result.item !== "string" || typeof result.suite !== "string")
      throw benchError(
        "BENCH_RESULTS_INVALID",
        `${file}:${index + 1} is not a benchmark result`,
        "give another --out folder, or delete the file to start over",
      );
    if (result.suite !== suite)
      throw benchError(
        "BENCH_RESULTS_INVALID",
        `${file} holds results of the ${result.suite} suite, not ${suite}`,
        `give each suite its own --out folder (e.g. --out bench-results/${suite})`,
      );
    results.push(result as BenchResult);
  }
  return results;
}

/** Appends one result as one line (created with its folder when missing). */
export function appendResult(file: string, result: BenchResult): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(result)}\n`);
}
