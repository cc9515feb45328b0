/**
 * Why a condition's source text could not be parsed, and where.
 */
export interface ConditionSyntaxError {
  /** Human message that says what is wrong and what to do, e.g. `expected a value after "and" at column 14`. */
  message: string;
  /** 0-based character offset into the source where the problem is. */
  offset: number;
}
