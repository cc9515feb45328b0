import { join, resolve } from "node:path";

/**
 * Where TinyLLM keeps its verdicts: the `TINYLLM_VERDICTS` environment variable when it is set
 * and not empty (resolved against `cwd` when relative), otherwise `.tinyllm/verdicts.db` under
 * `cwd`.
 *
 * @param cwd The project directory; defaults to `process.cwd()`.
 *
 * @example
 * ```ts
 * defaultVerdictStorePath("/home/me/project"); // "/home/me/project/.tinyllm/verdicts.db"
 * ```
 */
export const defaultVerdictStorePath = (cwd: string = process.cwd()): string => {
  const fromEnv = process.env["TINYLLM_VERDICTS"];
  return fromEnv ? resolve(cwd, fromEnv) : join(resolve(cwd), ".tinyllm", "verdicts.db");
};
