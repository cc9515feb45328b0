import { z } from "zod";
import { TinyLLMError } from "@tinyllm/core";
import { defineTool } from "../tool/tool";
import type { Tool } from "../tool/tool";
import type { CodeExecutor, CodeRunError } from "./code-executor";
import { createCodeExecutor } from "./create-code-executor";

/** Input of the `run_javascript` tool. */
export interface CodeExecutorToolInput {
  code: string;
}

/** Output of the `run_javascript` tool. */
export interface CodeExecutorToolOutput {
  stdout: string;
  /** JSON data: the last expression's value, or what a top-level `return` gave. */
  returnValue?: unknown;
  durationMs: number;
}

/** Options of {@link createCodeExecutorTool}. */
export interface CodeExecutorToolOptions {
  /** The tool's overall limit for `runTool` (includes starting a sandbox on first use). Default 10 000 ms. */
  timeoutMs?: number;
  /** Longest accepted code. Default 100 000 characters. */
  maxCodeChars?: number;
}

const DESCRIPTION = [
  "Runs JavaScript (not TypeScript) in an isolated sandbox and returns what it printed with console.log and its result:",
  "the value of the last expression, or what a top-level `return` gives (top-level `await` works).",
  "Plain ECMAScript only: no require/import, no Node.js or browser APIs, no files, network or timers.",
  "Use it for calculations, data processing and checking code. Limits: about 1 s of execution, 64 MB of memory, 10 000 characters of output.",
].join(" ");

/** `line 3, column 5: message` */
function describe(error: CodeRunError): string {
  if (error.line === undefined) return error.message;
  return `line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ""}: ${error.message}`;
}

/**
 * The `run_javascript` tool over a {@link CodeExecutor}. Failures of the code are thrown as
 * `TinyLLMError`s with the sandbox's code (`CODE_SYNTAX`, `CODE_RUNTIME`, `CODE_TIMEOUT`,
 * `CODE_MEMORY`, `CODE_OUTPUT_LIMIT`, `CODE_ABORTED`, `CODE_UNAVAILABLE`), a message that starts
 * with the line number when one is known, and a hint that also carries the output printed before
 * the failure.
 *
 * Without an executor it makes its own (default options); pass one to share it or to dispose it.
 *
 * @example
 * ```ts
 * const tool = createCodeExecutorTool(executor);
 * const result = await runTool(tool, { code: "[1, 2, 3].map((x) => x * 2)" });
 * // { ok: true, output: { stdout: "", returnValue: [2, 4, 6], durationMs: 0.9 }, durationMs: 1.1 }
 * ```
 */
export function createCodeExecutorTool(
  executor: CodeExecutor = createCodeExecutor(),
  { timeoutMs = 10_000, maxCodeChars = 100_000 }: CodeExecutorToolOptions = {},
): Tool<CodeExecutorToolInput, CodeExecutorToolOutput> {
  return defineTool<CodeExecutorToolInput, CodeExecutorToolOutput>({
    name: "run_javascript",
    description: DESCRIPTION,
    inputSchema: z.object({
      code: z
        .string()
        .min(1)
        .max(maxCodeChars)
        .describe("JavaScript source. The value of the last expression (or a top-level return) is returned; console.log output is captured."),
    }),
    outputSchema: z.object({
      stdout: z.string(),
      returnValue: z.unknown().optional(),
      durationMs: z.number(),
    }),
    timeoutMs,
    async execute({ code }, { abortSignal }) {
      const result = await executor.run(code, { abortSignal });
      if (result.ok) {
        return { stdout: result.stdout, ...(result.returnValue === undefined ? {} : { returnValue: result.returnValue }), durationMs: result.durationMs };
      }
      const printed = result.stdout ? `Output before the failure:\n${result.stdout.length > 2000 ? `…${result.stdout.slice(-2000)}` : result.stdout}` : "";
      const hint = [result.error.hint, printed].filter(Boolean).join("\n");
      throw new TinyLLMError({ code: result.error.code, message: describe(result.error), ...(hint ? { hint } : {}) });
    },
  });
}
