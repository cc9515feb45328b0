import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * For the built-CLI tests of `chat`, `sessions` and `memory`: whether the built `@tinyllm/runtime`
 * has the session and memory stores (`runtime.sessionStore()` / `memoryStore()`). They were
 * written alongside these commands; with a runtime built before them every command fails with
 * `… is not a function`, and the tests say so and skip instead of failing. Any other failure
 * counts as ready, so the tests run and show it.
 * @internal
 */
export async function builtRuntimeHasStores(bin: string, store: "sessions" | "memory"): Promise<boolean> {
  const cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-ready-"));
  try {
    const output = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [bin, store, "list", "--json"],
        { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd }, timeout: 60_000 },
        (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
      );
    });
    const missing = /\S*(sessionStore|memoryStore) is not a function|does not provide an export named \S+/.exec(output);
    if (missing) console.warn(`skipped: the built @tinyllm/runtime has no ${store} store yet (${missing[0]})`);
    return !missing;
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}
