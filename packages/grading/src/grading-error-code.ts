/** Stable error codes of `@tinyllm/grading`; they travel in `TinyLLMError.code`. */
export const GradingErrorCode = {
  /** A rubric file or object is invalid. */
  RubricInvalid: "GRADING_RUBRIC_INVALID",
  /** The input to a grading call is invalid (empty query, unreadable tests file, …). */
  InputInvalid: "GRADING_INPUT_INVALID",
  /** A verdict needs an LLM judge and none is available. */
  JudgeUnavailable: "GRADING_JUDGE_UNAVAILABLE",
  /** The judge failed to give a usable verdict, even after repair and one tier up. */
  JudgeFailed: "GRADING_JUDGE_FAILED",
  /** The verdict store could not be opened, read or written. */
  StoreFailed: "VERDICT_STORE_FAILED",
  /** The verdict store file is not a verdict store, or is damaged. */
  StoreCorrupt: "VERDICT_STORE_CORRUPT",
  /** The verdict store was written by a newer version of TinyLLM. */
  StoreTooNew: "VERDICT_STORE_TOO_NEW",
} as const;

/** One of the {@link GradingErrorCode} values. */
export type GradingErrorCode = (typeof GradingErrorCode)[keyof typeof GradingErrorCode];
