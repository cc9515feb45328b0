/** One thing wrong with a graph, with where it is and what to do. */
export interface GraphProblem {
  severity: "error" | "warning";
  /** Stable code, e.g. `yaml-syntax`, `dangling-edge`, `unbounded-cycle`. */
  code: string;
  message: string;
  /** What to do about it. */
  hint?: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Path inside the document, e.g. `["nodes", 2, "config", "set"]`. */
  path: (string | number)[];
  nodeId?: string;
  /** Index into `edges`, for edge problems. */
  edgeIndex?: number;
}

/** `file:line:col: error: message (node 'x')` plus the hint on its own line. */
export function formatGraphProblem(problem: GraphProblem): string {
  const where = [problem.file ?? "<graph>", problem.line, problem.column].filter((p) => p !== undefined).join(":");
  const subject =
    problem.nodeId !== undefined
      ? ` (node '${problem.nodeId}')`
      : problem.edgeIndex !== undefined
        ? ` (edge #${problem.edgeIndex + 1})`
        : "";
  const head = `${where}: ${problem.severity}: ${problem.message}${subject}`;
  return problem.hint ? `${head}\n  → ${problem.hint}` : head;
}
