import { ExpansionErrorCode } from "@tinyllm/core";
import { expansionError } from "../expansion-error";
import { versionOf } from "./graph-version-text";
import {
  entryInForce,
  readGraphText,
  readStoreIndex,
  readVersionText,
  versionPath,
  type StoreIndex,
  type VersionEvidence,
  type VersionOrigin,
} from "./version-store";

/** One version of a graph, as {@link listGraphVersions} gives it. */
export interface GraphVersion {
  /** The graph's `version` field in this text (`1.1.0+edit.…` for a hand edit that kept a stored number). */
  version: string;
  /** When it was stored (for an unstored file, when the file last changed). */
  createdAtMs: number;
  /** sha256 of the text. */
  sha256: string;
  /**
   * `initial`: the file as it was when the first change was adopted; `adopted`: written by an
   * adoption; `edited`: a hand edit, stored before the next adoption or rollback;
   * `unversioned`: the graph has no store yet; `unrecorded`: the file was edited by hand since
   * the last stored version and is not stored yet.
   */
  origin: VersionOrigin | "unversioned" | "unrecorded";
  /** Whether the graph file holds this version now. */
  inForce: boolean;
  /** The version this one was made from. */
  parent?: string;
  /** Why it was adopted, as the adopter stored it. */
  evidence?: VersionEvidence;
  /** Where its text is stored (absent for the file itself when not stored). */
  path?: string;
}

/**
 * Every version of a graph, newest first, the one in force marked. A graph with no version
 * store gives one entry, the file as it is (origin `unversioned`), rather than an error; a file
 * edited by hand since the last stored version comes first as `unrecorded`.
 *
 * @throws `GRAPH_NOT_FOUND` when the file is missing, `VERSION_STORE_FAILED` when the store
 *   cannot be read.
 */
export async function listGraphVersions(file: string): Promise<GraphVersion[]> {
  const current = await readGraphText(file);
  const index = await readStoreIndex(file);
  const unstored = (origin: "unversioned" | "unrecorded"): GraphVersion => ({
    version: versionOf(current.text) ?? "(none)",
    createdAtMs: current.mtimeMs,
    sha256: current.sha256,
    origin,
    inForce: true,
  });
  if (!index) return [unstored("unversioned")];
  const inForce = entryInForce(index, current.sha256);
  const stored = [...index.versions].reverse().map((entry): GraphVersion => ({
    version: entry.version,
    createdAtMs: entry.createdAtMs,
    sha256: entry.sha256,
    origin: entry.origin,
    inForce: entry === inForce,
    ...(entry.parent !== undefined ? { parent: entry.parent } : {}),
    ...(entry.evidence !== undefined ? { evidence: entry.evidence as VersionEvidence } : {}),
    path: versionPath(file, entry),
  }));
  return inForce ? stored : [unstored("unrecorded"), ...stored];
}

/** `current` in a version argument: the graph file as it is now. */
export const CURRENT_VERSION = "current";

/**
 * The text of one version of a graph: a stored version by its number, or `current` for the
 * graph file as it is. The number of an unstored file (no store yet) names the file too.
 *
 * @throws `VERSION_NOT_FOUND` (its hint lists the versions there are), `GRAPH_NOT_FOUND`,
 *   `VERSION_STORE_FAILED` (also when a stored text no longer matches its hash).
 */
export async function readGraphVersion(file: string, version: string): Promise<string> {
  const current = await readGraphText(file);
  const index = await readStoreIndex(file);
  return resolveVersionText(file, index, current, version);
}

/** @internal */
export async function resolveVersionText(
  file: string,
  index: StoreIndex | undefined,
  current: { text: string; sha256: string },
  version: string,
): Promise<string> {
  if (version === CURRENT_VERSION) return current.text;
  const entry = index ? findEntry(index, version) : undefined;
  if (entry) return readVersionText(file, entry);
  if (!(index && entryInForce(index, current.sha256)) && versionOf(current.text) === normalizeVersion(version)) return current.text;
  throw versionNotFound(file, version, index, versionOf(current.text));
}

/** The stored entry of `version` (`v1.1.0` and `1.1.0` alike). @internal */
export function findEntry(index: StoreIndex, version: string): StoreIndex["versions"][number] | undefined {
  const wanted = normalizeVersion(version);
  return index.versions.find((entry) => entry.version === wanted);
}

function normalizeVersion(version: string): string {
  return version.trim().replace(/^v(?=\d)/, "");
}

/** `VERSION_NOT_FOUND`, its hint listing the known versions. @internal */
export function versionNotFound(file: string, version: string, index: StoreIndex | undefined, currentVersion: string | undefined) {
  const known = index ? index.versions.map((entry) => entry.version) : currentVersion !== undefined ? [currentVersion] : [];
  return expansionError(
    ExpansionErrorCode.VersionNotFound,
    `${file} has no version ${version}`,
    `${index ? "known versions" : "the graph has no stored versions yet; the file is"}: ${known.join(", ") || "(none)"}${index ? `, or ${CURRENT_VERSION}` : ""} (see tinyllm graph versions ${file})`,
  );
}
