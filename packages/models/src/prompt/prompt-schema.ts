import { z } from "zod";

/** Sampling settings of a prompt. */
export const SamplingSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  /** Upper bound on generated tokens. */
  maxTokens: z.int().min(1).max(32_768).optional(),
  seed: z.int().optional(),
  stop: z.array(z.string().min(1)).max(16).optional(),
});

/** A prompt file in `prompts/`: what a specialist says to its model. */
export const PromptSchema = z.strictObject({
  /** Unique id; model nodes name it in `config.prompt`. */
  id: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "letters, digits, _ . and -"),
  description: z.string().optional(),
  /** A tier (`T0`–`T3`) or a model name. Default `T1`. */
  tier: z.string().optional(),
  /** A model name; overrides `tier`. */
  model: z.string().optional(),
  system: z.string().default(""),
  /** The user message, a template over the run state plus `query`. Default `{{ query }}`. */
  template: z.string().default("{{ query }}"),
  /** Few-shot examples, sent before the user message. */
  examples: z.array(z.strictObject({ user: z.string(), assistant: z.string() })).default([]),
  sampling: SamplingSchema.default({}),
  /** `text`, or `json` with an optional JSON schema the answer must match. */
  output: z
    .strictObject({ format: z.enum(["text", "json"]).default("text"), schema: z.record(z.string(), z.unknown()).optional() })
    .default({ format: "text" }),
});

/** A validated prompt. */
export type Prompt = z.output<typeof PromptSchema>;
/** Sampling settings. */
export type Sampling = z.output<typeof SamplingSchema>;
