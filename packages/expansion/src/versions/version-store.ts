import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rm, rmdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { TinyLLMError, ExpansionErrorCode, RuntimeErrorCode } from "@tinyllm/core";
import { z } from "zod";
import { expansionError } from "../expansion-error";
import { writeFileAtomic } from "./atomic-write";

/**
 * Why a version was adopted, as the caller tells it: free-form JSON. The analysis reads `node`
 * (or `nodes`) for its cooldown; `strategy` and `summary` show in `tinyllm graph versions`.
 * Typical fields: the A/B result (`baseline`, `candidate`, `pValue`), the strategy, the node.
 */
export interface VersionEvidence {
  /** The strategy that made the change, e.g. `tool_augmentation`. */
  strategy?: string;
  /** The node the change is about. */
  node?: string;
  /** Several nodes, when the change touches more than one. */
  nodes?: string[];
  /** One line on what changed. */
  summary?: string;
  [key: string]: unknown;
}

/** How a stored version came to be. */
export type VersionOrigin = "initial" | "adopted" | "edited";

const versionEntrySchema = z.object({
  version: z.string().min(1),
  file: z.string().regex(/^[^/\\]+\.yaml$/, "must be a file name ending in .yaml"),
  createdAtMs: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 in hex"),
  origin: z.enum(["initial", "adopted", "edited"]),
  parent: z.string().optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
});

const historyEntrySchema = z.object({
  atMs: z.number(),
  action: z.enum(["record", "adopt", "rollback"]),
  version: z.string(),
  from: z.string().optional(),
});

const storeIndexSchema = z.object({
  format: z.literal(1),
  graph: z.string(),
  inForce: z.string(),
  versions: z.array(versionEntrySchema).min(1),
  history: z.array(historyEntrySchema).default([]),
});

/** One version as `index.json` lists it. @internal */
export type VersionEntry = z.output<typeof versionEntrySchema>;
/** `index.json` of a version store. @internal */
export type StoreIndex = z.output<typeof storeIndexSchema>;

/** Name of the store's index inside its folder. */
const INDEX = "index.json";
const LOCK = "index.lock";

/** The version store's folder of a graph file: `graphs/g.yaml` → `graphs/g.versions`. */
export function graphVersionsDir(file: string): string {
  return join(dirname(file), `${basename(file, extname(file))}.versions`);
}

/** sha256 of a text, in hex. @internal */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The graph file's text and when it last changed; `GRAPH_NOT_FOUND` when it is missing. @internal */
export async function readGraphText(file: string): Promise<{ text: string; sha256: string; mtimeMs: number }> {
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    return { text, sha256: sha256(text), mtimeMs: info.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new TinyLLMError({
        code: RuntimeErrorCode.GraphNotFound,
        message: `the graph file '${file}' does not exist`,
        hint: "check the path",
        cause: error,
      });
    }
    if (code === "EISDIR") {
      throw new TinyLLMError({
        code: RuntimeErrorCode.GraphNotFound,
        message: `'${file}' is a folder, not a graph file`,
        hint: "pass the path of a .yaml graph file",
        cause: error,
      });
    }
    throw new TinyLLMError({
      code: RuntimeErrorCode.GraphNotFound,
      message: `cannot read the graph file '${file}': ${(error as Error).message}`,
      hint: "check the file's permissions",
      cause: error,
    });
  }
}

/** The store's index, or undefined when the graph has no store yet. Throws `VERSION_STORE_FAILED` when it cannot be read. @internal */
export async function readStoreIndex(file: string): Promise<StoreIndex | undefined> {
  const dir = graphVersionsDir(file);
  const indexFile = join(dir, INDEX);
  let text: string;
  try {
    text = await readFile(indexFile, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      // No folder, or one that holds only a lock (an adoption is starting): no store yet.
      const entries = await readdir(dir).catch(() => [] as string[]);
      if (entries.every((name) => name === LOCK || name.startsWith("."))) return undefined;
      throw storeFailed(
        dir,
        `${indexFile} is missing`,
        "restore index.json (it is in version control if the folder is), or move the folder away to start a new store",
        error,
      );
    }
    throw storeFailed(dir, `cannot read ${indexFile}: ${(error as Error).message}`, "check the folder's permissions", error);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw storeFailed(dir, `${indexFile} is not valid JSON: ${(error as Error).message}`, storeRepairHint, error);
  }
  const parsed = storeIndexSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw storeFailed(dir, `${indexFile} is not a version index${where}: ${issue?.message ?? "invalid"}`, storeRepairHint, parsed.error);
  }
  const index = parsed.data;
  if (!index.versions.some((entry) => entry.version === index.inForce)) {
    throw storeFailed(dir, `${indexFile} says version ${index.inForce} is in force, but lists no such version`, storeRepairHint);
  }
  return index;
}

