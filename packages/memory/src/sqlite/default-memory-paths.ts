import { join, resolve } from "node:path";

/**
 * The session store's file: `TINYLLM_SESSIONS`, else `.tinyllm/sessions.db` under `cwd`.
 */
export function defaultSessionStorePath(options: { cwd?: string; env?: Record<string, string | undefined> } = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  return env.TINYLLM_SESSIONS ? resolve(cwd, env.TINYLLM_SESSIONS) : join(cwd, ".tinyllm", "sessions.db");
}

/**
 * The long-term memory store's file: `TINYLLM_MEMORY`, else `.tinyllm/memory.db` under `cwd`.
 */
export function defaultMemoryStorePath(options: { cwd?: string; env?: Record<string, string | undefined> } = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  return env.TINYLLM_MEMORY ? resolve(cwd, env.TINYLLM_MEMORY) : join(cwd, ".tinyllm", "memory.db");
}

/**
 * The precedent index's file: `TINYLLM_PRECEDENTS`, else `.tinyllm/precedents.db` under `cwd`.
 */
export function defaultPrecedentIndexPath(options: { cwd?: string; env?: Record<string, string | undefined> } = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  return env.TINYLLM_PRECEDENTS ? resolve(cwd, env.TINYLLM_PRECEDENTS) : join(cwd, ".tinyllm", "precedents.db");
}
