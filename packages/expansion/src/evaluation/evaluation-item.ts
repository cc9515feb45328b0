/** One query of an evaluation set, with its reference answer when there is one. */
export interface EvaluationItem {
  query: string;
  /** The reference answer, handed to the gate (e.g. a number for the math check). */
  reference?: string;
  /** Where it came from: `verdicts` (the node's stored queries) or `file` (`--queries`). */
  source: "verdicts" | "file";
}
