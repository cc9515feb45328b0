import { CliError } from "./cli-error";

/** Exit codes: 0 ok, 1 the command failed, 2 usage error. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/** Prints JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error for people (no stack trace unless TINYLLM_DEBUG is set) and returns its exit code. */
export function reportError(error: unknown, json: boolean): number {
  const record = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; hint?: unknown; message?: unknown };
  const exitCode = error instanceof CliError ? error.exitCode : ExitCode.Failed;
  const message = typeof record.message === "string" ? record.message : String(error);
  const hint = typeof record.hint === "string" ? record.hint : undefined;
  if (json) {
    printJson({ ok: false, error: { ...(typeof record.code === "string" ? { code: record.code } : {}), message, ...(hint ? { hint } : {}) } });
  } else {
    process.stderr.write(`error: ${message}\n${hint ? `  → ${hint}\n` : ""}`);
  }
  if (process.env.TINYLLM_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitCode;
}
