import { formatGraphProblem, graphToMermaid, graphToTree, loadGraphFile } from "@tinyllm/core";
import { CliError } from "../cli-error";
import { printJson } from "../output";
import { createRegistry, promptsDirFor, rubricsDirFor } from "../registry";

/** Formats `graph show` can print. */
export const showFormats = ["tree", "mermaid", "json"] as const;

/** Options of `tinyllm graph show`. */
export interface GraphShowOptions {
  format: string;
  json?: boolean;
}

/** `tinyllm graph show FILE --format mermaid|json|tree`. */
export async function graphShow(file: string, options: GraphShowOptions): Promise<number> {
  const format = options.json ? "json" : options.format;
  if (!(showFormats as readonly string[]).includes(format)) {
    throw new CliError(`unknown format '${format}'`, 2, `use one of: ${showFormats.join(", ")}`);
  }
  const loaded = await loadGraphFile(file, { registry: await createRegistry({ promptsDir: promptsDirFor(file, undefined), rubricsDir: rubricsDirFor(file) }) });
  if (!loaded.ok) {
    if (options.json) printJson({ ok: false, file, problems: loaded.problems });
    else for (const problem of loaded.problems) process.stderr.write(`${formatGraphProblem(problem)}\n`);
    return 1;
  }
  if (format === "json") printJson(loaded.graph.definition);
  else if (format === "mermaid") process.stdout.write(`${graphToMermaid(loaded.graph)}\n`);
  else process.stdout.write(`${graphToTree(loaded.graph)}\n`);
  return 0;
}
