import { readFile, stat } from "node:fs/promises";
import type { NodeRegistry } from "../node-kind/node-registry";
import { compileGraph, getDefaultRegistry, type CompileGraphResult } from "./compile/compile-graph";
import { parseGraphSource } from "./compile/parse-graph-source";

export { getDefaultRegistry };

/** Options of {@link loadGraph} and {@link loadGraphFile}. */
export interface LoadGraphOptions {
  /** Node kinds the graph may use. Default: the built-in kinds. */
  registry?: NodeRegistry;
  /** File name used in messages and as the base for subgraph paths. */
  file?: string;
  /** Largest accepted source, in bytes. Default 4 MiB. */
  maxBytes?: number;
  /** @internal files being loaded, to catch subgraphs that include themselves */
  _stack?: string[];
}

/** The outcome of loading a graph: the compiled graph, or every problem found. */
export type LoadGraphResult = CompileGraphResult;

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Reads and loads a graph file. See {@link loadGraph}.
 */
export async function loadGraphFile(file: string, options: Omit<LoadGraphOptions, "file"> = {}): Promise<LoadGraphResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const info = await stat(file);
    if (!info.isFile()) return fail(file, "not-a-file", `'${file}' is not a file`, "pass the path of a .yaml graph file");
    if (info.size > maxBytes) return tooLarge(file, info.size, maxBytes);
    const source = await readFile(file, "utf8");
    return await loadGraph(source, { ...options, file });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail(file, "file-not-found", `'${file}' does not exist`, "check the path");
    return fail(file, "read-failed", `cannot read '${file}': ${(error as Error).message}`, "check the file's permissions");
  }
}

/**
 * Parses, validates and compiles a graph from YAML (or JSON) text: parsing, then
 * {@link compileGraph}. Collects every problem rather than stopping at the first: YAML syntax,
 * types, unknown kinds and keys, dangling edges, unreachable nodes and exits, unbounded cycles
 * and conditions that do not parse or name unknown fields. Each problem carries file, line and
 * column. Never throws.
 *
 * @example
 * ```ts
 * const result = await loadGraph(yamlText, { file: "graph.yaml" });
 * if (!result.ok) for (const p of result.problems) console.error(formatGraphProblem(p));
 * ```
 */
export async function loadGraph(source: string, options: LoadGraphOptions = {}): Promise<LoadGraphResult> {
  const { file, registry, _stack } = options;
  try {
    const size = Buffer.byteLength(source, "utf8");
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (size > maxBytes) return tooLarge(file, size, maxBytes);
    const parsed = parseGraphSource(source, file);
    if (!parsed.ok) return parsed;
    return await compileGraph(parsed.data, {
      ...(registry ? { registry } : {}),
      ...(file !== undefined ? { file } : {}),
      ...(_stack ? { _stack } : {}),
      _locate: parsed.locate,
      _loadSubgraph: (target, stack) => loadGraphFile(target, { ...options, _stack: stack }),
    });
  } catch (error) {
    const message =
      error instanceof RangeError ? "the document is nested too deeply to read" : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    return fail(file, "load-failed", message, "simplify the document; if it is a valid graph, report this as a bug");
  }
}

function tooLarge(file: string | undefined, size: number, maxBytes: number): LoadGraphResult {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return fail(file, "too-large", `the graph is ${mb(size)}; the limit is ${mb(maxBytes)}`, "split it into subgraphs, or raise maxBytes");
}

function fail(file: string | undefined, code: string, message: string, hint: string): LoadGraphResult {
  return { ok: false, problems: [{ severity: "error", code, message, hint, path: [], ...(file !== undefined ? { file } : {}) }] };
}
