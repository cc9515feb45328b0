/**
 * Stable error codes of the JavaScript sandbox. They appear in failed {@link CodeRunResult}s and
 * travel in `TinyLLMError.code` when the `run_javascript` tool fails.
 */
export const CodeErrorCode = {
  /** The code does not parse. `line`/`column` point at the problem. */
  Syntax: "CODE_SYNTAX",
  /** The code threw (an `Error` or any other value) or its result could not be turned into JSON. */
  Runtime: "CODE_RUNTIME",
  /** The code ran out of time (CPU loop, wall-clock limit, or a promise that can never settle). */
  Timeout: "CODE_TIMEOUT",
  /** The code used more memory than allowed (or built a string/buffer beyond V8's limits). */
  Memory: "CODE_MEMORY",
  /** The return value is too large or too deeply nested to hand back. */
  OutputLimit: "CODE_OUTPUT_LIMIT",
  /** The caller aborted the run. */
  Aborted: "CODE_ABORTED",
  /** The sandbox cannot run here (isolated-vm missing, Node flags, executor disposed). Thrown, never returned. */
  Unavailable: "CODE_UNAVAILABLE",
} as const;

/** One of the {@link CodeErrorCode} values. */
export type CodeErrorCode = (typeof CodeErrorCode)[keyof typeof CodeErrorCode];
