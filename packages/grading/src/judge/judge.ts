import { generateObject, TinyLLMError, toTinyLLMError, type ModelResolver } from "@tinyllm/core";
import { z } from "zod";
import type { CheckResult } from "../checks/check-result";
import { GradingErrorCode } from "../grading-error-code";
import type { Rubric } from "../rubric/rubric-schema";
import { judgeMessages } from "./judge-prompt";

/** Options of {@link createJudge}. */
export interface JudgeOptions {
  /** Maps the judge's tier to a provider and model. */
  resolveModel: ModelResolver;
  /** The judge's tier. Default `T3`. */
  tier?: string;
  /** Tiers from smallest to largest, for "one tier up". Default `["T0", "T1", "T2", "T3"]`. */
  tiers?: readonly string[];
  /** Sampling seed. Default 42 (with temperature 0, repeated gradings agree). */
  seed?: number;
  /** Most tokens of one judge answer. Default 600. */
  maxTokens?: number;
}

/** What the judge is asked to grade. */
export interface JudgeInput {
  query: string;
  answer: string;
  rubric: Rubric;
  /** A reference answer; the judge then grades against it. */
  reference?: string;
  /** What the cheaper checks found, shown to the judge. */
  evidence?: readonly CheckResult[];
}

/** The judge's verdict. */
export interface JudgeVerdict {
  /** Score per rubric dimension, 0–1 (the judge answers 1–5; 1 → 0, 5 → 1). */
  scores: Record<string, number>;
  /** The judge's 1–5 answers. */
  rawScores: Record<string, number>;
  rationale: string;
  /** What the answer's author should change. */
  feedback: string;
  model: string;
  tier: string | undefined;
  /** True when the first answer was invalid and the repair round fixed it. */
  repaired: boolean;
  /** True when the judge's tier failed and the next tier up answered. */
  escalated: boolean;
  usage: { inputTokens: number; outputTokens: number };
  durationMs: number;
}

/** An LLM judge; see {@link createJudge}. */
export type Judge = (input: JudgeInput, options?: { abortSignal?: AbortSignal }) => Promise<JudgeVerdict>;

/**
 * The LLM judge: asks the judge tier (T3 by default) to score an answer on each rubric dimension
 * from 1 to 5, with a rationale and feedback for the answer's author. Output is constrained by a
 * JSON schema, with temperature 0 and a fixed seed. An invalid answer gets one repair round; if
 * that fails too, the next tier up is asked once.
 *
 * @throws TinyLLMError `GRADING_JUDGE_FAILED` when no tier gives a valid verdict; provider errors
 * (`MODEL_UNAVAILABLE`, `MODEL_ABORTED`, …) are in its `cause`.
 *
 * @example
 * ```ts
 * const judge = createJudge({ resolveModel: (ref) => ({ provider, model: "qwen2.5:14b", tier: ref.tier }) });
 * const verdict = await judge({ query, answer, rubric: defaultRubric });
 * ```
 */
export function createJudge({ resolveModel, tier = "T3", tiers = ["T0", "T1", "T2", "T3"], seed = 42, maxTokens = 600 }: JudgeOptions): Judge {
  return async (input, { abortSignal } = {}) => {
    const names = input.rubric.dimensions.map((dimension) => dimension.name);
    const score = z.literal([1, 2, 3, 4, 5]);
    const schema = z.object({
      scores: z.object(Object.fromEntries(names.map((name) => [name, score]))),
      rationale: z.string().max(800),
      feedback: z.string().max(800),
    });
    const next = tiers[tiers.indexOf(tier) + 1];
    const attempts = tiers.includes(tier) && next !== undefined ? [tier, next] : [tier];
    const failures: string[] = [];
    let lastError: TinyLLMError | undefined;
    for (const [index, attemptTier] of attempts.entries()) {
      let resolved;
      try {
        resolved = resolveModel({ tier: attemptTier });
      } catch (error) {
        lastError = toTinyLLMError(error);
        failures.push(`${attemptTier}: ${lastError.message}`);
        continue;
      }
      try {
        const { object, result, repaired } = await generateObject({
          provider: resolved.provider,
          model: resolved.model,
          schema,
          messages: judgeMessages(input),
          temperature: 0,
          seed,
          maxTokens,
          ...(abortSignal ? { abortSignal } : {}),
        });
        const rawScores = object.scores as Record<string, number>;
        return {
          scores: Object.fromEntries(names.map((name) => [name, ((rawScores[name] ?? 1) - 1) / 4])),
          rawScores,
          rationale: object.rationale,
          feedback: object.feedback,
          model: resolved.model,
          tier: resolved.tier ?? attemptTier,
          repaired,
          escalated: index > 0,
          usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
          durationMs: result.durationMs,
        };
      } catch (error) {
        lastError = toTinyLLMError(error);
        if (lastError.code === "MODEL_ABORTED" || abortSignal?.aborted) throw lastError;
        failures.push(`${attemptTier} (${resolved.model}): ${lastError.message.slice(0, 300)}`);
      }
    }
    throw new TinyLLMError({
      code: GradingErrorCode.JudgeFailed,
      message: `the judge gave no valid verdict: ${failures.join("; ")}`,
      hint: "use a larger judge model for the T3 tier in tinyllm.yaml, or check that the provider is running (tinyllm doctor)",
      cause: lastError,
    });
  };
}
