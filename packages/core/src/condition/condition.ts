/**
 * A compiled edge condition: a small, safe boolean expression over the run state.
 *
 * Create one with {@link parseCondition}. Compilation happens once; {@link Condition.evaluate}
 * is cheap and safe to call on the executor's hot path.
 */
export interface Condition {
  /** The source text. */
  readonly source: string;
  /** Every state field path the expression reads, as dotted strings, e.g. ["confidence", "route.name"]. Deduplicated, in order of first appearance. */
  readonly fields: readonly string[];
  /** Evaluates against a run state. Never throws: type mismatches evaluate to false. */
  evaluate(state: Readonly<Record<string, unknown>>): boolean;
}
