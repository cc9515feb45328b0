import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import { parseCondition, type Condition } from "../condition/index";
import { builtinNodeKinds } from "../kinds/builtin-node-kinds";
import type { KindLoadContext, NodeKind } from "../node-kind/node-kind";
import { createNodeRegistry, type NodeRegistry } from "../node-kind/node-registry";
import { checkGraphStructure } from "./check-graph-structure";
import type { CompiledEdge, CompiledGraph, CompiledNode } from "./compiled-graph";
import type { GraphProblem } from "./graph-problem";
import {
  EdgeDefinitionSchema,
  GraphEnvelopeSchema,
  NodeDefinitionSchema,
  type EdgeDefinition,
  type GraphDefinition,
  type NodeDefinition,
} from "./graph-schema";
import { locatePath } from "./locate-path";
import { suggest } from "./suggest";
import { objectKeys, schemaIssues } from "./zod-problems";

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
export type LoadGraphResult =
  | { ok: true; graph: CompiledGraph; warnings: GraphProblem[] }
  | { ok: false; problems: GraphProblem[] };

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const BUILTIN_FIELDS = ["input", "output", "error"];
let defaultRegistry: NodeRegistry | undefined;

/** A registry with only the built-in kinds. */
export function getDefaultRegistry(): NodeRegistry {
  defaultRegistry ??= createNodeRegistry(builtinNodeKinds);
  return defaultRegistry;
}

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
 * Parses, validates and compiles a graph from YAML (or JSON) text. Collects every problem
 * rather than stopping at the first: YAML syntax, types, unknown kinds and keys, dangling
 * edges, unreachable nodes and exits, unbounded cycles and conditions that do not parse or
 * name unknown fields. Each problem carries file, line and column. Never throws.
 *
 * @example
 * ```ts
 * const result = await loadGraph(yamlText, { file: "graph.yaml" });
 * if (!result.ok) for (const p of result.problems) console.error(formatGraphProblem(p));
 * ```
 */
export async function loadGraph(source: string, options: LoadGraphOptions = {}): Promise<LoadGraphResult> {
  try {
    return await loadGraphUnsafe(source, options);
  } catch (error) {
    const message = error instanceof RangeError ? "the document is nested too deeply to read" : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    return fail(options.file, "load-failed", message, "simplify the document; if it is a valid graph, report this as a bug");
  }
}

