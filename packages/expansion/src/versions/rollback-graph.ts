import { ExpansionErrorCode } from "@tinyllm/core";
import { expansionError } from "../expansion-error";
import { recordCurrent } from "./adopt-graph-version";
import { writeFileAtomic } from "./atomic-write";
import { versionOf } from "./graph-version-text";
import { findEntry, versionNotFound } from "./list-graph-versions";
import {
  entryInForce,
  graphVersionsDir,
  readGraphText,
  readStoreIndex,
  readVersionText,
  storeFailed,
  withStoreLock,
  writeStoreIndex,
  type StoreIndex,
} from "./version-store";

/** Options of {@link rollbackGraph}. */
export interface RollbackGraphOptions {
  /** The version to put in force. Default: the one the version in force was made from. */
  to?: string;
  /** Fail with `GRAPH_CHANGED_ON_DISK` unless the graph file still has this sha256. */
  expectedSha256?: string;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** What {@link rollbackGraph} did. */
export interface RollbackGraphResult {
  file: string;
  /** The version that was in force. */
  from: string;
  /** The version now in force. */
  to: string;
  /** False when `to` was already in force (nothing was written). */
  changed: boolean;
  /** sha256 of the graph file's text now. */
  sha256: string;
}

/**
 * What {@link rollbackGraph} would do, without doing it: the version in force and the one it
 * would put in force. @throws as {@link rollbackGraph}.
 */
export async function planRollback(
  file: string,
  options: Pick<RollbackGraphOptions, "to"> = {},
): Promise<{ file: string; from: string; to: string; changed: boolean }> {
  const current = await readGraphText(file);
  const index = await readStoreIndex(file);
  if (!index) throw noStore(file, current.text);
  const from = entryInForce(index, current.sha256);
  const fromVersion = from?.version ?? `${versionOf(current.text) ?? "(none)"} (edited, not stored yet)`;
  const to = target(file, index, from?.version ?? index.inForce, options.to, !from);
  return { file, from: fromVersion, to, changed: to !== from?.version };
}

/**
 * Puts an earlier (or later) stored version of a graph back in force: writes its text into the
 * graph file atomically and records the rollback in the store. Versions are never deleted, so
 * rolling forward again with `to` works. A graph file edited by hand since the last stored
 * version is stored first (origin `edited`), so the edit is not lost.
 *
 * @throws `VERSION_NOT_FOUND` when `to` is not stored, or there is no earlier version (its hint
 *   lists the known versions); `GRAPH_NOT_FOUND`; `VERSION_STORE_FAILED`; `GRAPH_CHANGED_ON_DISK`.
 *
 * @example
 * ```ts
 * const { from, to } = await rollbackGraph("graphs/g.yaml"); // 1.1.0 → 1.0.0
 * await rollbackGraph("graphs/g.yaml", { to: "1.1.0" }); // and forward again
 * ```
 */
export async function rollbackGraph(file: string, options: RollbackGraphOptions = {}): Promise<RollbackGraphResult> {
  const now = options.now ?? Date.now;
  const first = await readGraphText(file);
  if (!(await readStoreIndex(file))) throw noStore(file, first.text);
  return withStoreLock(file, async () => {
    const current = await readGraphText(file);
    if (options.expectedSha256 !== undefined && options.expectedSha256 !== current.sha256) {
      throw expansionError(
        ExpansionErrorCode.GraphChangedOnDisk,
        `the graph changed on disk since it was read (${file})`,
        "look at tinyllm graph versions again, then roll back",
      );
    }
    const stored = await readStoreIndex(file);
    if (!stored) throw noStore(file, current.text);
    const atMs = now();
    // A hand edit is decided here, before anything is written, so an unknown `to` changes nothing.
    const edited = !stored.versions.some((entry) => entry.sha256 === current.sha256);
    const toVersion = target(file, stored, entryInForce(stored, current.sha256)?.version ?? stored.inForce, options.to, edited);
    const index = await recordCurrent(file, stored, current.text, current.sha256, atMs);
    const from = index.inForce;
    if (toVersion === from) return { file, from, to: toVersion, changed: false, sha256: current.sha256 };
    const entry = findEntry(index, toVersion)!;
    const text = await readVersionText(file, entry);
    const next: StoreIndex = { ...index, inForce: entry.version, history: [...index.history, { atMs, action: "rollback", version: entry.version, from }] };
    await writeStoreIndex(file, next);
    try {
      await writeFileAtomic(file, text);
    } catch (error) {
      throw storeFailed(
        graphVersionsDir(file),
        `cannot replace ${file}: ${(error as Error).message}`,
        `check that ${file} is writable, then roll back again`,
        error,
      );
    }
    return { file, from, to: entry.version, changed: true, sha256: entry.sha256 };
  });
}

/**
 * The version to put in force: `to` when given; else, for a hand-edited file, the stored version
 * in force before the edit; else the parent of the version in force, or the one stored before it.
 */
function target(file: string, index: StoreIndex, inForce: string, to: string | undefined, edited: boolean): string {
  if (to !== undefined) {
    const entry = findEntry(index, to);
    if (!entry) throw versionNotFound(file, to, index, undefined);
    return entry.version;
  }
  if (edited) return index.inForce;
  const position = index.versions.findIndex((entry) => entry.version === inForce);
  const entry = index.versions[position];
  const before = entry?.parent !== undefined ? findEntry(index, entry.parent) : index.versions[position - 1];
  if (!before) {
    throw expansionError(
      ExpansionErrorCode.VersionNotFound,
      `${file} has no version before ${inForce} to roll back to`,
      `known versions: ${index.versions.map((v) => v.version).join(", ")}; pick one with --to`,
    );
  }
  return before.version;
}

function noStore(file: string, text: string) {
  return expansionError(
    ExpansionErrorCode.VersionNotFound,
    `${file} has no stored versions to roll back to (version ${versionOf(text) ?? "(none)"} is the only one)`,
    `versions are stored when a change is adopted (tinyllm expand apply); ${graphVersionsDir(file)} does not exist`,
  );
}
