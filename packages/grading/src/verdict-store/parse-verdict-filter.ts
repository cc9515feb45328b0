import { TinyLLMError } from "@tinyllm/core";
import { z } from "zod";
import { GradingErrorCode } from "../grading-error-code";
import type { VerdictFilter } from "./verdict-filter";
import type { VerdictStatsOptions } from "./verdict-group-stats";

/** Largest `limit` of {@link VerdictStore.list}. @internal */
export const maxListLimit = 10_000;

const timeMs = z.number().finite();

// Unknown keys are rejected here (unlike in records): a misspelt filter would silently widen
// the result.
const VerdictFilterSchema: z.ZodType<VerdictFilter> = z.strictObject({
  sinceMs: timeMs.optional(),
  untilMs: timeMs.optional(),
  nodeId: z.string().optional(),
  answeredBy: z.string().optional(),
  route: z.string().optional(),
  model: z.string().optional(),
  graphId: z.string().optional(),
  pass: z.boolean().optional(),
  limit: z.number().int().min(1).max(maxListLimit).optional(),
});

const VerdictStatsOptionsSchema: z.ZodType<VerdictStatsOptions> = z.strictObject({
  groupBy: z.enum(["node", "answeredBy", "route", "model"]),
  sinceMs: timeMs.optional(),
  graphId: z.string().optional(),
});

/** Validates a {@link VerdictFilter}. @throws TinyLLMError `GRADING_INPUT_INVALID`. @internal */
export function parseVerdictFilter(filter: unknown): VerdictFilter {
  return parse(
    VerdictFilterSchema,
    filter ?? {},
    "verdict filter",
    `use sinceMs, untilMs, nodeId, answeredBy, route, model, graphId, pass and limit (1 to ${maxListLimit})`,
  );
}

/** Validates {@link VerdictStatsOptions}. @throws TinyLLMError `GRADING_INPUT_INVALID`. @internal */
export function parseVerdictStatsOptions(options: unknown): VerdictStatsOptions {
  return parse(
    VerdictStatsOptionsSchema,
    options,
    "verdict stats options",
    'give groupBy ("node", "answeredBy", "route" or "model"), and optionally sinceMs and graphId',
  );
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string, hint: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.filter((p) => typeof p !== "symbol").join(".");
  const message = `Invalid ${what}: ${path === "" ? "" : `field '${path}': `}${issue.message}`;
  throw new TinyLLMError({ code: GradingErrorCode.InputInvalid, message, hint });
}
