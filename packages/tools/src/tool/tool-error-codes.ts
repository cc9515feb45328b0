/** Stable error codes of `@tinyllm/tools`; they travel in `TinyLLMError.code`. */
export const ToolErrorCode = {
  /** No tool of that name is registered. */
  ToolNotFound: "TOOL_NOT_FOUND",
  /** The input did not match the tool's schema. */
  ToolInputInvalid: "TOOL_INPUT_INVALID",
  /** The tool did not finish within its time limit. */
  ToolTimeout: "TOOL_TIMEOUT",
  /** The caller aborted the call. */
  ToolAborted: "TOOL_ABORTED",
  /** The tool failed (its own code says why, e.g. `CALC_SYNTAX`). */
  ToolFailed: "TOOL_FAILED",
} as const;

/** One of the {@link ToolErrorCode} values. */
export type ToolErrorCode = (typeof ToolErrorCode)[keyof typeof ToolErrorCode];
