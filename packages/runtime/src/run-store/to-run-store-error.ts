import { RuntimeErrorCode, TinyLLMError } from "@tinyllm/core";

/**
 * Wraps a better-sqlite3 (or file-system) error from working on the run store at `path` into a
 * `TinyLLMError` with a hint. `TinyLLMError`s pass through unchanged.
 *
 * @internal
 */
export function toRunStoreError(error: unknown, path: string, doing: string): TinyLLMError {
  if (TinyLLMError.isInstance(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "";
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) return runStoreCorrupt(path, `is damaged or not a SQLite database (${reason})`, error);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new TinyLLMError({
      code: RuntimeErrorCode.RunStoreFailed,
      message: `Could not ${doing} the run store ${path}: it stayed locked by another process (${reason})`,
      hint: "try again; if it keeps happening, look for a stuck tinyllm process, or raise busyTimeoutMs",
      isRetryable: true,
      cause: error,
    });
  }
  let hint = `check that ${path} is on a local disk you can read and write`;
  if (code.startsWith("SQLITE_FULL") || code === "ENOSPC") hint = "free some disk space and try again";
  else if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "EACCES" || code === "EPERM" || code === "EROFS") {
    hint = `check the permissions of ${path} and its directory, or point TINYLLM_RUNS at a writable file`;
  }
  return new TinyLLMError({
    code: RuntimeErrorCode.RunStoreFailed,
    message: `Could not ${doing} the run store ${path}: ${reason}`,
    hint,
    isRetryable: code.startsWith("SQLITE_IOERR"),
    cause: error,
  });
}

/** A `RUN_STORE_CORRUPT` error for the file at `path`, saying what is wrong with it. @internal */
export function runStoreCorrupt(path: string, what: string, cause?: unknown): TinyLLMError {
  return new TinyLLMError({
    code: RuntimeErrorCode.RunStoreCorrupt,
    message: `The run store ${path} ${what}`,
    hint: `move it aside (e.g. mv "${path}" "${path}.bad", with its -wal and -shm files) and TinyLLM will start a new store; keep the old file if you want to recover runs from it`,
    cause,
  });
}