const storeRepairHint =
  "repair index.json by hand (it is plain JSON), restore it from version control, or move the folder away to start a new store; the graph file itself is not affected";

/** Writes the index atomically. @internal */
export async function writeStoreIndex(file: string, index: StoreIndex): Promise<void> {
  const dir = graphVersionsDir(file);
  await guardStore(dir, () => writeFileAtomic(join(dir, INDEX), `${JSON.stringify(index, null, 2)}\n`));
}

/** Writes a version's text under a file name of its own, and returns that name. @internal */
export async function writeVersionText(file: string, version: string, text: string, index: StoreIndex | undefined): Promise<string> {
  const dir = graphVersionsDir(file);
  const taken = new Set(index?.versions.map((entry) => entry.file) ?? []);
  const stem = version.replace(/[^A-Za-z0-9._+-]/g, "_").replace(/^\.+/, "_") || "version";
  let name = `${stem}.yaml`;
  for (let n = 2; taken.has(name); n++) name = `${stem}~${n}.yaml`;
  await guardStore(dir, async () => {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, name), text);
  });
  return name;
}

/** A stored version's text, checked against its sha256. @internal */
export async function readVersionText(file: string, entry: VersionEntry): Promise<string> {
  const dir = graphVersionsDir(file);
  const path = join(dir, entry.file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw storeFailed(
      dir,
      `cannot read version ${entry.version} (${path}): ${(error as Error).message}`,
      "restore the file from version control; the other versions are unaffected",
      error,
    );
  }
  if (sha256(text) !== entry.sha256) {
    throw storeFailed(
      dir,
      `version ${entry.version} (${path}) was changed after it was stored: its sha256 no longer matches index.json`,
      "stored versions are never edited: restore the file from version control",
    );
  }
  return text;
}

/** Path of a stored version's file. @internal */
export function versionPath(file: string, entry: VersionEntry): string {
  return join(graphVersionsDir(file), entry.file);
}

/**
 * Runs `work` holding the store's lock (`index.lock`, created exclusively), so two processes
 * adopting or rolling back at once do not lose each other's entries. A lock older than
 * `staleMs` is taken to be left by a process that died, and is removed. @internal
 */
export async function withStoreLock<T>(file: string, work: () => Promise<T>, { waitMs = 10_000, staleMs = 60_000 } = {}): Promise<T> {
  const dir = graphVersionsDir(file);
  const lock = join(dir, LOCK);
  const created = await guardStore(dir, () => mkdir(dir, { recursive: true }));
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, atMs: Date.now() }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw storeFailed(dir, `cannot create ${lock}: ${(error as Error).message}`, "check the folder's permissions", error);
      }
      const age = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > staleMs) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw storeFailed(
          dir,
          `the version store is locked by another process (${lock})`,
          "wait for the other adoption or rollback to finish; if none is running, delete index.lock",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
    // A failed first adoption leaves no empty store behind (rmdir fails on a non-empty folder).
    if (created !== undefined) await rmdir(dir).catch(() => undefined);
  }
}

async function guardStore<T>(dir: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    throw storeFailed(
      dir,
      `cannot write the version store ${dir}: ${(error as Error).message}`,
      "check that the folder is writable and the disk is not full",
      error,
    );
  }
}

/** `VERSION_STORE_FAILED`. @internal */
export function storeFailed(dir: string, message: string, hint: string, cause?: unknown): TinyLLMError {
  return expansionError(ExpansionErrorCode.VersionStoreFailed, message, `${hint} (store: ${dir})`, cause);
}

/**
 * The entry whose text is the graph file's: the index's `inForce` when its hash matches,
 * else the newest entry with the same hash, else undefined (the file was edited by hand
 * since, or a write was interrupted). @internal
 */
export function entryInForce(index: StoreIndex, fileSha256: string): VersionEntry | undefined {
  const named = index.versions.find((entry) => entry.version === index.inForce);
  if (named?.sha256 === fileSha256) return named;
  return [...index.versions].reverse().find((entry) => entry.sha256 === fileSha256);
}

/**
 * The sha256 (hex) of a graph file's text: what `adoptGraphVersion`'s `expectedSha256`
 * compares with. Take it when the analysis reads the graph.
 *
 * @throws `GRAPH_NOT_FOUND` when the file is missing.
 */
export async function graphFileSha256(file: string): Promise<string> {
  return (await readGraphText(file)).sha256;
}
