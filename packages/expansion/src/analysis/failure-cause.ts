/**
 * Why answers failed, in the vocabulary expansion's strategies act on:
 * - `task_complexity`: the task needs more than the node's model manages (long, multi-step);
 * - `domain_mismatch`: the query belongs to another specialist;
 * - `context_overflow`: the prompt did not fit the model's context;
 * - `tool_missing`: a deterministic check (the calculator, the code tests) caught a wrong
 *   computation that a tool would have done;
 * - `instruction_unclear`: the answer ignored the asked format or instructions;
 * - `model_limitation`: anything else the model got wrong.
 */
export type FailureCause = "task_complexity" | "domain_mismatch" | "context_overflow" | "tool_missing" | "instruction_unclear" | "model_limitation";

/** Every {@link FailureCause}, in a fixed order. */
export const FAILURE_CAUSES: readonly FailureCause[] = [
  "task_complexity",
  "domain_mismatch",
  "context_overflow",
  "tool_missing",
  "instruction_unclear",
  "model_limitation",
];