async function loadGraphUnsafe(source: string, options: LoadGraphOptions): Promise<LoadGraphResult> {
  const file = options.file;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = Buffer.byteLength(source, "utf8");
  if (size > maxBytes) return tooLarge(file, size, maxBytes);
  const registry = options.registry ?? getDefaultRegistry();

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const problems: GraphProblem[] = [];
  for (const err of [...doc.errors]) {
    const pos = err.linePos?.[0] ?? (err.pos ? lineCounter.linePos(err.pos[0]) : undefined);
    problems.push({
      severity: "error",
      code: "yaml-syntax",
      message: `YAML: ${err.message.split("\n")[0]}`,
      hint: "fix the YAML syntax at this position",
      ...(file !== undefined ? { file } : {}),
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      path: [],
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const report = (p: Omit<GraphProblem, "severity" | "file" | "line" | "column"> & { offset?: number; severity?: "error" | "warning" }) => {
    const pos = locatePath(doc as Document, lineCounter, p.path, p.offset ?? 0);
    const { offset: _offset, ...rest } = p;
    problems.push({ severity: "error", ...rest, ...(file !== undefined ? { file } : {}), ...(pos ? { line: pos.line, column: pos.column } : {}) });
  };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    report({ code: "yaml-syntax", message: `YAML: ${(error as Error).message}`, hint: "remove excessive aliases", path: [] });
    return { ok: false, problems };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    report({
      code: "not-a-graph",
      message: "the document is not a graph",
      hint: "a graph is a YAML mapping with id, version, entry, exits, nodes and edges",
      path: [],
    });
    return { ok: false, problems };
  }
  const rawGraph = raw as Record<string, unknown>;

  const envelope = GraphEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    for (const issue of schemaIssues(envelope.error, [], (p) => (p.length === 0 ? Object.keys(GraphEnvelopeSchema.shape) : undefined))) {
      report({ code: "invalid-field", ...issue });
    }
  }
  const rawNodes = Array.isArray(rawGraph.nodes) ? rawGraph.nodes : [];
  const rawEdges = Array.isArray(rawGraph.edges) ? rawGraph.edges : [];

  // Node ids as written, even on invalid nodes, so one bad node does not cascade.
  const writtenIds = new Set<string>();
  for (const n of rawNodes) {
    const id = (n as { id?: unknown } | null)?.id;
    if (typeof id === "string") writtenIds.add(id);
  }

  const nodes: { def: NodeDefinition; index: number; kind?: NodeKind<unknown>; config?: unknown }[] = [];
  const seenIds = new Map<string, number>();
  rawNodes.forEach((rawNode, index) => {
    const parsed = NodeDefinitionSchema.safeParse(rawNode);
    if (!parsed.success) {
      const nodeId = typeof (rawNode as { id?: unknown } | null)?.id === "string" ? (rawNode as { id: string }).id : undefined;
      for (const issue of schemaIssues(parsed.error, ["nodes", index], (p) => (p.length === 0 ? Object.keys(NodeDefinitionSchema.shape) : undefined))) {
        report({ code: "invalid-node", ...issue, ...(nodeId ? { nodeId } : {}) });
      }
      return;
    }
    const def = parsed.data;
    if (seenIds.has(def.id)) {
      report({
        code: "duplicate-node",
        message: `node id '${def.id}' is used twice (first at nodes[${seenIds.get(def.id)}])`,
        hint: "give every node a unique id",
        path: ["nodes", index, "id"],
        nodeId: def.id,
      });
      return;
    }
    seenIds.set(def.id, index);
    const kind = registry.get(def.kind);
    if (!kind) {
      const close = suggest(def.kind, registry.kinds());
      report({
        code: "unknown-kind",
        message: `unknown node kind '${def.kind}'${close ? `; did you mean '${close}'?` : ""}`,
        hint: `known kinds: ${registry.kinds().join(", ")}. Kinds from other packages must be registered first`,
        path: ["nodes", index, "kind"],
        nodeId: def.id,
      });
      nodes.push({ def, index });
      return;
    }
    const config = kind.configSchema.safeParse(def.config ?? {});
    if (!config.success) {
      for (const issue of schemaIssues(config.error, ["nodes", index, "config"], (p) => keysAt(kind.configSchema, p))) {
        report({ code: "invalid-config", ...issue, nodeId: def.id, hint: issue.hint ?? `see the '${def.kind}' kind's documentation` });
      }
      nodes.push({ def, index, kind });
      return;
    }
    nodes.push({ def, index, kind, config: config.data });
  });

  const envelopeData = envelope.success ? envelope.data : undefined;
  const nodeIds = new Set(nodes.map((n) => n.def.id));
  const nodeKinds = new Map(nodes.map((n) => [n.def.id, n.def.kind]));
  const baseDir = file ? path.dirname(path.resolve(file)) : undefined;

  // Known state fields: built-ins, declared ones, and whatever nodes write.
  const fields = new Set<string>(BUILTIN_FIELDS);
  for (const key of Object.keys(envelopeData?.state ?? (isRecord(rawGraph.state) ? rawGraph.state : {}))) fields.add(key);
  for (const n of nodes) if (n.kind?.writes && n.config !== undefined) for (const f of n.kind.writes(n.config)) fields.add(f);

  const checkFields = (names: readonly string[], where: (string | number)[], subject: { nodeId?: string; edgeIndex?: number }) => {
    for (const name of names) {
      const head = name.split(/[.[]/)[0] ?? name;
      if (fields.has(head)) continue;
      const close = suggest(head, fields);
      report({
        code: "unknown-field",
        message: `'${head}' is not a field of the run state${close ? `; did you mean '${close}'?` : ""}`,
        hint: `fields here: ${[...fields].sort().join(", ")}. Declare fields the caller provides under 'state:'`,
        path: where,
        ...subject,
      });
    }
  };

  // Edges written in the file.
  const edges: (CompiledEdge & { path: (string | number)[]; edgeIndex?: number })[] = [];
  const derivesEdges = new Set(nodes.filter((n) => n.kind?.edges).map((n) => n.def.id));
  const edgeDefs: EdgeDefinition[] = [];
  rawEdges.forEach((rawEdge, edgeIndex) => {
    const parsed = EdgeDefinitionSchema.safeParse(rawEdge);
    if (!parsed.success) {
      for (const issue of schemaIssues(parsed.error, ["edges", edgeIndex], (p) => (p.length === 0 ? Object.keys(EdgeDefinitionSchema.shape) : undefined))) {
        report({ code: "invalid-edge", ...issue, edgeIndex });
      }
      return;
    }
    const edge = parsed.data;
    edgeDefs.push(edge);
    let dangling = false;
    for (const end of ["from", "to"] as const) {
      if (writtenIds.has(edge[end])) continue;
      dangling = true;
      const close = suggest(edge[end], writtenIds);
      report({
        code: "dangling-edge",
        message: `edge ${end === "from" ? "starts at" : "points to"} '${edge[end]}', which is not a node${close ? `; did you mean '${close}'?` : ""}`,
        hint: "use the id of a node in `nodes`, or add the node",
        path: ["edges", edgeIndex, end],
        edgeIndex,
      });
    }
    if (edge.on === "success" && derivesEdges.has(edge.from)) {
      report({
        code: "edge-on-branch",
        message: `'${edge.from}' chooses its next node from its config; this edge would never be taken`,
        hint: "move the target into the node's config (e.g. a branch case), or make it an `on: error` edge",
        path: ["edges", edgeIndex],
        edgeIndex,
      });
    }
    const condition = compileCondition(edge.condition, ["edges", edgeIndex, "condition"], { edgeIndex });
    if (dangling) return;
    edges.push({ from: edge.from, to: edge.to, on: edge.on, origin: "edge", path: ["edges", edgeIndex], edgeIndex, ...(condition ? { condition } : {}) });
  });

  function compileCondition(source: string | undefined, where: (string | number)[], subject: { nodeId?: string; edgeIndex?: number }): Condition | undefined {
    if (source === undefined) return undefined;
    const parsed = parseCondition(source);
    if (!parsed.ok) {
      report({
        code: "invalid-condition",
        message: `condition does not parse: ${parsed.error.message}`,
        hint: "conditions use ==, !=, <, <=, >, >=, in, not in, and, or, not, over state fields",
        path: where,
        offset: parsed.error.offset,
        ...subject,
      });
      return undefined;
    }
    checkFields(parsed.condition.fields, where, subject);
    return parsed.condition;
  }

  // Per-kind checks and edges the kinds derive from their config.
  const graphVisitLimit = envelopeData?.limits.maxVisitsPerNode;
  const visitLimits = new Map(nodes.map((n) => [n.def.id, n.def.maxVisits ?? graphVisitLimit]));
  const contextFor = (nodeId: string): KindLoadContext => ({ nodeId, nodeIds, nodeKinds, baseDir, visitLimits });
  for (const n of nodes) {
    if (!n.kind || n.config === undefined) continue;
    const where = ["nodes", n.index, "config"];
    for (const p of n.kind.check?.(n.config, contextFor(n.def.id)) ?? []) {
      report({ code: "invalid-config", message: p.message, ...(p.hint ? { hint: p.hint } : {}), path: [...where, ...(p.path ?? [])], nodeId: n.def.id });
    }
    if (n.kind.reads) checkFields(n.kind.reads(n.config), where, { nodeId: n.def.id });
    for (const derived of n.kind.edges?.(n.config) ?? []) {
      const at = [...where, ...derived.path];
      if (!writtenIds.has(derived.to)) {
        const close = suggest(derived.to, writtenIds);
        report({
          code: "dangling-edge",
          message: `'${derived.to}' is not a node${close ? `; did you mean '${close}'?` : ""}`,
          hint: "use the id of a node in `nodes`",
          path: at,
          nodeId: n.def.id,
        });
        continue;
      }
      const condition = compileCondition(derived.condition, [...at, "when"], { nodeId: n.def.id });
      edges.push({ from: n.def.id, to: derived.to, on: "success", origin: "config", path: at, ...(condition ? { condition } : {}) });
    }
  }

  // Entry and exits.
  const entry = typeof rawGraph.entry === "string" ? rawGraph.entry : undefined;
  const exits = Array.isArray(rawGraph.exits) ? rawGraph.exits.filter((e): e is string => typeof e === "string") : [];
  if (entry !== undefined && !writtenIds.has(entry)) {
    const close = suggest(entry, writtenIds);
    report({ code: "unknown-entry", message: `entry '${entry}' is not a node${close ? `; did you mean '${close}'?` : ""}`, hint: "set entry to a node id", path: ["entry"] });
  }
  exits.forEach((exit, i) => {
    if (writtenIds.has(exit)) return;
    const close = suggest(exit, writtenIds);
    report({ code: "unknown-exit", message: `exit '${exit}' is not a node${close ? `; did you mean '${close}'?` : ""}`, hint: "list node ids under exits", path: ["exits", i] });
  });

  // Structure: reachability, dead ends, cycles, fan-out/join pairing.
  if (entry !== undefined && nodeIds.has(entry)) {
    for (const p of checkGraphStructure({
      nodes: nodes.map((n) => ({
        id: n.def.id,
        index: n.index,
        maxVisits: n.def.maxVisits,
        role: n.kind?.role,
        join: n.kind?.role === "fanout" ? (n.config as { join?: string } | undefined)?.join : undefined,
      })),
      edges,
      entry,
      exits: exits.filter((e) => nodeIds.has(e)),
      graphVisitBound: envelopeData?.limits.maxVisitsPerNode ?? (isRecord(rawGraph.limits) && typeof rawGraph.limits.maxVisitsPerNode === "number" ? rawGraph.limits.maxVisitsPerNode : undefined),
    })) {
      report(p);
    }
  }

  // Subgraphs.
  const subgraphs = new Map<string, CompiledGraph>();
  const stack = options._stack ?? (file ? [path.resolve(file)] : []);
  for (const n of nodes) {
    if (n.kind?.role !== "subgraph" || n.config === undefined) continue;
    const ref = (n.config as { graph: string }).graph;
    const target = path.resolve(baseDir ?? process.cwd(), ref);
    if (stack.includes(target)) {
      report({
        code: "recursive-subgraph",
        message: `subgraph '${ref}' includes itself (${[...stack, target].map((s) => path.basename(s)).join(" → ")})`,
        hint: "a graph cannot contain itself; use a bounded loop instead",
        path: ["nodes", n.index, "config", "graph"],
        nodeId: n.def.id,
      });
      continue;
    }
    const child = await loadGraphFile(target, { ...options, _stack: [...stack, target] });
    if (!child.ok) {
      problems.push(...child.problems);
      report({
        code: "invalid-subgraph",
        message: `subgraph '${ref}' is invalid (${child.problems.length} problem${child.problems.length === 1 ? "" : "s"} listed with its file)`,
        hint: "fix the subgraph file",
        path: ["nodes", n.index, "config", "graph"],
        nodeId: n.def.id,
      });
      continue;
    }
    subgraphs.set(n.def.id, child.graph);
  }

  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0 || !envelopeData) return { ok: false, problems };

  // Compile.
  const definition: GraphDefinition = {
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
  const exitSet = new Set(envelopeData.exits);
  const compiledNodes = new Map<string, CompiledNode>();
  const nodeList: CompiledNode[] = [];
  for (const n of nodes) {
    const kind = n.kind as NodeKind<unknown>;
    const subgraph = subgraphs.get(n.def.id);
    let handler;
    try {
      handler = kind.create(n.config, { ...contextFor(n.def.id), ...(subgraph ? { subgraph } : {}) });
    } catch (error) {
      report({
        code: "create-failed",
        message: `node could not be built: ${(error as Error)?.message ?? String(error)}`,
        hint: `check the node's config against the '${n.def.kind}' kind's documentation`,
        path: ["nodes", n.index],
        nodeId: n.def.id,
      });
      continue;
    }
    const node: CompiledNode = {
      id: n.def.id,
      kind: n.def.kind,
      index: nodeList.length,
      config: n.config,
      handler,
      maxVisits: n.def.maxVisits ?? envelopeData.limits.maxVisitsPerNode ?? Number.POSITIVE_INFINITY,
      edges: [],
      errorEdges: [],
      isExit: exitSet.has(n.def.id),
      ...(n.def.description !== undefined ? { description: n.def.description } : {}),
      ...(kind.role ? { role: kind.role } : {}),
      ...(n.def.timeoutMs !== undefined ? { timeoutMs: n.def.timeoutMs } : {}),
      ...(n.def.retry ? { retry: n.def.retry } : {}),
      ...(subgraph ? { subgraph } : {}),
    };
    compiledNodes.set(node.id, node);
    nodeList.push(node);
  }
  if (problems.some((p) => p.severity === "error")) return { ok: false, problems };
  const compiledEdges: CompiledEdge[] = edges.map(({ path: _p, edgeIndex: _i, ...edge }) => edge);
  // Derived (config) edges first: they are the node's own routing.
  for (const edge of [...compiledEdges.filter((e) => e.origin === "config"), ...compiledEdges.filter((e) => e.origin === "edge")]) {
    const from = compiledNodes.get(edge.from);
    if (!from) continue;
    (edge.on === "error" ? from.errorEdges : from.edges).push(edge);
  }
  const graph: CompiledGraph = {
    id: definition.id,
    version: definition.version,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    entry: definition.entry,
    exits: exitSet,
    limits: definition.limits,
    nodes: compiledNodes,
    nodeList,
    edges: compiledEdges,
    fields,
    definition,
    ...(file !== undefined ? { file } : {}),
  };
  return { ok: true, graph, warnings: problems.filter((p) => p.severity === "warning") };
}

function keysAt(schema: unknown, p: PropertyKey[]): string[] | undefined {
  let current: unknown = schema;
  for (const segment of p) {
    const shape = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
    if (shape && typeof segment === "string") {
      current = unwrap(shape[segment]);
      continue;
    }
    const element = (current as { element?: unknown } | undefined)?.element;
    if (element && typeof segment === "number") {
      current = unwrap(element);
      continue;
    }
    return undefined;
  }
  return objectKeys(current);
}

function unwrap(schema: unknown): unknown {
  let current = schema as { unwrap?: () => unknown; def?: { innerType?: unknown } } | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.unwrap === "function") current = current.unwrap() as typeof current;
    else if (current.def?.innerType) current = current.def.innerType as typeof current;
    else break;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function tooLarge(file: string | undefined, size: number, maxBytes: number): LoadGraphResult {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return fail(file, "too-large", `the graph is ${mb(size)}; the limit is ${mb(maxBytes)}`, "split it into subgraphs, or raise maxBytes");
}

function fail(file: string | undefined, code: string, message: string, hint: string): LoadGraphResult {
  return { ok: false, problems: [{ severity: "error", code, message, hint, path: [], ...(file !== undefined ? { file } : {}) }] };
}
