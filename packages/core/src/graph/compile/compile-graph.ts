import path from "node:path";
import { builtinNodeKinds } from "../../kinds/builtin-node-kinds";
import type { KindLoadContext } from "../../node-kind/node-kind";
import { createNodeRegistry, type NodeRegistry } from "../../node-kind/node-registry";
import { checkGraphStructure } from "../check-graph-structure";
import type { CompiledGraph } from "../compiled-graph";
import type { GraphProblem } from "../graph-problem";
import { GraphEnvelopeSchema, type GraphDefinition } from "../graph-schema";
import { schemaIssues } from "../zod-problems";
import { applyKindChecks } from "./apply-kind-checks";
import { buildCompiledGraph } from "./build-compiled-graph";
import { checkEntryExits } from "./check-entry-exits";
import { checkNodes } from "./check-nodes";
import { compileEdges } from "./compile-edges";
import { createConditionCompiler } from "./condition-compiler";
import { createGraphReporter, type LocatePath } from "./graph-reporter";
import { loadSubgraphs, type LoadSubgraph } from "./load-subgraphs";

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

const BUILTIN_FIELDS = ["input", "output", "error"];
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
    const message = error instanceof RangeError ? "the definition is nested too deeply to read" : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    return { ok: false, problems: [{ severity: "error", code: "load-failed", message, hint: "simplify the definition; if it is a valid graph, report this as a bug", path: [], ...(options.file !== undefined ? { file: options.file } : {}) }] };
  }
}

async function compileGraphUnsafe(definition: unknown, options: CompileGraphOptions): Promise<CompileGraphResult> {
  const file = options.file;
  const reporter = createGraphReporter({ file, locate: options._locate });
  const registry = options.registry ?? getDefaultRegistry();
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) {
    reporter.report({ code: "not-a-graph", message: "the document is not a graph", hint: "a graph is a mapping with id, version, entry, exits, nodes and edges", path: [] });
    return { ok: false, problems: reporter.problems };
  }
  const rawGraph = definition as Record<string, unknown>;
  const envelope = GraphEnvelopeSchema.safeParse(rawGraph);
  if (!envelope.success) {
    for (const issue of schemaIssues(envelope.error, [], (p) => (p.length === 0 ? Object.keys(GraphEnvelopeSchema.shape) : undefined))) reporter.report({ code: "invalid-field", ...issue });
  }
  const envelopeData = envelope.success ? envelope.data : undefined;
  const { nodes, writtenIds } = checkNodes(Array.isArray(rawGraph.nodes) ? rawGraph.nodes : [], registry, reporter);
  const nodeIds = new Set(nodes.map((n) => n.def.id));
  const nodeKinds = new Map(nodes.map((n) => [n.def.id, n.def.kind]));
  const baseDir = file ? path.dirname(path.resolve(file)) : undefined;

  // Known state fields: built-ins, declared ones, and whatever nodes write.
  const fields = new Set<string>(BUILTIN_FIELDS);
  for (const key of Object.keys(envelopeData?.state ?? (isRecord(rawGraph.state) ? rawGraph.state : {}))) fields.add(key);
  for (const n of nodes) if (n.kind?.writes && n.config !== undefined) for (const f of n.kind.writes(n.config)) fields.add(f);
  const conditions = createConditionCompiler(fields, reporter);

  const derivesEdges = new Set(nodes.filter((n) => n.kind?.edges).map((n) => n.def.id));
  const { edges, definitions: edgeDefs } = compileEdges(Array.isArray(rawGraph.edges) ? rawGraph.edges : [], { writtenIds, derivesEdges, conditions, reporter });

  const graphVisitLimit = envelopeData?.limits.maxVisitsPerNode;
  const visitLimits = new Map(nodes.map((n) => [n.def.id, n.def.maxVisits ?? graphVisitLimit]));
  const contextFor = (nodeId: string): KindLoadContext => ({ nodeId, nodeIds, nodeKinds, baseDir, visitLimits });
  applyKindChecks(nodes, { contextFor, writtenIds, conditions, reporter, edges });

  const { entry, exits } = checkEntryExits(rawGraph, writtenIds, reporter);
  if (entry !== undefined && nodeIds.has(entry)) {
    const graphVisitBound = graphVisitLimit ?? (isRecord(rawGraph.limits) && typeof rawGraph.limits.maxVisitsPerNode === "number" ? rawGraph.limits.maxVisitsPerNode : undefined);
    const structureNodes = nodes.map((n) => {
      const fanout = n.kind?.fanout && n.config !== undefined ? n.kind.fanout(n.config) : undefined;
      return { id: n.def.id, index: n.index, maxVisits: n.def.maxVisits, isFanout: fanout !== undefined, isJoin: n.kind?.join !== undefined, join: fanout?.join };
    });
    for (const p of checkGraphStructure({ nodes: structureNodes, edges, entry, exits: exits.filter((e) => nodeIds.has(e)), graphVisitBound })) reporter.report(p);
  }

  const loadSubgraph = options._loadSubgraph ?? (async (target: string, stack: string[]) => (await import("../load-graph")).loadGraphFile(target, { registry, _stack: stack }));
  const stack = options._stack ?? (file ? [path.resolve(file)] : []);
  const subgraphs = await loadSubgraphs(nodes, { baseDir, stack, loadSubgraph, reporter });

  if (reporter.hasErrors() || !envelopeData) return { ok: false, problems: reporter.problems };
  const graphDefinition: GraphDefinition = {
    id: envelopeData.id,
    version: envelopeData.version,
    ...(envelopeData.description !== undefined ? { description: envelopeData.description } : {}),
    ...(envelopeData.state !== undefined ? { state: envelopeData.state } : {}),
    entry: envelopeData.entry,
    exits: envelopeData.exits,
    limits: envelopeData.limits,
    nodes: nodes.map((n) => n.def),
    edges: edgeDefs,
    ...(envelopeData.metadata !== undefined ? { metadata: envelopeData.metadata } : {}),
  };
  const graph = buildCompiledGraph({ definition: graphDefinition, nodes, edges, fields, subgraphs, contextFor, file, reporter });
  if (!graph) return { ok: false, problems: reporter.problems };
  return { ok: true, graph, warnings: reporter.problems.filter((p) => p.severity === "warning") };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
