/**
 * Public benchmark questions as routing queries, labelled only by where they come from. They are
 * evaluation data only: nothing here trains the router (routing-data.test.ts checks that no
 * example of the graph is a near-duplicate of any of them).
 *
 * - GSM8K test → `math`
 * - MBPP sanitized, HumanEval → `code` (`code` with `math` also counts as right)
 * - MT-Bench (first turn) by category: math → `math`, coding → `code`, writing, roleplay and
 *   humanities → `general`; reasoning, extraction and STEM have no expected label and are only
 *   counted in the shares.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** One question of a public set and the label its source stands for. */
export interface ExternalItem {
  /** `gsm8k`, `mbpp`, `humaneval` or `mtbench/CATEGORY`. */
  source: string;
  query: string;
  /** The label a right decision contains; undefined when the source implies none. */
  expected?: "code" | "math" | "general";
}

/** The files, relative to the datasets folder. */
export const externalFiles = {
  gsm8k: "gsm8k/test.jsonl",
  mbpp: "mbpp/sanitized-mbpp.json",
  humaneval: "humaneval/HumanEval.jsonl",
  mtbench: "mt_bench/question.jsonl",
} as const;

const jsonLines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const mtBenchExpected: Record<string, ExternalItem["expected"]> = {
  math: "math",
  coding: "code",
  writing: "general",
  roleplay: "general",
  humanities: "general",
};

/**
 * Reads every set found under `folder` (a set whose file is missing is left out). Throws with
 * what to do when none is there.
 */
export function readExternalSets(folder: string): ExternalItem[] {
  const at = (relative: string) => path.join(folder, relative);
  const items: ExternalItem[] = [];
  if (existsSync(at(externalFiles.gsm8k)))
    for (const row of jsonLines(at(externalFiles.gsm8k))) items.push({ source: "gsm8k", query: String(row.question), expected: "math" });
  if (existsSync(at(externalFiles.mbpp)))
    for (const row of JSON.parse(readFileSync(at(externalFiles.mbpp), "utf8")) as { prompt: string }[])
      items.push({ source: "mbpp", query: String(row.prompt), expected: "code" });
  if (existsSync(at(externalFiles.humaneval)))
    for (const row of jsonLines(at(externalFiles.humaneval))) items.push({ source: "humaneval", query: String(row.prompt), expected: "code" });
  if (existsSync(at(externalFiles.mtbench)))
    for (const row of jsonLines(at(externalFiles.mtbench))) {
      const category = String(row.category);
      const expected = mtBenchExpected[category];
      items.push({ source: `mtbench/${category}`, query: String((row.turns as string[])[0]), ...(expected ? { expected } : {}) });
    }
  if (items.length === 0)
    throw new Error(`no data set found under ${folder}: expected ${Object.values(externalFiles).join(", ")} (the folder ../shared/bench/datasets has them)`);
  return items;
}

/** Whether a decision's labels are right for the item: they contain the expected label. */
export function isRight(item: ExternalItem, labels: readonly string[]): boolean {
  return item.expected !== undefined && labels.includes(item.expected);
}
