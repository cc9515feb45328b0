/**
 * Stable error codes raised by model providers. They travel in `TinyLLMError.code`.
 *
 * @module
 */

/** Error codes of `@tinyllm/models` providers. */
export const ModelErrorCode = {
  /** The provider cannot be reached or its engine is not installed. */
  ModelUnavailable: "MODEL_UNAVAILABLE",
  /** The provider does not have the requested model. */
  ModelNotFound: "MODEL_NOT_FOUND",
  /** The provider took the request and failed it. */
  ModelRequestFailed: "MODEL_REQUEST_FAILED",
  /** The model answered, but the answer is not what was asked for (e.g. invalid JSON). */
  ModelOutputInvalid: "MODEL_OUTPUT_INVALID",
  /** The caller aborted the request. */
  ModelAborted: "MODEL_ABORTED",
  /** The model file exists but cannot be loaded. */
  ModelLoadFailed: "MODEL_LOAD_FAILED",
} as const;

/** One of the {@link ModelErrorCode} values. */
export type ModelErrorCode = (typeof ModelErrorCode)[keyof typeof ModelErrorCode];
