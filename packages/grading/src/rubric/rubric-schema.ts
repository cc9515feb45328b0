import { z } from "zod";

/** One thing a judge scores, e.g. correctness. */
export const RubricDimensionSchema = z.strictObject({
  /** Identifier, e.g. `correctness`. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "use lower-case letters, digits and _ (e.g. code_quality)"),
  /** Relative weight in the overall score; weights are normalised. */
  weight: z.number().positive().max(1000),
  /** What the judge looks for, in one or two sentences. */
  description: z.string().min(1).max(2000),
});

/** Knobs of the cheap checks that run before the judge. */
export const RubricChecksSchema = z.strictObject({
  /** Shortest acceptable answer, in characters (after trimming). Default 1. */
  minChars: z.int().min(0).max(1_000_000).default(1),
  /** Longest acceptable answer, in characters. Default 50 000. */
  maxChars: z.int().min(1).max(10_000_000).default(50_000),
  /** Fail answers that refuse ("I can't help with that"). Default true. */
  refusal: z.boolean().default(true),
  /** Fail answers that are error text (stack traces, `Error:` lines) rather than an answer. Default true. */
  errorText: z.boolean().default(true),
  /**
   * Which deterministic check applies: `math` (final number), `code` (run the answer's code),
   * `json` (the answer must be JSON), or `auto` (decided from the route and the query). Default `auto`.
   */
  kind: z.enum(["auto", "math", "code", "json", "none"]).default("auto"),
  /** When the query asks for code, an answer without any code fails. Default true. */
  requireCode: z.boolean().default(true),
});

/** A rubric: weighted dimensions, a pass threshold and the routes it grades. */
export const RubricSchema = z.strictObject({
  /** Identifier, e.g. `code`. */
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '.', '_' and '-'"),
  description: z.string().optional(),
  /** Routes this rubric grades (the router's route names). Default: `[id]`. */
  routes: z.array(z.string().min(1)).optional(),
  /** Lowest weighted score (0–1) that passes. Default 0.6. */
  threshold: z.number().min(0).max(1).default(0.6),
  dimensions: z.array(RubricDimensionSchema).min(1, "list at least one dimension").max(20),
  checks: RubricChecksSchema.default(RubricChecksSchema.parse({})),
});

/** A parsed {@link RubricSchema}. */
export type Rubric = z.output<typeof RubricSchema>;
/** A rubric as written in YAML, before defaults. */
export type RubricInput = z.input<typeof RubricSchema>;
/** A parsed {@link RubricDimensionSchema}. */
export type RubricDimension = z.output<typeof RubricDimensionSchema>;
/** A parsed {@link RubricChecksSchema}. */
export type RubricChecks = z.output<typeof RubricChecksSchema>;
