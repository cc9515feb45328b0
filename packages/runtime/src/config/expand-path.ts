/**
 * Path helpers of the configuration layer.
 *
 * @module
 */
import { homedir } from "node:os";
import path from "node:path";

/** The user's home directory, read from `env` first so tests can replace it. */
export function homeDir(env: Record<string, string | undefined>): string {
  const fromEnv = process.platform === "win32" ? env.USERPROFILE : env.HOME;
  return fromEnv && fromEnv.trim() !== "" ? fromEnv : homedir();
}

/**
 * True for a URI such as `hf:owner/repo/model.gguf` or `https://…`: those are left as they
 * are. A Windows drive (`C:\…`) is not a URI.
 */
export function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(value);
}

/**
 * Makes `value` an absolute path: `~` and `~/…` expand to `home`, a relative path resolves
 * against `baseDir`, a URI stays as it is.
 */
export function expandPath({ value, baseDir, home }: { value: string; baseDir: string; home: string }): string {
  if (isUri(value)) return value;
  if (value === "~") return home;
  if (value.startsWith("~/") || value.startsWith("~\\")) return path.join(home, value.slice(2));
  return path.resolve(baseDir, value);
}

/**
 * True when a tier's `llama` value is a path rather than a name to look up in `modelsDir`:
 * it contains a path separator or starts with `~`. URIs are not paths.
 */
export function looksLikePath(value: string): boolean {
  if (isUri(value)) return false;
  return value.startsWith("~") || value.includes("/") || value.includes("\\") || path.isAbsolute(value);
}
