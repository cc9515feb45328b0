/**
 * Stable error codes raised by `@tinyllm/core`. Other packages add their own codes; all of
 * them travel in {@link TinyLLMError.code}.
 */
export const CoreErrorCode = {
  /** The graph file or document did not pass validation. */
  GraphInvalid: "GRAPH_INVALID",
  /** A node did not finish within its `timeoutMs`. */
  NodeTimeout: "NODE_TIMEOUT",
  /** A node threw or returned an error. */
  NodeFailed: "NODE_FAILED",
  /** The run passed its deadline. */
  RunTimeout: "RUN_TIMEOUT",
  /** The caller aborted the run. */
  RunCancelled: "RUN_CANCELLED",
  /** The run took more steps than `limits.maxSteps`. */
  StepLimit: "STEP_LIMIT",
  /** A node was entered more times than its visit bound. */
  VisitLimit: "VISIT_LIMIT",
  /** A node finished and none of its outgoing edges applied. */
  NoRoute: "NO_ROUTE",
  /** A node kind is not registered. */
  UnknownKind: "UNKNOWN_KIND",
  /** Invalid options passed to an API. */
  InvalidArgument: "INVALID_ARGUMENT",
} as const;

/** One of the {@link CoreErrorCode} values. */
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];
