/**
 * The calculator as other packages use it (grading recomputes stated arithmetic with it).
 * `@tinyllm/tools` implements it with its hardened mathjs evaluator.
 *
 * @module
 */

/** The value of an expression, or why there is none. */
export type CalculatorValue =
  | {
      ok: true;
      /** The value at full precision: a number, or an exact decimal or fraction as text. */
      value: number | string;
      /** The value formatted for people. */
      text: string;
    }
  | { ok: false; code: string; message: string };

/** Arithmetic on untrusted text. */
export interface Calculator {
  /** Evaluates an arithmetic expression (`"17*24"`, `"sqrt(16)"`), bounded by `timeoutMs`. Never throws. */
  evaluate(expression: string, options?: { timeoutMs?: number }): CalculatorValue;
  /**
   * The expression of a query that is only a calculation (`"What is 17*24?"` gives `"17*24"`),
   * else undefined.
   */
  bareCalculation(query: string): string | undefined;
}
