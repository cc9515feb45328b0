/**
 * Finds a real GGUF model for tests: the shared stories260K model when it is present and
 * intact, otherwise a tiny generated one.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { rename, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeTestGguf } from "./write-test-gguf";

/** Which model {@link resolveTestModel} picked. */
export type TestModelKind = "stories260K" | "generated";

/** A model file for tests. */
export interface TestModel {
  /** Absolute path of the `.gguf` file. */
  path: string;
  kind: TestModelKind;
}

/** sha256 of the shared `stories260K.gguf` (see `../shared/models/SOURCE.md`). */
export const stories260KSha256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

/** Environment variable that forces the generated model when set to `generated`. */
export const testModelEnvVar = "TINYLLM_TEST_MODEL";

let cached: Promise<TestModel> | undefined;
let generated: Promise<string> | undefined;
const hashChecks = new Map<string, Promise<boolean>>();

/**
 * The model tests should load: `<repo root>/../shared/models/stories260K.gguf` when it exists
 * and its sha256 matches {@link stories260KSha256}, else a model written by
 * {@link generateTestModel}. The repository root is the nearest directory holding
 * `pnpm-workspace.yaml`, looked for above this file and above `process.cwd()`.
 *
 * Set `TINYLLM_TEST_MODEL=generated` to skip the shared model. The answer is cached for the
 * process.
 *
 * @example
 * ```ts
 * const { path, kind } = await resolveTestModel();
 * const provider = createLlamaProvider({ modelPath: path, threads: 1 });
 * ```
 */
export function resolveTestModel(): Promise<TestModel> {
  cached ??= (async (): Promise<TestModel> => {
    if (process.env[testModelEnvVar] !== "generated") {
      const shared = findSharedModelPath();
      if (shared && (await hasSha256({ path: shared, sha256: stories260KSha256 }))) {
        return { path: shared, kind: "stories260K" };
      }
    }
    return { path: await generateTestModel(), kind: "generated" };
  })();
  const pending = cached;
  pending.catch(() => {
    if (cached === pending) cached = undefined;
  });
  return pending;
}

/**
 * Writes the generated test model (see `writeTestGguf`) into the OS temp directory, once per
 * process, and returns its path. The write goes through a temporary file and a rename, so
 * parallel test processes never see a half-written file.
 */
export function generateTestModel(): Promise<string> {
  generated ??= (async () => {
    const path = join(tmpdir(), "tinyllm-test-model-v2.gguf");
    const partial = `${path}.${process.pid}.${Date.now()}.partial`;
    await writeTestGguf(partial, { seed: 1 });
    await rename(partial, path);
    return path;
  })();
  const pending = generated;
  pending.catch(() => {
    if (generated === pending) generated = undefined;
  });
  return pending;
}

/**
 * The path where the shared stories260K model would be, when a repository root is found and
 * the file exists there; otherwise `undefined`.
 */
export function findSharedModelPath(): string | undefined {
  for (const start of searchStarts()) {
    const root = findRepoRoot({ from: start });
    if (!root) continue;
    const candidate = resolve(root, "../shared/models/stories260K.gguf");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The nearest directory at or above `from` that holds `pnpm-workspace.yaml`.
 *
 * @returns The directory, or `undefined` when there is none.
 */
export function findRepoRoot({ from }: { from: string }): string | undefined {
  let directory = resolve(from);
  for (;;) {
    if (existsSync(join(directory, "pnpm-workspace.yaml"))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * Whether the file's sha256 is `sha256`. Cached per path and expected hash (a file that
 * changes while the process runs is not noticed).
 */
export function hasSha256({ path, sha256 }: { path: string; sha256: string }): Promise<boolean> {
  const key = `${path}\0${sha256}`;
  let check = hashChecks.get(key);
  if (!check) {
    check = (async () => {
      try {
        if (!(await stat(path)).isFile()) return false;
        return (await sha256File(path)) === sha256.toLowerCase();
      } catch {
        return false;
      }
    })();
    hashChecks.set(key, check);
  }
  return check;
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolvePromise(hash.digest("hex")));
  });
}

function searchStarts(): string[] {
  const starts: string[] = [];
  const here = currentFileDirectory();
  if (here) starts.push(here);
  starts.push(process.cwd());
  return starts;
}

function currentFileDirectory(): string | undefined {
  try {
    const url = import.meta.url;
    return typeof url === "string" && url.startsWith("file:") ? dirname(fileURLToPath(url)) : undefined;
  } catch {
    return undefined;
  }
}
