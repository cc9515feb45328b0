import { CliError } from "../cli-error";

/** Store errors that are the caller's mistake (a bad id, an empty text): usage errors, exit 2. */
const usageCodes = new Set(["MEMORY_INPUT_INVALID", "SESSION_NOT_FOUND", "SESSION_EXISTS", "INVALID_ARGUMENT"]);

/** A {@link CliError} that keeps a machine-readable code for `--json` output. */
export function codedCliError(code: string, message: string, exitCode: 1 | 2, hint?: string): CliError {
  return Object.assign(new CliError(message, exitCode, hint), { code });
}

/**
 * Runs a session or memory store call; its TinyLLM errors end the CLI as they print today
 * (message and hint, no stack): usage errors exit 2, the rest 1.
 */
export async function storeCall<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asCliError(error);
  }
}

/** A store's error as a {@link CliError} (anything else is returned unchanged). */
export function asCliError(error: unknown): unknown {
  if (error instanceof CliError || typeof error !== "object" || error === null) return error;
  const { code, message, hint } = error as { code?: unknown; message?: unknown; hint?: unknown };
  if (typeof code !== "string" || typeof message !== "string") return error;
  return codedCliError(code, message, usageCodes.has(code) ? 2 : 1, typeof hint === "string" ? hint : undefined);
}
