import { CoreErrorCode, ExpansionErrorCode, formatGraphProblem, TinyLLMError, type NodeRegistry } from "@tinyllm/core";
import { expansionError } from "../expansion-error";
import { writeFileAtomic } from "./atomic-write";
import { nextVersion, type VersionBump } from "./bump-version";
import { checkGraphText, type GraphTextValidator } from "./check-graph-text";
import { graphTextWithVersion, versionOf, type GraphSourceInput } from "./graph-version-text";
import {
  entryInForce,
  graphVersionsDir,
  readGraphText,
  readStoreIndex,
  sha256,
  storeFailed,
  versionPath,
  withStoreLock,
  writeStoreIndex,
  writeVersionText,
  type StoreIndex,
  type VersionEntry,
  type VersionEvidence,
} from "./version-store";

/** Options of {@link adoptGraphVersion}. */
export interface AdoptGraphVersionOptions {
  /** Why the change is adopted (the A/B result, strategy, node…): stored with the version as JSON. */
  evidence: VersionEvidence;
  /**
   * The sha256 of the graph file when the change was worked out (e.g. by the analysis). When the
   * file no longer has it, adoption fails with `GRAPH_CHANGED_ON_DISK` and changes nothing.
   */
  expectedSha256?: string;
  /** Which part of the version to raise. Default `minor` (1.0.0 → 1.1.0). */
  bump?: VersionBump;
  /** Node kinds the graph uses: with them, the new text gets core's whole `loadGraph` check. */
  registry?: NodeRegistry;
  /** A check of the new text of your own (e.g. the runtime's); errors it returns stop adoption. */
  validate?: GraphTextValidator;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** What {@link adoptGraphVersion} did. */
export interface AdoptGraphVersionResult {
  /** The new version, now in force and in the graph file. */
  version: string;
  /** The version it replaced. */
  previousVersion: string;
  /** The graph file. */
  file: string;
  /** Where the new version's text is stored. */
  storedAt: string;
  /** sha256 of the new text (what the graph file now holds). */
  sha256: string;
  createdAtMs: number;
}

/**
 * Adopts a new version of a graph: raises its `version` (minor by default, past every version
 * stored), checks it, stores it with its evidence in the version store beside the graph
 * (`g.yaml` → `g.versions/`), and replaces the graph file atomically, so a server reloading
 * the file sees the old graph or the new one, never half of one.
 *
 * The first adoption also stores the file's current text as the initial version. A file edited
 * by hand since the last stored version is stored too (origin `edited`) before the change, so
 * no text is ever lost. Text input changes only the version's characters; a plain object is
 * merged into the current file so unchanged parts keep their comments.
 *
 * @throws `GRAPH_CHANGED_ON_DISK` when `expectedSha256` no longer matches the file,
 *   `GRAPH_INVALID` when the new graph does not pass the check, `GRAPH_NOT_FOUND` when the file
 *   is missing, `VERSION_STORE_FAILED` when the store cannot be read or written.
 *
 * @example
 * ```ts
 * const adopted = await adoptGraphVersion("graphs/g.yaml", proposal.graph, {
 *   evidence: { strategy: "tool_augmentation", node: "math", pValue: 0.001 },
 *   expectedSha256: analysis.graphSha256,
 * });
 * console.log(adopted.version); // 1.1.0
 * ```
 */
export async function adoptGraphVersion(file: string, source: GraphSourceInput, options: AdoptGraphVersionOptions): Promise<AdoptGraphVersionResult> {
  const now = options.now ?? Date.now;
  const evidence = jsonEvidence(options.evidence, graphVersionsDir(file));
  const before = await readGraphText(file);
  checkExpected(file, before.sha256, options.expectedSha256);
  return withStoreLock(file, async () => {
    // Read again under the lock: another process may have adopted in between.
    const current = await readGraphText(file);
    checkExpected(file, current.sha256, options.expectedSha256 ?? before.sha256);
    const stored = await readStoreIndex(file);
    const version = nextVersion([...(stored?.versions.map((entry) => entry.version) ?? []), versionOf(current.text) ?? "1.0.0"], options.bump ?? "minor");
    const text = graphTextWithVersion(source, version, current.text);
    const problems = await checkGraphText(text, {
      file,
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.validate ? { validate: options.validate } : {}),
    });
    if (problems.length > 0) {
      throw new TinyLLMError({
        code: CoreErrorCode.GraphInvalid,
        message: `the new version of ${file} is not a valid graph; nothing was adopted:\n${problems.map((problem) => formatGraphProblem(problem)).join("\n")}`,
        hint: "fix the change that produced it (the graph file and its versions are unchanged)",
        cause: { problems },
      });
    }
    if (versionOf(text) !== version) {
      throw expansionError(
        ExpansionErrorCode.ExpansionInputInvalid,
        `could not set version ${version} in the new graph of ${file}`,
        "give the new graph a top-level `version` field",
      );
    }
    const createdAtMs = now();
    const index = await recordCurrent(file, stored, current.text, current.sha256, createdAtMs);
    const parent = index.inForce;
    const entry: VersionEntry = {
      version,
      file: await writeVersionText(file, version, text, index),
      createdAtMs,
      sha256: sha256(text),
      origin: "adopted",
      parent,
      evidence,
    };
    const next: StoreIndex = {
      ...index,
      inForce: version,
      versions: [...index.versions, entry],
      history: [...index.history, { atMs: createdAtMs, action: "adopt", version, from: parent }],
    };
    // The index first: should the graph write fail, the version in force is still found by the file's hash.
    await writeStoreIndex(file, next);
    try {
      await writeFileAtomic(file, text);
    } catch (error) {
      throw storeFailed(
        graphVersionsDir(file),
        `version ${version} is stored, but ${file} could not be replaced: ${(error as Error).message}`,
        `check that ${file} is writable, then run tinyllm graph rollback --to ${version}`,
        error,
      );
    }
    return { version, previousVersion: parent, file, storedAt: versionPath(file, entry), sha256: entry.sha256, createdAtMs };
  });
}

