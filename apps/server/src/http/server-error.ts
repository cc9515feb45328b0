import { TinyLLMError, type RunResult, type ServerErrorCode as ServerErrorCodeValue } from "@tinyllm/core";

/** The stable codes the server answers with, and the HTTP status of each. */
export const serverErrorStatus: Record<ServerErrorCodeValue, number> = {
  SERVER_BAD_REQUEST: 400,
  SERVER_UNAUTHORIZED: 401,
  SERVER_FORBIDDEN: 403,
  SERVER_NOT_FOUND: 404,
  SERVER_MODEL_NOT_FOUND: 404,
  SERVER_RUN_NOT_FOUND: 404,
  SERVER_BODY_TOO_LARGE: 413,
  SERVER_QUERY_TOO_LONG: 413,
  SERVER_BUSY: 429,
  SERVER_QUEUE_TIMEOUT: 503,
  SERVER_SHUTTING_DOWN: 503,
  SERVER_RUN_FAILED: 500,
  SERVER_RUN_CANCELLED: 499,
  SERVER_RUN_TIMEOUT: 504,
  SERVER_INTERNAL: 500,
};

/** One of the server's error codes (the `ServerErrorCode` group of `@tinyllm/core`). */
export type ServerErrorCode = ServerErrorCodeValue;

/** A TinyLLM error with one of the server's codes, its message and what to do next. */
export function serverError(code: ServerErrorCode, message: string, hint?: string, retryAfterSeconds?: number): TinyLLMError {
  const error = new TinyLLMError({
    code,
    message,
    ...(hint ? { hint } : {}),
    isRetryable: code === "SERVER_BUSY" || code === "SERVER_QUEUE_TIMEOUT" || code === "SERVER_SHUTTING_DOWN",
  });
  if (retryAfterSeconds !== undefined) Object.defineProperty(error, "retryAfterSeconds", { value: retryAfterSeconds });
  return error;
}

/** What a response says about an error: status, message (with the hint) and code. Never a stack trace. */
export function describeError(error: unknown): { status: number; code: string; message: string; retryAfterSeconds?: number } {
  if (TinyLLMError.isInstance(error)) {
    const status = (serverErrorStatus as Record<string, number>)[error.code] ?? statusOfRuntimeCode(error.code);
    const retryAfterSeconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    return {
      status,
      code: error.code,
      message: error.hint ? `${error.message} (${error.hint})` : error.message,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  return { status: 500, code: "SERVER_INTERNAL", message: "the server failed to answer this request; the log has the details" };
}

function statusOfRuntimeCode(code: string): number {
  if (code === "INVALID_ARGUMENT" || code === "GRAPH_INVALID" || code === "MEMORY_INPUT_INVALID" || code === "CONTEXT_OVERFLOW") return 400;
  if (code === "SESSION_NOT_FOUND") return 404;
  if (code === "SESSION_EXISTS") return 409;
  if (code === "GRAPH_NOT_FOUND" || code === "MODEL_NOT_FOUND") return 404;
  if (code === "RUN_TIMEOUT") return 504;
  if (code === "NO_PROVIDER" || code === "MODEL_UNAVAILABLE" || code === "RUNTIME_CLOSED") return 503;
  return 500;
}

/**
 * The error for a run that ended without an answer: timeout 504; cancelled by the shutdown 503;
 * cancelled otherwise 499; else 500.
 */
export function runFailureError(result: RunResult, run?: { cancelledBy?: string }): TinyLLMError {
  if (result.status === "cancelled" && run?.cancelledBy === "shutdown")
    return serverError("SERVER_SHUTTING_DOWN", "the server is shutting down and stopped this run before it ended", "ask again after the restart", 5);
  const code = result.status === "timeout" ? "SERVER_RUN_TIMEOUT" : result.status === "cancelled" ? "SERVER_RUN_CANCELLED" : "SERVER_RUN_FAILED";
  return serverError(code, `the run ended ${result.status}: ${result.error?.message ?? "no answer"}`, result.error?.hint);
}
