import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `use` with a fresh, empty temp directory (mode 0500: the processes that run in it cannot
 * write there) and removes it afterwards.
 *
 * @internal
 */
export async function withRunDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "tinyllm-python-"));
  try {
    await chmod(dir, 0o500);
    return await use(dir);
  } finally {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
