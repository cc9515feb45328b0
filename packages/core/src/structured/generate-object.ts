/**
 * Typed structured output: ask any provider for JSON that matches a zod schema.
 *
 * @module
 */
import { ErrorCode } from "../error/error-codes";
import { TinyLLMError } from "../error/tinyllm-error";
import { z } from "zod";

import type { ChatMessage, ChatOptions, ChatResult, ModelProvider } from "../contracts/model-provider";

/** Options of {@link generateObject}. */
export interface GenerateObjectOptions<Schema extends z.ZodType> extends Omit<ChatOptions, "jsonSchema" | "messages" | "model"> {
  provider: ModelProvider;
  model: string;
  /** What the answer must be. Converted with `z.toJSONSchema()` and sent as `jsonSchema`. */
  schema: Schema;
  messages: ChatMessage[];
  /**
   * Show a parse or validation failure to the model once and ask again. Default `true`;
   * with `false` the first failure throws.
   */
  repair?: boolean;
}

/** The result of {@link generateObject}. */
export interface GenerateObjectResult<T> {
  /** The parsed, validated answer. */
  object: T;
  /**
   * The chat call that produced `object`. When a repair round ran, `usage` and `durationMs`
   * cover both calls.
   */
  result: ChatResult;
  /** True when the first answer was invalid and the repair round fixed it. */
  repaired: boolean;
}

/** Most characters of an invalid answer quoted back to the model or into an error. */
const maxQuotedChars = 2_000;

/**
 * Asks `provider` for JSON matching `schema` (a zod schema), parses it and validates it.
 * When the answer does not parse or validate, the error is shown to the model once and the
 * request repeated; a second failure throws `MODEL_OUTPUT_INVALID` with both errors.
 *
 * Provider errors (`MODEL_UNAVAILABLE`, `MODEL_ABORTED`, …) pass through unchanged. A schema
 * that JSON Schema cannot express (e.g. `z.date()`, transforms) throws `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const { object } = await generateObject({
 *   provider, model: "qwen2.5:0.5b",
 *   schema: z.object({ sentiment: z.enum(["positive", "negative"]) }),
 *   messages: [{ role: "user", content: "Classify: I love it" }],
 * });
 * ```
 */
export async function generateObject<Schema extends z.ZodType>(options: GenerateObjectOptions<Schema>): Promise<GenerateObjectResult<z.output<Schema>>> {
  const { provider, schema, messages, repair = true, ...chatOptions } = options;
  const jsonSchema = toJsonSchema(schema);
  const request = (conversation: ChatMessage[]): Promise<ChatResult> => provider.chat({ ...chatOptions, messages: conversation, jsonSchema });

  const first = await request(messages);
  const firstAttempt = parseAnswer({ text: first.text, schema });
  if (firstAttempt.ok) return { object: firstAttempt.value, result: first, repaired: false };
  if (!repair) throw outputInvalid({ options, attempts: [{ text: first.text, error: firstAttempt.error }] });

  const repairMessages: ChatMessage[] = [
    ...messages,
    { role: "assistant", content: quote(first.text) },
    {
      role: "user",
      content:
        `Your answer was not valid: ${firstAttempt.error}\n` +
        `Reply again with only a JSON value that matches this JSON schema, and nothing else:\n` +
        JSON.stringify(jsonSchema),
    },
  ];
  const second = await request(repairMessages);
  const combined: ChatResult = {
    ...second,
    usage: {
      inputTokens: first.usage.inputTokens + second.usage.inputTokens,
      outputTokens: first.usage.outputTokens + second.usage.outputTokens,
    },
    durationMs: first.durationMs + second.durationMs,
  };
  const secondAttempt = parseAnswer({ text: second.text, schema });
  if (secondAttempt.ok) return { object: secondAttempt.value, result: combined, repaired: true };
  throw outputInvalid({
    options,
    attempts: [
      { text: first.text, error: firstAttempt.error },
      { text: second.text, error: secondAttempt.error },
    ],
  });
}

/**
 * The JSON schema {@link generateObject} sends for a zod schema: `z.toJSONSchema` of the
 * schema's input side, without the `$schema` key.
 *
 * @throws `INVALID_ARGUMENT` when the schema has no JSON Schema form.
 */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    const jsonSchema = { ...(z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>) };
    delete jsonSchema.$schema;
    return jsonSchema;
  } catch (error) {
    throw new TinyLLMError({
      code: ErrorCode.InvalidArgument,
      message: `generateObject: the schema cannot be expressed as JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
      hint: "use JSON-compatible zod types (no dates, maps, sets, transforms or custom types) for model output",
      cause: error,
    });
  }
}

type ParseAttempt<T> = { ok: true; value: T } | { ok: false; error: string };

function parseAnswer<Schema extends z.ZodType>({ text, schema }: { text: string; schema: Schema }): ParseAttempt<z.output<Schema>> {
  let value: unknown;
  try {
    value = JSON.parse(stripCodeFence(text));
  } catch (error) {
    return {
      ok: false,
      error: `the answer is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
  return { ok: false, error: `the JSON does not match the schema (${issues})` };
}

/** Accepts answers wrapped in a Markdown code fence, which models without a grammar often add. */
function stripCodeFence(text: string): string {
  const trimmed = text.trim();
  const match = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  return match ? match[1]!.trim() : trimmed;
}

function quote(text: string): string {
  return text.length > maxQuotedChars ? `${text.slice(0, maxQuotedChars)}…` : text;
}

function outputInvalid({
  options,
  attempts,
}: {
  options: { model: string; provider: ModelProvider; temperature?: number };
  attempts: Array<{ text: string; error: string }>;
}): TinyLLMError {
  const details = attempts.map((attempt, index) => `attempt ${index + 1}: ${attempt.error}; answer: ${JSON.stringify(quote(attempt.text))}`).join("\n");
  return new TinyLLMError({
    code: ErrorCode.ModelOutputInvalid,
    message: `${options.provider.id} model ${options.model} did not produce valid structured output after ${attempts.length} attempt${attempts.length === 1 ? "" : "s"}:\n${details}`,
    hint: "simplify the schema, describe the expected JSON in the prompt, or use a larger model",
    // Greedy decoding repeats the same answer; sampling may not.
    isRetryable: options.temperature === undefined || options.temperature > 0,
  });
}