function checkExpected(file: string, actual: string, expected: string | undefined): void {
  if (expected !== undefined && expected !== actual) {
    throw expansionError(
      ExpansionErrorCode.GraphChangedOnDisk,
      `the graph changed on disk since the analysis; run analyze again (${file})`,
      "someone edited, adopted or rolled back the graph in between: analyze it again and propose from the new version",
    );
  }
}

/**
 * Makes sure the store exists and holds the file's current text, in force: the initial version
 * the first time, an `edited` version when the file was changed by hand since. @internal
 */
export async function recordCurrent(file: string, index: StoreIndex | undefined, text: string, textSha256: string, atMs: number): Promise<StoreIndex> {
  if (index) {
    const inForce = entryInForce(index, textSha256);
    if (inForce) {
      if (inForce.version === index.inForce) return index;
      const next = { ...index, inForce: inForce.version };
      await writeStoreIndex(file, next);
      return next;
    }
  }
  const known = index?.versions.map((entry) => entry.version) ?? [];
  const declared = versionOf(text) ?? "0.0.0";
  const version = known.includes(declared) ? `${declared}+edit.${textSha256.slice(0, 8)}` : declared;
  const entry: VersionEntry = {
    version,
    file: await writeVersionText(file, version, text, index),
    createdAtMs: atMs,
    sha256: textSha256,
    origin: index ? "edited" : "initial",
    ...(index ? { parent: index.inForce } : {}),
  };
  const next: StoreIndex = {
    format: 1,
    graph: file.split(/[/\\]/).pop() ?? file,
    inForce: version,
    versions: [...(index?.versions ?? []), entry],
    history: [...(index?.history ?? []), { atMs, action: "record", version }],
  };
  await writeStoreIndex(file, next);
  return next;
}

function jsonEvidence(evidence: VersionEvidence, dir: string): Record<string, unknown> {
  try {
    const json = JSON.stringify(evidence);
    const value: unknown = json === undefined ? undefined : JSON.parse(json);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    throw expansionError(
      ExpansionErrorCode.ExpansionInputInvalid,
      `the evidence cannot be stored as JSON: ${(error as Error).message}`,
      `pass plain JSON data as evidence (store: ${dir})`,
      error,
    );
  }
  throw expansionError(ExpansionErrorCode.ExpansionInputInvalid, "the evidence must be a JSON object", "pass an object such as { strategy, node, pValue }");
}
