import type { z } from "zod";

/** What a tool's `execute` receives besides its input. */
export interface ToolExecuteOptions {
  /** Aborted at the tool's timeout or by the caller. Stop work when it fires. */
  abortSignal: AbortSignal;
}

/**
 * A tool: a named, described function with zod schemas for its input and output. Models see
 * its name, description and input JSON schema; {@link runTool} validates input, enforces the
 * timeout and turns every failure into a structured {@link ToolResult}.
 */
export interface Tool<TInput = unknown, TOutput = unknown> {
  /** Unique name, `[a-z][a-z0-9_]*`, e.g. `calculator`. */
  readonly name: string;
  /** What it does and when to use it; models read this. */
  readonly description: string;
  readonly inputSchema: z.ZodType<TInput>;
  readonly outputSchema: z.ZodType<TOutput>;
  /** Longest a call may take. */
  readonly timeoutMs: number;
  /** Does the work. May throw; {@link runTool} catches it. */
  execute(input: TInput, options: ToolExecuteOptions): Promise<TOutput>;
  /**
   * For the tool-first path: the input to call this tool with on a raw user query, when the
   * tool applies to it directly (the calculator on "What is 2+2?"), and whether its result
   * is the whole answer. Undefined when it does not apply.
   */
  fromQuery?(query: string): { input: TInput; answersQuery: boolean } | undefined;
}

/** A structured tool error. */
export interface ToolError {
  code: string;
  message: string;
  hint?: string;
}

/** The outcome of one tool call. Tools never throw through {@link runTool}. */
export type ToolResult<TOutput = unknown> = { ok: true; output: TOutput; durationMs: number } | { ok: false; error: ToolError; durationMs: number };

/** Identity helper that types a {@link Tool} from its schemas. */
export function defineTool<TInput, TOutput>(tool: Tool<TInput, TOutput>): Tool<TInput, TOutput> {
  return tool;
}
