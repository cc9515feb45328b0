import { readFile } from "node:fs/promises";
import { CliError } from "../cli-error";
import { printJson } from "../output";

/** `tinyllm tool calc "sqrt(16)*3"`: prints the value. */
export async function toolCalc(expression: string, options: { json?: boolean }): Promise<number> {
  const { runTool, calculator } = await import("@tinyllm/tools");
  const result = await runTool(calculator, { expression });
  if (options.json) printJson(result);
  else if (result.ok) process.stdout.write(`${result.output.text}\n`);
  else process.stderr.write(`error: ${result.error.message}\n${result.error.hint ? `  → ${result.error.hint}\n` : ""}`);
  return result.ok ? 0 : 1;
}

/** `tinyllm tool exec FILE.js [--timeout ms --memory mb]`: prints what the code printed. */
export async function toolExec(file: string, options: { json?: boolean; timeout?: string; memory?: string }): Promise<number> {
  const timeoutMs = options.timeout !== undefined ? Number(options.timeout) : 1000;
  const memoryLimitMb = options.memory !== undefined ? Number(options.memory) : 64;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > 600_000)
    throw new CliError("--timeout must be a whole number of milliseconds between 1 and 600000", 2);
  if (!Number.isInteger(memoryLimitMb) || memoryLimitMb < 8 || memoryLimitMb > 4096)
    throw new CliError("--memory must be a whole number of MB between 8 and 4096", 2);
  let code: string;
  try {
    code = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read '${file}': ${(error as Error).message}`, 1, "pass the path of a .js file");
  }
  const { createCodeExecutor } = await import("@tinyllm/tools");
  const executor = createCodeExecutor({ poolSize: 1, memoryLimitMb, timeoutMs, wallTimeoutMs: Math.max(timeoutMs * 2, timeoutMs + 1000) });
  try {
    const result = await executor.run(code);
    if (options.json) printJson(result);
    else {
      if (result.stdout) process.stdout.write(result.stdout.endsWith("\n") ? result.stdout : `${result.stdout}\n`);
      if (!result.ok) {
        const where =
          result.error.line !== undefined ? ` (line ${result.error.line}${result.error.column !== undefined ? `, column ${result.error.column}` : ""})` : "";
        process.stderr.write(`error: ${result.error.code}: ${result.error.message}${where}\n`);
      }
    }
    return result.ok ? 0 : 1;
  } finally {
    await executor.dispose();
  }
}

/** `tinyllm tool search "query" --dir DOCS` (or `--searxng URL`). */
export async function toolSearch(query: string, options: { json?: boolean; dir?: string; searxng?: string; limit?: string }): Promise<number> {
  if (!options.dir && !options.searxng) throw new CliError("say where to search", 2, "pass --dir FOLDER (text and markdown files) or --searxng URL");
  if (query.trim() === "") throw new CliError("the query is empty", 2, 'say what to look for, e.g. tinyllm tool search "retry policy" --dir docs');
  const limit = options.limit !== undefined ? Number(options.limit) : 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10) throw new CliError("--limit must be a whole number from 1 to 10", 2);
  const t = await import("@tinyllm/tools");
  const provider = options.searxng ? t.createSearxngSearch({ baseUrl: options.searxng }) : t.createLocalSearch({ dir: options.dir as string });
  const result = await t.runTool(t.createSearchTool(provider), { query, limit });
  if (options.json) printJson(result);
  else if (result.ok) {
    const results = (result.output as { results: { title: string; snippet: string; source: string }[] }).results;
    if (results.length === 0) process.stderr.write("no results\n");
    results.forEach((r, i) => process.stdout.write(`${i + 1}. ${r.title}\n   ${r.source}\n   ${r.snippet.replace(/\s+/g, " ")}\n`));
  } else process.stderr.write(`error: ${result.error.message}\n${result.error.hint ? `  → ${result.error.hint}\n` : ""}`);
  return result.ok ? 0 : 1;
}
