import type { ChatMessage, ModelProvider } from "./model-provider";

/**
 * State field with the conversation a run is part of: the rolling summary of older turns, the
 * recent turns and the recalled long-term memories. `runtime.chat` and the server's chat
 * routes write it; the `memory` node adds memories; every `model` node gives it to its model,
 * sized to that model's context by a {@link PromptFitter}.
 */
export const CONVERSATION_FIELD = "conversation";

/** One earlier turn of a conversation. */
export interface ConversationTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The value of {@link CONVERSATION_FIELD}. */
export interface ConversationState {
  /** The rolling summary of turns older than `turns`. */
  summary?: string;
  /** Recent turns, oldest first, without the current message (that is the run's `input`). */
  turns: ConversationTurn[];
  /** Recalled long-term memories, most relevant first. */
  memories?: string[];
}

/** What a {@link PromptFitter} takes: one model call's prompt and the conversation to fit around it. */
export interface PromptFitInput {
  provider: ModelProvider;
  model: string;
  /** The prompt's system text. */
  system?: string;
  conversation: ConversationState;
  /** The call's own messages (few-shot examples, then the current user message): never cut. */
  messages: ChatMessage[];
  /** Tokens kept free for the answer. */
  reserveTokens: number;
  abortSignal?: AbortSignal;
}

/** A prompt that fits: what to send, and what was left out. */
export interface PromptFit {
  system?: string;
  /** The earlier turns that fit, then the call's own messages. */
  messages: ChatMessage[];
  /** How many of the oldest turns did not fit and were left out (the summary stands in for them). */
  omittedTurns: number;
  /** Tokens the prompt takes, when counted. */
  tokens?: number;
}

/**
 * Sizes a model call's prompt to the model's context: the system prompt, the rolling summary,
 * the recalled memories, as many recent turns as fit, and the call's own messages, which are
 * never cut (it throws `CONTEXT_OVERFLOW` when they alone do not fit). `@tinyllm/memory`'s
 * `createPromptFitter` is the implementation the runtime gives the `model` node kind.
 */
export type PromptFitter = (input: PromptFitInput) => Promise<PromptFit>;

/** Reads {@link CONVERSATION_FIELD} from state, or `undefined` when it is missing or not a conversation. */
export function conversationOf(value: unknown): ConversationState | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as { summary?: unknown; turns?: unknown; memories?: unknown };
  const turns = Array.isArray(raw.turns)
    ? raw.turns.filter(
        (turn): turn is ConversationTurn =>
          typeof turn === "object" &&
          turn !== null &&
          ["system", "user", "assistant"].includes((turn as ConversationTurn).role) &&
          typeof (turn as ConversationTurn).content === "string",
      )
    : [];
  const summary = typeof raw.summary === "string" && raw.summary.trim() !== "" ? raw.summary : undefined;
  const memories = Array.isArray(raw.memories) ? raw.memories.filter((memory): memory is string => typeof memory === "string" && memory.trim() !== "") : [];
  if (turns.length === 0 && summary === undefined && memories.length === 0) return undefined;
  return { turns, ...(summary !== undefined ? { summary } : {}), ...(memories.length > 0 ? { memories } : {}) };
}

/**
 * The system text of a conversation without fitting: the prompt's system text, then the summary
 * and the memories as labelled blocks. Fitters and callers without one use the same wording.
 */
export function conversationSystem(system: string | undefined, conversation: Pick<ConversationState, "summary" | "memories">): string | undefined {
  const parts = [system?.trim() ?? ""];
  if (conversation.summary) parts.push(`Summary of earlier conversation:\n${conversation.summary.trim()}`);
  if (conversation.memories && conversation.memories.length > 0)
    parts.push(`Things you know about the user:\n${conversation.memories.map((memory) => `- ${memory.trim()}`).join("\n")}`);
  const text = parts.filter((part) => part !== "").join("\n\n");
  return text === "" ? undefined : text;
}
