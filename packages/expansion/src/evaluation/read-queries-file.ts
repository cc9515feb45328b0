import { readFile } from "node:fs/promises";
import { expansionError } from "../expansion-error";
import type { EvaluationItem } from "./evaluation-item";

/**
 * Reads held-out queries: one query per line, or JSON Lines of `{"query": "…", "reference": "…"}`
 * (`reference` optional). Blank lines and lines starting with `#` are skipped. A file may mix
 * both forms; a line that starts with `{` must be valid JSON with a non-empty string `query`.
 *
 * @throws TinyLLMError `EXPANSION_INPUT_INVALID` naming the file and line, when the file cannot
 * be read, a JSON line is malformed, or there is no query at all.
 */
export async function readQueriesFile(file: string): Promise<EvaluationItem[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      code === "ENOENT" ? `the queries file ${file} does not exist` : `the queries file ${file} cannot be read (${code ?? String(error)})`,
      'give --queries a text file with one query per line, or JSON Lines of {"query": …, "reference": …}',
      error,
    );
  }
  const items: EvaluationItem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!line.startsWith("{")) {
      items.push({ query: line, source: "file" });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw expansionError(
        "EXPANSION_INPUT_INVALID",
        `${file}:${index + 1} is not valid JSON`,
        'write one JSON object per line, e.g. {"query": "What is 2+2?", "reference": "4"}',
      );
    }
    const record = value as { query?: unknown; reference?: unknown };
    if (typeof record.query !== "string" || record.query.trim() === "")
      throw expansionError(
        "EXPANSION_INPUT_INVALID",
        `${file}:${index + 1} has no "query" string`,
        'each JSON line needs a non-empty "query", e.g. {"query": "What is 2+2?"}',
      );
    if (record.reference !== undefined && typeof record.reference !== "string" && typeof record.reference !== "number")
      throw expansionError(
        "EXPANSION_INPUT_INVALID",
        `${file}:${index + 1} has a "reference" that is not a string or number`,
        'write the reference as text, e.g. "reference": "42"',
      );
    items.push({ query: record.query.trim(), ...(record.reference !== undefined ? { reference: String(record.reference) } : {}), source: "file" });
  });
  if (items.length === 0) throw expansionError("EXPANSION_INPUT_INVALID", `the queries file ${file} holds no query`, "write one query per line");
  return items;
}
