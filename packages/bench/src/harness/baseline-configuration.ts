import { ModelErrorCode, type ChatMessage, type ModelProvider } from "@tinyllm/core";
import type { BenchConfiguration, ConfigAnswer } from "./bench-configuration";

/** Options of {@link createBaselineConfiguration}. */
export interface BaselineConfigurationOptions {
  /** The configuration's name in results (`T1`, or the model). */
  name: string;
  provider: ModelProvider;
  /** The model as the provider knows it. */
  model: string;
  /** The tier it stands for, for the cost. */
  tier?: string;
  /** Most tokens per answer. Default 1,024. */
  maxTokens?: number;
  /** Default 42; sampling is greedy (temperature 0). */
  seed?: number;
}

/**
 * A single model answering alone: the suite's plain system prompt and the item's turns, one chat
 * call per turn with the earlier turns and answers as history, greedy. No routing, tools or gate.
 */
export function createBaselineConfiguration({ name, provider, model, tier, maxTokens = 1024, seed = 42 }: BaselineConfigurationOptions): BenchConfiguration {
  return {
    name,
    kind: "baseline",
    model,
    ...(tier ? { tier } : {}),
    async answer(item, { system, abortSignal }) {
      const started = performance.now();
      const messages: ChatMessage[] = [];
      const result: ConfigAnswer = { answers: [], latencyMs: 0, tokensIn: 0, tokensOut: 0, retries: 0, escalations: 0, model, ...(tier ? { tier } : {}) };
      try {
        for (const turn of item.turns) {
          messages.push({ role: "user", content: turn });
          const reply = await provider.chat({
            model,
            system,
            messages: [...messages],
            temperature: 0,
            seed,
            maxTokens,
            ...(abortSignal ? { abortSignal } : {}),
          });
          result.tokensIn += reply.usage.inputTokens;
          result.tokensOut += reply.usage.outputTokens;
          result.answers.push(reply.text);
          messages.push({ role: "assistant", content: reply.text });
        }
      } catch (error) {
        result.error = errorOf(error);
      }
      result.latencyMs = performance.now() - started;
      if (tier) result.tokensByTier = { [tier]: { input: result.tokensIn, output: result.tokensOut } };
      return result;
    },
  };
}

/** `{code, message}` of anything thrown; an error without a TinyLLM code counts as a failed model request. */
export function errorOf(error: unknown): { code: string; message: string } {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === "string" && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : ModelErrorCode.ModelRequestFailed,
      message: typeof message === "string" ? message : String(error),
    };
  }
  return { code: ModelErrorCode.ModelRequestFailed, message: String(error) };
}
