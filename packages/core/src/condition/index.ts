/**
 * The safe edge-condition expression language: parse once, evaluate many times.
 */
export type { Condition } from "./condition";
export type { ConditionSyntaxError } from "./condition-syntax-error";
export { parseCondition } from "./parse-condition";
export type { ParseConditionResult } from "./parse-condition";
