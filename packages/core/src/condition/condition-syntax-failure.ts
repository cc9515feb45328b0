import type { ConditionSyntaxError } from "./condition-syntax-error";

/**
 * Thrown inside the tokenizer and parser to abort on the first syntax error;
 * {@link parseCondition} catches it and turns it into a {@link ConditionSyntaxError}.
 * @internal
 */
export class ConditionSyntaxFailure extends Error implements ConditionSyntaxError {
  /** 0-based character offset into the source where the problem is. */
  readonly offset: number;

  constructor(offset: number, message: string) {
    super(message);
    this.name = "ConditionSyntaxFailure";
    this.offset = offset;
  }
}
