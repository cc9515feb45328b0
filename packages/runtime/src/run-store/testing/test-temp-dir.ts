import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/**
 * Registers an `afterEach` that deletes the temp directories made during the test, and returns
 * a function that makes one (under `os.tmpdir()`). Test-only.
 *
 * @internal
 */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyllm-runs-"));
    made.push(dir);
    return dir;
  };
}
