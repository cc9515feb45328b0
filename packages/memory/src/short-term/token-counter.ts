import type { ChatMessage, ModelProvider } from "@tinyllm/core";

/** What {@link tokenCounter} takes. */
export interface TokenCounterOptions {
  /** The provider whose `countTokens` (the model's own tokenizer) is used when it has one. */
  provider?: ModelProvider;
  /** The model to count for; needed with `provider`. */
  model?: string;
}

/** Counts the tokens of a prompt for one model. */
export interface TokenCounter {
  /** Tokens a chat request with these messages (and system prompt) takes, template included. */
  count(messages: Pick<ChatMessage, "role" | "content">[], system?: string): Promise<number>;
  /** The model's context size, in tokens, once a {@link TokenCounter.count} has learnt it from the provider. */
  readonly contextTokens?: number;
  /** Whether counts come from the model's tokenizer (`true`) or from the estimate (`false`). */
  readonly exact: boolean;
}

/** Estimated characters per token: real tokenizers average about 4 for English, fewer for code and other scripts. */
const CHARS_PER_TOKEN = 3;
/** Estimated template tokens around each message (role markers, separators). */
const PER_MESSAGE_TOKENS = 4;
/** Estimated tokens that open the answer (e.g. `<|im_start|>assistant\n`). */
const REPLY_PRIMING_TOKENS = 3;

/**
 * The estimate used without a tokenizer: `ceil(chars / 3)` per message plus 4 for its template,
 * plus 3 to open the answer. Deliberately high (a real tokenizer gives about one token per 4
 * characters of English), so a window built on it fits the real model.
 */
export function estimateTokens(messages: Pick<ChatMessage, "role" | "content">[], system?: string): number {
  const parts = system ? [system, ...messages.map((message) => message.content)] : messages.map((message) => message.content);
  return parts.reduce((sum, text) => sum + Math.ceil(text.length / CHARS_PER_TOKEN) + PER_MESSAGE_TOKENS, REPLY_PRIMING_TOKENS);
}

/**
 * A token counter for one model: exact through `provider.countTokens` when the provider has it
 * (and then it also learns the model's context size), else the conservative
 * {@link estimateTokens}. When the provider's count fails (model not loaded, server down) the
 * counter falls back to the estimate for good and `exact` becomes `false`.
 *
 * @example
 * ```ts
 * const counter = tokenCounter({ provider, model: "qwen2.5:0.5b" });
 * const tokens = await counter.count([{ role: "user", content: "Hi" }], "Be brief.");
 * ```
 */
export function tokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const { provider, model } = options;
  let exact = Boolean(provider?.countTokens && model);
  let contextTokens: number | undefined;
  return {
    get exact() {
      return exact;
    },
    get contextTokens() {
      return contextTokens;
    },
    async count(messages, system) {
      if (exact && provider?.countTokens && model) {
        try {
          const counted = await provider.countTokens({
            model,
            messages: messages.map(({ role, content }) => ({ role, content })),
            ...(system ? { system } : {}),
          });
          if (counted.contextTokens > 0) contextTokens = counted.contextTokens;
          return counted.inputTokens;
        } catch {
          exact = false;
        }
      }
      return estimateTokens(messages, system);
    },
  };
}
