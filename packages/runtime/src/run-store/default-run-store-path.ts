import { join, resolve } from "node:path";

/**
 * Where TinyLLM records its runs: the `TINYLLM_RUNS` environment variable when it is set and not
 * empty (resolved against `cwd` when relative), otherwise `.tinyllm/runs.db` under `cwd`, beside
 * the verdict store's `.tinyllm/verdicts.db`.
 *
 * @param cwd The project directory; defaults to `process.cwd()`.
 *
 * @example
 * ```ts
 * defaultRunStorePath("/home/me/project"); // "/home/me/project/.tinyllm/runs.db"
 * ```
 */
export const defaultRunStorePath = (cwd: string = process.cwd()): string => {
  const fromEnv = process.env["TINYLLM_RUNS"];
  return fromEnv ? resolve(cwd, fromEnv) : join(resolve(cwd), ".tinyllm", "runs.db");
};
