/**
 * The default GGUF download cache.
 *
 * @module
 */
import path from "node:path";
import { homeDir } from "./expand-path";

/**
 * The default directory for downloaded GGUF models: `$XDG_CACHE_HOME/tinyllm/models` when
 * `XDG_CACHE_HOME` is set to an absolute path (the XDG spec ignores relative ones), else
 * `~/.cache/tinyllm/models`.
 *
 * @param options.env - The environment to read. Default `process.env`.
 */
export function defaultCacheDir({ env = process.env }: { env?: Record<string, string | undefined> } = {}): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir(env), ".cache");
  return path.join(base, "tinyllm", "models");
}
