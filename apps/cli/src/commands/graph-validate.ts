import type { GraphProblem } from "@tinyllm/core";
import { formatGraphProblem } from "@tinyllm/core";
import { withRuntime } from "../load-cli-config";
import { printJson } from "../output";

/** Options of `tinyllm graph validate`. */
export interface GraphValidateOptions {
  json?: boolean;
}

/** `tinyllm graph validate FILE…`: every problem of every file; exit 1 if any. */
export async function graphValidate(files: string[], options: GraphValidateOptions): Promise<number> {
  const results: { file: string; ok: boolean; problems: GraphProblem[] }[] = [];
  await withRuntime({}, { verdicts: false }, async (runtime) => {
    for (const file of files) {
      const checked = await runtime.checkGraph(file);
      results.push(checked.ok ? { file, ok: true, problems: checked.loaded.warnings } : { file, ok: false, problems: checked.problems });
    }
  });
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
