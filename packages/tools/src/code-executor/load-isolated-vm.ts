import { createRequire } from "node:module";
import { TinyLLMError } from "@tinyllm/core";
import { CodeErrorCode } from "./code-error-code";
import type { IvmModuleLike } from "./create-sandbox-engine";

/** The message used whenever Node lacks the flag isolated-vm needs. */
export const NO_NODE_SNAPSHOT_MESSAGE =
  "isolated-vm needs Node started without its startup snapshot: run node with --no-node-snapshot (NODE_OPTIONS=--no-node-snapshot)";

const BUILD_HINT =
  "isolated-vm is a native module: it must be installed and built (pnpm: list it under onlyBuiltDependencies in pnpm-workspace.yaml, then reinstall).";

/** What {@link hasNoNodeSnapshotFlag} looks at; defaults to the current process. */
export interface NodeFlagSource {
  execArgv?: readonly string[];
  nodeOptions?: string | undefined;
}

/**
 * Whether Node was started with `--no-node-snapshot` (on the command line or in `NODE_OPTIONS`).
 *
 * @example
 * ```ts
 * hasNoNodeSnapshotFlag({ execArgv: ["--no-node-snapshot"] }); // true
 * ```
 */
export function hasNoNodeSnapshotFlag({ execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS }: NodeFlagSource = {}): boolean {
  const normalize = (flag: string) => (flag.startsWith("--") ? "--" + flag.slice(2).replaceAll("_", "-") : flag);
  const flags = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].map((flag) => normalize(flag.replace(/^["']|["']$/g, "")));
  return flags.includes("--no-node-snapshot");
}

/** Whether this Node version needs `--no-node-snapshot` for isolated-vm (20 and later). */
export function nodeNeedsNoSnapshotFlag(version: string = process.versions.node): boolean {
  return Number(version.split(".")[0]) >= 20;
}

/** Options of {@link loadIsolatedVm}, for tests. */
export interface LoadIsolatedVmOptions extends NodeFlagSource {
  nodeVersion?: string;
  /** Replaces `import("isolated-vm")`. */
  importer?: () => Promise<unknown>;
}

let cached: Promise<IvmModuleLike> | undefined;

/**
 * Imports isolated-vm on first use (it is a native module; nothing loads it until a sandbox runs in
 * this process). Throws `CODE_UNAVAILABLE` when Node (20+) was started without
 * `--no-node-snapshot` — then isolated-vm can crash the process with SIGSEGV when it creates an
 * isolate (V8 shares snapshot data between isolates), so it is refused up front — or when the
 * module cannot be loaded.
 */
export async function loadIsolatedVm({ nodeVersion, importer, ...flags }: LoadIsolatedVmOptions = {}): Promise<IvmModuleLike> {
  if (nodeNeedsNoSnapshotFlag(nodeVersion) && !hasNoNodeSnapshotFlag(flags)) {
    throw new TinyLLMError({
      code: CodeErrorCode.Unavailable,
      message: NO_NODE_SNAPSHOT_MESSAGE,
      hint: 'Or use the default isolation: "process", which starts its own Node with the flag.',
    });
  }
  if (importer) return toModule(importer);
  cached ??= toModule(() => import("isolated-vm"));
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

async function toModule(importer: () => Promise<unknown>): Promise<IvmModuleLike> {
  let loaded: unknown;
  try {
    loaded = await importer();
  } catch (error) {
    throw new TinyLLMError({
      code: CodeErrorCode.Unavailable,
      message: `isolated-vm could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      hint: BUILD_HINT,
      cause: error,
    });
  }
  const module = ((loaded as { default?: unknown } | null)?.default ?? loaded) as Partial<IvmModuleLike> | null;
  if (typeof module?.Isolate !== "function") {
    throw new TinyLLMError({ code: CodeErrorCode.Unavailable, message: "isolated-vm loaded but has no Isolate class", hint: BUILD_HINT });
  }
  return module as IvmModuleLike;
}

/**
 * The absolute path of isolated-vm's entry file, for the sandbox child process. Throws
 * `CODE_UNAVAILABLE` when it is not installed.
 */
export function resolveIsolatedVmPath(): string {
  try {
    const base = typeof __filename === "string" ? __filename : import.meta.url;
    return createRequire(base).resolve("isolated-vm");
  } catch (error) {
    throw new TinyLLMError({
      code: CodeErrorCode.Unavailable,
      message: `isolated-vm is not installed: ${error instanceof Error ? error.message : String(error)}`,
      hint: BUILD_HINT,
      cause: error,
    });
  }
}
