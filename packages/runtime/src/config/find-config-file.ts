/**
 * Finds `tinyllm.yaml` by walking up from a directory.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { createConfigInvalidError } from "./config-invalid-error";

/** The file names looked for, in order. */
export const configFileNames = ["tinyllm.yaml", "tinyllm.yml"] as const;

/** Options of {@link findConfigFile}. */
export interface FindConfigFileOptions {
  /** Where to start. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * Looks for `tinyllm.yaml` or `tinyllm.yml` in `cwd`, then in each parent directory. Stops
 * after the first directory that contains `.git` (the repository root: a config above the
 * repository is never picked up) or at the filesystem root, whichever comes first. Returns
 * the absolute path of the file, or `undefined` when there is none.
 *
 * Throws a `CONFIG_INVALID` `TinyLLMError` when one directory holds both names, since
 * either choice could surprise.
 */
export async function findConfigFile({ cwd = process.cwd() }: FindConfigFileOptions = {}): Promise<string | undefined> {
  let dir = path.resolve(cwd);
  for (;;) {
    const found: string[] = [];
    for (const name of configFileNames) {
      const candidate = path.join(dir, name);
      const found_ = await kind(candidate);
      if (found_ === "file") found.push(candidate);
      else if (found_ === "other") {
        throw createConfigInvalidError({
          issues: [{ message: `${candidate} is not a file`, hint: "remove or rename it, or pick a config file with --config" }],
        });
      }
    }
    if (found.length > 1) {
      throw createConfigInvalidError({
        issues: [
          {
            message: `${dir} holds both ${configFileNames.join(" and ")}`,
            hint: "keep one of them, or pick one with --config or TINYLLM_CONFIG",
          },
        ],
      });
    }
    if (found[0] !== undefined) return found[0];
    if ((await kind(path.join(dir, ".git"))) !== undefined) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function kind(file: string): Promise<"file" | "other" | undefined> {
  try {
    return (await stat(file)).isFile() ? "file" : "other";
  } catch {
    return undefined;
  }
}
