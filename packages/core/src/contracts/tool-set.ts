import type { ToolSpec } from "./model-provider";

/** The outcome of one tool call, as the tool loop sees it. */
export interface ToolCallOutcome {
  ok: boolean;
  output?: unknown;
  error?: { code: string; message: string; hint?: string };
  durationMs: number;
}

/** A tool that can act on the raw query before any model is asked (the tool-first path). */
export interface QueryToolCall {
  name: string;
  input: unknown;
  /** True when the tool's result is the whole answer (e.g. "What is 2+2?"). */
  answersQuery: boolean;
}

/**
 * The tools a specialist may use. `@tinyllm/tools`' registry implements it; this package
 * only knows this small interface.
 */
export interface ToolSet {
  /** Every tool as a model sees it. */
  describe(): ToolSpec[];
  /** Validates the input against the tool's schema and runs it. Never throws. */
  call(name: string, input: unknown, options?: { abortSignal?: AbortSignal }): Promise<ToolCallOutcome>;
  /** A tool call to make on the raw query before the model is asked, if any tool applies. */
  fromQuery?(query: string, options?: { names?: readonly string[] }): QueryToolCall | undefined;
}
