import { formatGraphProblem, type GraphProblem } from "@tinyllm/core";
import { printJson } from "./output";

/** Prints why a graph did not load: JSON with `json`, else one located line per problem. Returns exit code 1. */
export function printGraphProblems(file: string | undefined, problems: GraphProblem[], { json }: { json?: boolean }): number {
  if (json) printJson({ ok: false, ...(file ? { file } : {}), problems });
  else for (const problem of problems) process.stderr.write(`${formatGraphProblem(problem)}\n`);
  return 1;
}
