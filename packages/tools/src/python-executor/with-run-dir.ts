import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `use` with `count` fresh, empty temp directories (mode 0500: the processes that run in
 * them cannot write there) and removes them afterwards.
 *
 * @internal
 */
export async function withRunDirs<T>(count: number, use: (dirs: string[]) => Promise<T>): Promise<T> {
  const dirs: string[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const dir = await mkdtemp(join(tmpdir(), "tinyllm-python-"));
      dirs.push(dir);
      await chmod(dir, 0o500);
    }
    return await use(dirs);
  } finally {
    for (const dir of dirs) {
      await chmod(dir, 0o700).catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
