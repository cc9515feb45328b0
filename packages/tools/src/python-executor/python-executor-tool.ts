import { z } from "zod";
import { TinyLLMError } from "@tinyllm/core";
import type { CodeRunError } from "./python-result-types";
import { defineTool } from "../tool/tool";
import type { Tool } from "../tool/tool";
import { createPythonExecutor } from "./create-python-executor";
import type { PythonExecutor } from "./python-executor";

/** Input of the `run_python` tool. */
export interface PythonExecutorToolInput {
  code: string;
}

/** Output of the `run_python` tool. */
export interface PythonExecutorToolOutput {
  /** What the code printed (stdout and stderr together). */
  stdout: string;
  /** `repr()` of the last expression, when the code ends with one whose value is not None. */
  returnValue?: string;
  durationMs: number;
}

/** Options of {@link createPythonExecutorTool}. */
export interface PythonExecutorToolOptions {
  /** The tool's overall limit for `runTool` (finding Python on first use, starting the process, the run). Default 20 000 ms. */
  timeoutMs?: number;
  /** Longest accepted code. Default 100 000 characters. */
  maxCodeChars?: number;
}

const DESCRIPTION = [
  "Runs Python 3 code in a sandbox and returns what it printed and, when the code ends with an expression, that value's repr (like the Python REPL).",
  "Standard library only (no numpy, pandas or other packages); no files, network, subprocesses or input().",
  "Use it for calculations, data processing and checking code. Each run starts fresh; limits: a few seconds of execution, about 500 MB of memory, 10 000 characters of output.",
].join(" ");

/** `line 3, column 5: message` */
function describe(error: CodeRunError): string {
  if (error.line === undefined) return error.message;
  return `line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ""}: ${error.message}`;
}

/**
 * The `run_python` tool over a {@link PythonExecutor}. Failures of the code are thrown as
 * `TinyLLMError`s with the executor's code (`CODE_SYNTAX`, `CODE_RUNTIME`, `CODE_TIMEOUT`,
 * `CODE_MEMORY`, `CODE_OUTPUT_LIMIT`, `CODE_ABORTED`, `CODE_UNAVAILABLE`), a message that starts
 * with the line number when one is known, and a hint that also carries the output printed before
 * the failure.
 *
 * Without an executor it makes its own (default options); it keeps no processes between runs.
 *
 * @example
 * ```ts
 * const tool = createPythonExecutorTool(createPythonExecutor());
 * const result = await runTool(tool, { code: "import math\nmath.comb(10, 3)" });
 * // { ok: true, output: { stdout: "", returnValue: "120", durationMs: 48 }, durationMs: 49 }
 * ```
 */
export function createPythonExecutorTool(
  executor: PythonExecutor = createPythonExecutor(),
  { timeoutMs = 20_000, maxCodeChars = 100_000 }: PythonExecutorToolOptions = {},
): Tool<PythonExecutorToolInput, PythonExecutorToolOutput> {
  return defineTool<PythonExecutorToolInput, PythonExecutorToolOutput>({
    name: "run_python",
    description: DESCRIPTION,
    inputSchema: z.object({
      code: z.string().min(1).max(maxCodeChars).describe("Python 3 source. Output of print() is captured; the repr of a final expression is returned."),
    }),
    outputSchema: z.object({
      stdout: z.string(),
      returnValue: z.string().optional(),
      durationMs: z.number(),
    }),
    timeoutMs,
    async execute({ code }, { abortSignal }) {
      const result = await executor.run(code, { abortSignal });
      if (result.ok) {
        return { stdout: result.stdout, ...(typeof result.returnValue === "string" ? { returnValue: result.returnValue } : {}), durationMs: result.durationMs };
      }
      const printed = result.stdout ? `Output before the failure:\n${result.stdout.length > 2000 ? `…${result.stdout.slice(-2000)}` : result.stdout}` : "";
      const hint = [result.error.hint, printed].filter(Boolean).join("\n");
      throw new TinyLLMError({ code: result.error.code, message: describe(result.error), ...(hint ? { hint } : {}) });
    },
  });
}
