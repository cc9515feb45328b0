import { opendir, realpath, stat } from "node:fs/promises";
import path from "node:path";

/** A file the walk found, ready to read. */
export interface FoundFile {
  /** Absolute path to read. */
  path: string;
  /** Path relative to the walked folder, `/`-separated. */
  relativePath: string;
  size: number;
}

/** Counts of entries {@link walkTextFiles} left out. */
export interface WalkSkips {
  /** Larger than `maxFileBytes`. */
  oversized: number;
  /** Symbolic links that lead out of the folder. */
  outside: number;
  /** Broken or looping links and entries that could not be read. */
  unreadable: number;
}

/** What {@link walkTextFiles} returns. */
export interface WalkResult {
  files: FoundFile[];
  skipped: WalkSkips;
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
}

/** Options of {@link walkTextFiles}. */
export interface WalkOptions {
  /** Lowercase extensions with their dot, e.g. `.md`. */
  extensions: ReadonlySet<string>;
  maxFileBytes: number;
  maxFiles: number;
}

/**
 * Lists the files under `root` (a real, absolute folder path) whose extension is in
 * `extensions`, folder by folder in name order. Skips `node_modules` and dot-folders, follows
 * symbolic links only when they resolve inside `root` (and after the real folders, so a file
 * keeps its own path), visits every real folder and file once (so link loops end), and stops
 * after `maxFiles` files.
 */
export async function walkTextFiles(root: string, { extensions, maxFileBytes, maxFiles }: WalkOptions): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const skipped: WalkSkips = { oversized: 0, outside: 0, unreadable: 0 };
  const seenFolders = new Set<string>([root]);
  const seenFiles = new Set<string>();
  /** Folders still to visit: where to read them, their real path and their path relative to root. */
  const pending: { dir: string; real: string; relative: string }[] = [{ dir: root, real: root, relative: "" }];
  /** Links, resolved once every real folder is walked, so a file is listed under its own path first. */
  const links: { full: string; name: string; relative: string }[] = [];
  const isInside = (real: string) => real === root || real.startsWith(root + path.sep);
  const isSkippedFolder = (name: string) => name === "node_modules" || name.startsWith(".");
  /** Whether a real path inside root lies in a skipped folder (it was reached through a link). */
  const isUnderSkippedFolder = (real: string) => path.relative(root, real).split(path.sep).some(isSkippedFolder);

  /** Lists one file; false once `maxFiles` is reached. */
  const addFile = async (real: string, name: string, relative: string): Promise<boolean> => {
    if (!extensions.has(path.extname(name).toLowerCase()) || seenFiles.has(real)) return true;
    seenFiles.add(real);
    let size: number;
    try {
      size = (await stat(real)).size;
    } catch {
      skipped.unreadable++;
      return true;
    }
    if (size > maxFileBytes) {
      skipped.oversized++;
      return true;
    }
    if (files.length >= maxFiles) return false;
    files.push({ path: real, relativePath: relative, size });
    return true;
  };

  while (pending.length > 0 || links.length > 0) {
    const folder = pending.pop();
    if (!folder) {
      const link = links.shift();
      if (!link) break;
      let real: string;
      let isDirectory: boolean;
      try {
        real = await realpath(link.full);
        isDirectory = (await stat(real)).isDirectory();
      } catch {
        skipped.unreadable++;
        continue;
      }
      if (!isInside(real)) skipped.outside++;
      else if (isDirectory) {
        if (!isSkippedFolder(link.name) && !isUnderSkippedFolder(real) && !seenFolders.has(real)) {
          seenFolders.add(real);
          pending.push({ dir: link.full, real, relative: link.relative });
        }
      } else if (!isUnderSkippedFolder(path.dirname(real)) && !(await addFile(real, link.name, link.relative))) {
        return { files, skipped, truncated: true };
      }
      continue;
    }
    const entries: { name: string; kind: "file" | "dir" | "link" | "other" }[] = [];
    try {
      for await (const entry of await opendir(folder.dir)) {
        entries.push({ name: entry.name, kind: entry.isSymbolicLink() ? "link" : entry.isDirectory() ? "dir" : entry.isFile() ? "file" : "other" });
      }
    } catch {
      skipped.unreadable++;
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: typeof pending = [];
    for (const { name, kind } of entries) {
      const full = path.join(folder.dir, name);
      const relative = folder.relative ? `${folder.relative}/${name}` : name;
      // Below a real folder, a plain entry's real path is the folder's plus its name.
      const real = path.join(folder.real, name);
      if (kind === "link") links.push({ full, name, relative });
      else if (kind === "dir") {
        if (isSkippedFolder(name) || seenFolders.has(real)) continue;
        seenFolders.add(real);
        subfolders.push({ dir: full, real, relative });
      } else if (kind === "file" && !(await addFile(real, name, relative))) {
        return { files, skipped, truncated: true };
      }
    }
    // Pop order is last-in first-out: push reversed so folders are visited in name order.
    pending.push(...subfolders.reverse());
  }
  return { files, skipped, truncated: false };
}
