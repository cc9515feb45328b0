import { TinyLLMError } from "@tinyllm/core";
import { z } from "zod";
import { GradingErrorCode } from "../grading-error-code";
import type { VerdictRecordInput } from "./verdict-record";

const text = z.string();
const name = z.string().min(1, "must not be empty");
const unit = z.number().finite().min(0).max(1);
const durationMs = z.number().finite().min(0);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const VerdictRecordInputSchema: z.ZodType<VerdictRecordInput> = z.object({
  createdAtMs: count.optional(),
  runId: text.optional(),
  graphId: text.optional(),
  graphVersion: text.optional(),
  nodeId: name,
  answeredBy: text.optional(),
  route: text.optional(),
  model: text.optional(),
  provider: text.optional(),
  tier: text.optional(),
  attempt: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  pass: z.boolean().nullable(),
  score: unit.nullable(),
  decidedBy: name,
  scores: z.record(z.string(), unit).optional(),
  checks: z.array(z.unknown()).optional(),
  feedback: text.optional(),
  latencyMs: durationMs.optional(),
  gradingMs: durationMs.optional(),
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  query: text,
  answer: text.optional(),
  rubric: text.optional(),
});

/**
 * Validates a verdict record and returns a copy without unknown fields.
 *
 * @throws TinyLLMError `GRADING_INPUT_INVALID` naming the first bad field.
 * @internal
 */
export function parseVerdictRecord(input: unknown): VerdictRecordInput {
  const parsed = VerdictRecordInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p) => typeof p !== "symbol").join(".");
    const message = path === "" ? `Invalid verdict record: ${issue.message}` : `Invalid verdict record: field '${path}': ${issue.message}`;
    throw new TinyLLMError({
      code: GradingErrorCode.InputInvalid,
      message,
      hint: "pass nodeId, decidedBy, query, pass (boolean) and score (0..1); optional numbers must be finite and non-negative",
    });
  }
  return parsed.data;
}

/**
 * JSON text of `value`, or a `GRADING_INPUT_INVALID` error naming `field` when it cannot be
 * serialised (a cycle, a BigInt).
 *
 * @internal
 */
export function toJsonField(value: unknown, field: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new TinyLLMError({
      code: GradingErrorCode.InputInvalid,
      message: `Invalid verdict record: field '${field}' cannot be stored as JSON: ${(error as Error).message}`,
      hint: `make '${field}' plain JSON data (no cycles, BigInts or functions)`,
      cause: error,
    });
  }
}
