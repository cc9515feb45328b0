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
    problem.nodeId !== undefined ? ` (node '${clip(problem.nodeId, 80)}')` : problem.edgeIndex !== undefined ? ` (edge #${problem.edgeIndex + 1})` : "";
  const head = `${where}: ${problem.severity}: ${clip(problem.message, 500)}${subject}`;
  return problem.hint ? `${head}\n  → ${clip(problem.hint, 500)}` : head;
}

/** Keeps messages readable when they quote something huge (a 100,000-character id). */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
