import { basename } from "node:path";
import { createTwoFilesPatch } from "diff";
import { parse } from "yaml";
import { versionOf } from "./graph-version-text";
import { resolveVersionText } from "./list-graph-versions";
import { readGraphText, readStoreIndex } from "./version-store";

/** An edge, as the structural summary names it. */
export interface EdgeSummary {
  from: string;
  to: string;
  on?: string;
  condition?: string;
}

/** What changed between two graph versions, by structure. */
export interface GraphStructureDiff {
  /** The `version` fields of the two texts. */
  versions: { from?: string; to?: string };
  nodesAdded: string[];
  nodesRemoved: string[];
  /** Nodes in both, with the keys that changed: `kind`, `timeoutMs`, or `config.<key>` inside the config. */
  nodesChanged: { id: string; keys: string[] }[];
  edgesAdded: EdgeSummary[];
  edgesRemoved: EdgeSummary[];
  /** Other top-level fields that changed (`description`, `limits`, `entry`, `exits`…), not `version`. */
  fieldsChanged: string[];
}

/** What {@link diffGraphVersions} gives. */
export interface GraphVersionDiff {
  file: string;
  /** The versions compared, as asked for. */
  from: string;
  to: string;
  /** Whether the two texts are the same. */
  identical: boolean;
  /** The unified diff of the two texts (empty when identical). */
  unified: string;
  /** The structural summary; absent when a text does not parse as a graph document. */
  summary?: GraphStructureDiff;
}

/**
 * Compares two versions of a graph: the unified diff of their texts, and which nodes, edges and
 * fields changed. A version is a stored version's number, or `current` for the graph file.
 *
 * @throws `VERSION_NOT_FOUND` (its hint lists the known versions), `GRAPH_NOT_FOUND`,
 *   `VERSION_STORE_FAILED`.
 *
 * @example
 * ```ts
 * const diff = await diffGraphVersions("graphs/g.yaml", "1.0.0", "1.1.0");
 * console.log(diff.summary?.nodesChanged); // [{ id: "math", keys: ["config.tools"] }]
 * ```
 */
export async function diffGraphVersions(file: string, from: string, to: string): Promise<GraphVersionDiff> {
  const current = await readGraphText(file);
  const index = await readStoreIndex(file);
  const [a, b] = await Promise.all([resolveVersionText(file, index, current, from), resolveVersionText(file, index, current, to)]);
  const name = basename(file);
  const identical = a === b;
  const unified = identical ? "" : createTwoFilesPatch(`${name}@${from}`, `${name}@${to}`, a, b, undefined, undefined, { context: 3 });
  const summary = structureDiff(a, b);
  return { file, from, to, identical, unified, ...(summary ? { summary } : {}) };
}

type Doc = Record<string, unknown>;

function asDoc(text: string): Doc | undefined {
  try {
    const data: unknown = parse(text);
    return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Doc) : undefined;
  } catch {
    return undefined;
  }
}

/** The structural differences of two graph texts; undefined when one does not parse. @internal */
export function structureDiff(fromText: string, toText: string): GraphStructureDiff | undefined {
  const a = asDoc(fromText);
  const b = asDoc(toText);
  if (!a || !b) return undefined;
  const nodesA = nodesById(a.nodes);
  const nodesB = nodesById(b.nodes);
  const nodesChanged: GraphStructureDiff["nodesChanged"] = [];
  for (const [id, nodeA] of nodesA) {
    const nodeB = nodesB.get(id);
    if (!nodeB) continue;
    const keys = changedKeys(nodeA, nodeB, "").flatMap((key) =>
      key === "config" && isRecord(nodeA.config) && isRecord(nodeB.config) ? changedKeys(nodeA.config, nodeB.config, "config.") : [key],
    );
    if (keys.length > 0) nodesChanged.push({ id, keys });
  }
  const edgesA = edgesByKey(a.edges);
  const edgesB = edgesByKey(b.edges);
  const versionA = versionOf(fromText);
  const versionB = versionOf(toText);
  return {
    versions: { ...(versionA !== undefined ? { from: versionA } : {}), ...(versionB !== undefined ? { to: versionB } : {}) },
    nodesAdded: [...nodesB.keys()].filter((id) => !nodesA.has(id)),
    nodesRemoved: [...nodesA.keys()].filter((id) => !nodesB.has(id)),
    nodesChanged,
    edgesAdded: [...edgesB].filter(([key]) => !edgesA.has(key)).map(([, edge]) => edge),
    edgesRemoved: [...edgesA].filter(([key]) => !edgesB.has(key)).map(([, edge]) => edge),
    fieldsChanged: changedKeys(a, b, "").filter((key) => !["version", "nodes", "edges"].includes(key)),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nodesById(nodes: unknown): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const node of Array.isArray(nodes) ? nodes : []) {
    if (isRecord(node) && typeof node.id === "string") byId.set(node.id, node);
  }
  return byId;
}

function edgesByKey(edges: unknown): Map<string, EdgeSummary> {
  const byKey = new Map<string, EdgeSummary>();
  for (const edge of Array.isArray(edges) ? edges : []) {
    if (!isRecord(edge)) continue;
    const summary: EdgeSummary = {
      from: String(edge.from),
      to: String(edge.to),
      ...(edge.on !== undefined && edge.on !== "success" ? { on: String(edge.on) } : {}),
      ...(edge.condition !== undefined ? { condition: String(edge.condition) } : {}),
    };
    byKey.set(JSON.stringify([summary.from, summary.to, summary.on ?? "success", summary.condition ?? null]), summary);
  }
  return byKey;
}

/** Keys whose values differ between two objects (present in either), in `a`'s order then `b`'s. */
function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, prefix: string): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => !deepEqual(a[key], b[key])).map((key) => `${prefix}${key}`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}
