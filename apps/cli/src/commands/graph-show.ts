import { graphToMermaid, graphToTree } from "@tinyllm/core";
import { CliError } from "../cli-error";
import { withRuntime } from "../load-cli-config";
import { printJson } from "../output";
import { printGraphProblems } from "../print-problems";

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
  const checked = await withRuntime({}, { verdicts: false }, (runtime) => runtime.checkGraph(file));
  if (!checked.ok) return printGraphProblems(file, checked.problems, options);
  const loaded = checked.loaded;
  if (format === "json") printJson(loaded.graph.definition);
  else if (format === "mermaid") process.stdout.write(`${graphToMermaid(loaded.graph)}\n`);
  else process.stdout.write(`${graphToTree(loaded.graph)}\n`);
  return 0;
}
