import { formatGraphProblem, loadGraphFile, type GraphProblem, type NodeRegistry } from "@tinyllm/core";
import { createRegistry, promptsDirFor, rubricsDirFor } from "../registry";
import { printJson } from "../output";

/** Options of `tinyllm graph validate`. */
export interface GraphValidateOptions {
  json?: boolean;
}

/** `tinyllm graph validate FILE…`: every problem of every file; exit 1 if any. */
export async function graphValidate(files: string[], options: GraphValidateOptions): Promise<number> {
  const registries = new Map<string, NodeRegistry>();
  const results: { file: string; ok: boolean; problems: GraphProblem[] }[] = [];
  for (const file of files) {
    const promptsDir = promptsDirFor(file, undefined);
    const rubricsDir = rubricsDirFor(file);
    let registry = registries.get(`${promptsDir}\0${rubricsDir}`);
    if (!registry) {
      registry = await createRegistry({ promptsDir, rubricsDir });
      registries.set(`${promptsDir}\0${rubricsDir}`, registry);
    }
    const loaded = await loadGraphFile(file, { registry });
    const problems = loaded.ok ? loaded.warnings : loaded.problems;
    results.push({ file, ok: loaded.ok, problems });
  }
  const failed = results.filter((r) => !r.ok).length;
  if (options.json) {
    printJson({ ok: failed === 0, files: results });
  } else {
    for (const result of results) {
      if (result.ok) process.stdout.write(`✓ ${result.file}\n`);
      for (const problem of result.problems) process.stderr.write(`${formatGraphProblem(problem)}\n`);
    }
    const problemCount = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === "error").length, 0);
    process.stdout.write(
      failed === 0
        ? `${results.length} graph${results.length === 1 ? "" : "s"} valid\n`
        : `${failed} of ${results.length} graph${results.length === 1 ? "" : "s"} invalid, ${problemCount} problem${problemCount === 1 ? "" : "s"}\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}
