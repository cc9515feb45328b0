import { randomBytes } from "node:crypto";
import { open, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replaces `file` with `text` so that a reader sees either the old file or the new one, never a
 * part of it: the text goes to a temporary file in the same folder, is flushed to disk, and is
 * renamed over `file` (an atomic step on POSIX file systems). The file keeps its permissions,
 * and a symbolic link stays one: the file it points to is replaced.
 * @internal
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const file = await realpath(path).catch(() => path);
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const mode = await stat(file).then(
    (info) => info.mode & 0o777,
    () => undefined,
  );
  try {
    const handle = await open(temp, "wx", mode ?? 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Flushes a folder's entries (the rename) to disk; a no-op where folders cannot be opened. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic there.
  }
}
