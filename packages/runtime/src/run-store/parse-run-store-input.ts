import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";
import { z } from "zod";

/** The longest run id a run store takes. */
const maxIdChars = 256;
const text = (max: number) => z.string().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const timeMs = z.number().finite().min(0);
const statuses = ["running", "ok", "failed", "timeout", "cancelled", "interrupted"] as const;

/** Checks of {@link RunStore} arguments; each names the field that is wrong. @internal */
export const runStoreSchemas = {
  id: text(maxIdChars),
  begin: z.object({
    id: text(maxIdChars),
    graphId: text(1000),
    graphVersion: z.string().max(1000).optional(),
    source: z.string().max(1000).optional(),
    startedAtMs: timeMs,
    key: z.string().max(1000).optional(),
  }),
  events: z.array(z.object({ type: z.string().min(1) })),
  finish: z.object({
    status: z.enum(statuses.filter((status) => status !== "running") as ["ok", "failed", "timeout", "cancelled", "interrupted"]),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    trace: z.object({ spans: z.array(z.unknown()) }),
    route: z.string().max(1000).optional(),
    verdict: z.object({ pass: z.boolean(), score: z.number().finite().nullable(), decidedBy: z.string().nullable() }).optional(),
    tokens: z.object({ input: z.number().int().min(0), output: z.number().int().min(0) }).optional(),
    endedAtMs: timeMs,
    durationMs: timeMs,
  }),
  eventsOptions: z
    .object({ afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).optional() })
    .strict()
    .optional(),
  listOptions: z
    .object({
      limit: z.number().int().min(1).max(1000).optional(),
      beforeMs: z.number().finite().optional(),
      status: z.enum(statuses).optional(),
      graphId: z.string().optional(),
    })
    .strict()
    .optional(),
};

/**
 * `value` checked against `schema`; throws `INVALID_ARGUMENT` naming the first bad field of
 * `what` otherwise. Returns the parsed value (unknown object fields dropped).
 *
 * @internal
 */
export function parseRunStoreInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.filter((part) => typeof part !== "symbol").join(".");
  throw new TinyLLMError({
    code: CoreErrorCode.InvalidArgument,
    message: `Invalid ${what}${field ? `: field '${field}'` : ""}: ${issue.message}`,
    hint: "see the RunStore interface in @tinyllm/core for what each method takes",
  });
}
