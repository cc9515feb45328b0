/**
 * Which verdicts {@link VerdictStore.list} and {@link VerdictStore.count} read. Every field is
 * optional and the fields combine with AND. Unknown fields are rejected with
 * `GRADING_INPUT_INVALID`, because a misspelt filter would silently widen the result.
 */
export interface VerdictFilter {
  /** Only verdicts made at or after this time, in ms since the Unix epoch. */
  sinceMs?: number;
  /** Only verdicts made before this time (exclusive), in ms since the Unix epoch. */
  untilMs?: number;
  /** Only verdicts of this gate node. */
  nodeId?: string;
  /** Only verdicts on answers written by this node. */
  answeredBy?: string;
  /** Only verdicts on answers that took this route. */
  route?: string;
  /** Only verdicts on answers written by this model. */
  model?: string;
  /** Only verdicts from runs of this graph. */
  graphId?: string;
  /** Only passed (`true`) or only failed (`false`) verdicts. */
  pass?: boolean;
  /** Most records {@link VerdictStore.list} returns: 1 to 10 000, default 100. `count` ignores it. */
  limit?: number;
}
