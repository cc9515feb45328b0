import { MemoryErrorCode, TinyLLMError, type ChatMessage, type SessionMessage, type SessionSummary } from "@tinyllm/core";
import type { TokenCounter } from "./token-counter";

/** What {@link buildPromptWindow} takes. */
export interface PromptWindowOptions {
  /** The system prompt. */
  system?: string;
  /** The session's rolling summary: turns up to its `throughSeq` are never repeated. */
  summary?: SessionSummary;
  /** Earlier turns, older → newer, without the current message. */
  messages: SessionMessage[];
  /** Recalled long-term memories, best first (the last are dropped first when room runs out). */
  memories?: { text: string }[];
  /** The current user message: never cut. */
  current: string;
  /** The model's context size, in tokens. */
  contextTokens: number;
  /** Tokens kept free for the answer. */
  reserveTokens: number;
  counter: TokenCounter;
  abortSignal?: AbortSignal;
}

/** The prompt {@link buildPromptWindow} fitted, and what it left out. */
export interface PromptWindow {
  /** The recent turns that fit, oldest first, then the current user message last. */
  messages: ChatMessage[];
  /** The system prompt with the summary and memory blocks, or `undefined` when there is none of them. */
  system: string | undefined;
  /** Tokens the prompt takes (without the reserve). */
  usedTokens: number;
  /** The `seq` of the oldest turn in the window; when no turn fits, one past the newest turn (or past the summary). */
  includedFromSeq: number;
  /** Turns newer than the summary that did not fit, oldest first: fold them into the summary (see `foldOldTurns`). */
  omitted: SessionMessage[];
  /** How many memories were dropped for room (the lowest-ranked). */
  droppedMemories: number;
  /** Whether the rolling summary was dropped for room. */
  droppedSummary: boolean;
}

/** The heading of the summary block in the system prompt. */
export const SUMMARY_HEADING = "Summary of earlier conversation:";
/** The heading of the memories block in the system prompt. */
export const MEMORIES_HEADING = "Things you know about the user:";

/**
 * Fits a conversation into a model's context: the system prompt, then the rolling summary and
 * the recalled memories (as system blocks), then as many recent turns as fit (newest kept),
 * then the current message, with `reserveTokens` left for the answer. Turns the summary already
 * covers are never repeated. Memories (lowest-ranked first), then the summary, are dropped
 * before the current message would be cut; the current message is never cut. Nothing is left
 * out silently: `omitted`, `droppedMemories` and `droppedSummary` say what was.
 *
 * @throws TinyLLMError `CONTEXT_OVERFLOW` when the system prompt, the current message and the
 * reserve alone exceed the context; `MEMORY_INPUT_INVALID` for bad numbers.
 */
export async function buildPromptWindow(options: PromptWindowOptions): Promise<PromptWindow> {
  const { system, summary, current, contextTokens, reserveTokens, counter, abortSignal } = options;
  if (!Number.isFinite(contextTokens) || contextTokens <= 0 || !Number.isFinite(reserveTokens) || reserveTokens < 0) {
    throw new TinyLLMError({
      code: MemoryErrorCode.MemoryInputInvalid,
      message: `buildPromptWindow needs contextTokens > 0 and reserveTokens ≥ 0, not ${contextTokens} and ${reserveTokens}`,
      hint: "pass the model's context size and the room for the answer",
    });
  }
  const coveredThrough = summary?.throughSeq ?? 0;
  const turns = options.messages.filter((turn) => turn.seq > coveredThrough);
  let memories = (options.memories ?? []).filter((memory) => memory.text.trim() !== "");
  let keepSummary = summary !== undefined && summary.text.trim() !== "";
  const systemText = () => systemPrompt(system, keepSummary ? summary?.text : undefined, memories);
  const currentMessage: ChatMessage = { role: "user", content: current };
  const fits = async (window: ChatMessage[]): Promise<number | undefined> => {
    abortSignal?.throwIfAborted();
    const tokens = await counter.count(window, systemText());
    return tokens + reserveTokens <= contextTokens ? tokens : undefined;
  };

  let used = await fits([currentMessage]);
  const memoryCount = memories.length;
  while (used === undefined && memories.length > 0) {
    memories = memories.slice(0, -1);
    used = await fits([currentMessage]);
  }
  if (used === undefined && keepSummary) {
    keepSummary = false;
    used = await fits([currentMessage]);
  }
  if (used === undefined) {
    const needed = await counter.count([currentMessage], systemText());
    throw new TinyLLMError({
      code: MemoryErrorCode.ContextOverflow,
      message: `The message needs ${needed} tokens${system ? " with the system prompt" : ""}, plus ${reserveTokens} for the answer, but the model's context holds ${contextTokens}`,
      hint: "shorten the message (or the system prompt), or use a model or setting with a larger context",
    });
  }

  let kept = 0;
  for (let index = turns.length - 1; index >= 0; index--) {
    const candidate = [...turns.slice(index).map(({ role, content }): ChatMessage => ({ role, content })), currentMessage];
    const tokens = await fits(candidate);
    if (tokens === undefined) break;
    used = tokens;
    kept++;
  }
  const included = turns.slice(turns.length - kept);
  const omitted = turns.slice(0, turns.length - kept);
  const last = options.messages.at(-1)?.seq ?? 0;
  return {
    messages: [...included.map(({ role, content }): ChatMessage => ({ role, content })), currentMessage],
    system: systemText(),
    usedTokens: used,
    includedFromSeq: included[0]?.seq ?? Math.max(last, coveredThrough) + 1,
    omitted,
    droppedMemories: memoryCount - memories.length,
    droppedSummary: summary !== undefined && summary.text.trim() !== "" && !keepSummary,
  };
}

function systemPrompt(system: string | undefined, summary: string | undefined, memories: { text: string }[]): string | undefined {
  const blocks: string[] = [];
  if (system?.trim()) blocks.push(system);
  if (summary) blocks.push(`${SUMMARY_HEADING} ${summary.trim()}`);
  if (memories.length > 0) blocks.push([MEMORIES_HEADING, ...memories.map((memory) => `- ${memory.text.trim()}`)].join("\n"));
  return blocks.length > 0 ? blocks.join("\n\n") : undefined;
}
