import type { GraphProblem } from "../graph-problem";

/** Finds the line and column of a path in the source text, when there is source text. */
export type LocatePath = (path: (string | number)[], offset: number) => { line: number; column: number } | undefined;

/** A problem as a stage reports it: the reporter adds severity, file and position. */
export type ReportedProblem = Omit<GraphProblem, "severity" | "file" | "line" | "column"> & { offset?: number; severity?: "error" | "warning" };

/** Collects the problems of one graph. @internal */
export interface GraphReporter {
  readonly problems: GraphProblem[];
  report(problem: ReportedProblem): void;
  hasErrors(): boolean;
}

/** A reporter for `file`, locating problems with `locate` when the graph came from text. @internal */
export function createGraphReporter({ file, locate }: { file?: string | undefined; locate?: LocatePath | undefined }): GraphReporter {
  const problems: GraphProblem[] = [];
  return {
    problems,
    report({ offset, ...problem }) {
      const position = locate?.(problem.path, offset ?? 0);
      problems.push({
        severity: "error",
        ...problem,
        ...(file !== undefined ? { file } : {}),
        ...(position ? { line: position.line, column: position.column } : {}),
      });
    },
    hasErrors: () => problems.some((problem) => problem.severity === "error"),
  };
}
