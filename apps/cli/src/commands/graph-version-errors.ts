import { codedCliError } from "../chat/cli-store-errors";

/** Errors of the version commands that are the caller's mistake (a wrong path or version): exit 2. */
const usageCodes = new Set(["VERSION_NOT_FOUND", "GRAPH_NOT_FOUND"]);

/** Runs a version store call; a wrong path or version ends the CLI as a usage error (exit 2), with its message and hint. */
export async function versionCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { code, message, hint } = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; message?: unknown; hint?: unknown };
    if (typeof code === "string" && usageCodes.has(code) && typeof message === "string") {
      throw codedCliError(code, message, 2, typeof hint === "string" ? hint : undefined);
    }
    throw error;
  }
}
