import path from "node:path";
import { builtinNodeKinds } from "../../kinds/builtin-node-kinds";
import { createNodeRegistry, type NodeRegistry } from "../../node-kind/node-registry";
import type { CompiledGraph } from "../compiled-graph";
import type { GraphProblem } from "../graph-problem";
import { applyKindChecks } from "./apply-kind-checks";
import { assembleDefinition } from "./assemble-definition";
import { buildCompiledGraph } from "./build-compiled-graph";
import { checkEntryExits } from "./check-entry-exits";
import { checkNodes } from "./check-nodes";
import { checkStructure } from "./check-structure";
import { collectFields } from "./collect-fields";
import { compileEdges } from "./compile-edges";
import { createConditionCompiler } from "./condition-compiler";
import { createKindContext } from "./create-kind-context";
import { createGraphReporter, type LocatePath } from "./graph-reporter";
import { loadSubgraphs, type LoadSubgraph } from "./load-subgraphs";
import { validateEnvelope, type GraphEnvelope } from "./validate-envelope";

/** Options of {@link compileGraph}. */
export interface CompileGraphOptions {
  /** Node kinds the graph may use. Default: the built-in kinds. */
  registry?: NodeRegistry;
  /** File name used in problems and as the base for subgraph paths. Default: none (subgraph paths resolve against the working directory). */
  file?: string;
  /** @internal Locates problems in the source text the definition was parsed from. */
  _locate?: LocatePath;
  /** @internal Loads subgraph files (the YAML loader passes its own). */
  _loadSubgraph?: LoadSubgraph;
  /** @internal Files being loaded, to catch subgraphs that include themselves. */
  _stack?: string[];
}

/** The outcome of loading or compiling a graph: the compiled graph, or every problem found. */
export type CompileGraphResult = { ok: true; graph: CompiledGraph; warnings: GraphProblem[] } | { ok: false; problems: GraphProblem[] };

let defaultRegistry: NodeRegistry | undefined;

/** A registry with only the built-in kinds. */
export function getDefaultRegistry(): NodeRegistry {
  defaultRegistry ??= createNodeRegistry(builtinNodeKinds);
  return defaultRegistry;
}

/**
 * Validates and compiles a graph definition: a plain object, built in code or parsed from a
 * file. Reports every problem rather than stopping at the first: types, unknown kinds and keys,
 * configs the kinds reject, dangling edges, unreachable nodes and exits, unbounded cycles,
 * conditions that do not parse or name unknown fields, and invalid subgraphs. Problems carry a
 * path into the definition (file, line and column too when `loadGraph` parsed it from text).
 * Never throws.
 *
 * @example
 * ```ts
 * import { compileGraph, defineGraph, runGraph } from "@tinyllm/core";
 *
 * const result = await compileGraph(
 *   defineGraph({
 *     id: "hello",
 *     version: 1,
 *     entry: "start",
 *     exits: ["done"],
 *     nodes: [{ id: "start", kind: "entry" }, { id: "done", kind: "exit", config: { output: "hello, {{ input }}" } }],
 *     edges: [{ from: "start", to: "done" }],
 *   }),
 * );
 * if (result.ok) console.log((await runGraph(result.graph, { input: "you" })).output); // hello, you
 * ```
 */
export async function compileGraph(definition: unknown, options: CompileGraphOptions = {}): Promise<CompileGraphResult> {
  try {
    return await compileGraphUnsafe(definition, options);
  } catch (error) {
    const message =
      error instanceof RangeError ? "the definition is nested too deeply to read" : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    return {
      ok: false,
      problems: [
        {
          severity: "error",
          code: "load-failed",
          message,
          hint: "simplify the definition; if it is a valid graph, report this as a bug",
          path: [],
          ...(options.file !== undefined ? { file: options.file } : {}),
        },
      ],
    };
  }
}

async function compileGraphUnsafe(definition: unknown, options: CompileGraphOptions): Promise<CompileGraphResult> {
  const file = options.file;
  const reporter = createGraphReporter({ file, locate: options._locate });
  const registry = options.registry ?? getDefaultRegistry();
  const validated = validateEnvelope(definition, reporter);
  if (!validated) return { ok: false, problems: reporter.problems };
  const { rawGraph, envelope } = validated;

  const { nodes, writtenIds } = checkNodes(Array.isArray(rawGraph.nodes) ? rawGraph.nodes : [], registry, reporter);
  const fields = collectFields(rawGraph, envelope, nodes);
  const conditions = createConditionCompiler(fields, reporter);
  const derivesEdges = new Set(nodes.filter((n) => n.kind?.edges).map((n) => n.def.id));
  const rawEdges = Array.isArray(rawGraph.edges) ? rawGraph.edges : [];
  const { edges, definitions: edgeDefs } = compileEdges(rawEdges, { writtenIds, derivesEdges, conditions, reporter });

  const baseDir = file ? path.dirname(path.resolve(file)) : undefined;
  const contextFor = createKindContext(nodes, { baseDir, graphVisitLimit: envelope?.limits.maxVisitsPerNode });
  applyKindChecks(nodes, { contextFor, writtenIds, conditions, reporter, edges });

  const { entry, exits } = checkEntryExits(rawGraph, writtenIds, reporter);
  checkStructure({ nodes, edges, entry, exits, graphVisitBound: readVisitBound(rawGraph, envelope), reporter });

  const loadSubgraph =
    options._loadSubgraph ?? (async (target: string, stack: string[]) => (await import("../load-graph")).loadGraphFile(target, { registry, _stack: stack }));
  const stack = options._stack ?? (file ? [path.resolve(file)] : []);
  const subgraphs = await loadSubgraphs(nodes, { baseDir, stack, loadSubgraph, reporter });

  if (reporter.hasErrors() || !envelope) return { ok: false, problems: reporter.problems };
  const graphDefinition = assembleDefinition(envelope, nodes, edgeDefs);
  const graph = buildCompiledGraph({ definition: graphDefinition, nodes, edges, fields, subgraphs, contextFor, file, reporter });
  if (!graph) return { ok: false, problems: reporter.problems };
  return { ok: true, graph, warnings: reporter.problems.filter((p) => p.severity === "warning") };
}

/** `limits.maxVisitsPerNode`, read from the raw definition too when other envelope fields are invalid. */
function readVisitBound(rawGraph: Record<string, unknown>, envelope: GraphEnvelope | undefined): number | undefined {
  if (envelope) return envelope.limits.maxVisitsPerNode;
  const limits = rawGraph.limits;
  if (limits === null || typeof limits !== "object" || Array.isArray(limits)) return undefined;
  const bound = (limits as Record<string, unknown>).maxVisitsPerNode;
  return typeof bound === "number" ? bound : undefined;
}
