import type { EdgeInput, GraphInput, NodeInput } from "@tinyllm/core";
import type { QueryCluster } from "../analysis/node-analysis";
import { checkProposal, copyForEdit, modelNodeOf, notApplicable, type ModelConfigInput } from "./graph-edit";
import type { Strategy, StrategyContext } from "./strategy";

/** Options of {@link createSplitStrategy}. */
export interface SplitOptions {
  /** Fewest queries a cluster needs to get its own specialist. Default 3. */
  minQueries?: number;
  /** Most specialists the node is split into (2 to 8). Default 4. */
  maxSpecialists?: number;
  /** Add a line naming its sub-domain to each specialist's system prompt. Default true. */
  systemLine?: boolean;
  /** Most example queries per route of the sub-router. Default 40. */
  maxExamplesPerRoute?: number;
}

/** One sub-domain of the split: its route, specialist and training queries. */
interface SubDomain {
  route: string;
  nodeId: string;
  cluster: QueryCluster;
  queries: string[];
}

const ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** A name of letters, digits, `_` and `-` starting with a letter or `_`, from a cluster label. */
function routeNameOf(label: string, index: number): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .replace(/^[_-]+|[_-]+$/g, "")
    .slice(0, 40);
  if (slug === "") return `sub${index + 1}`;
  return /^[a-z_]/.test(slug) ? slug : `c_${slug}`;
}

/** `base`, or `base_2`, `base_3`… : the first not in `taken` (kept within the id length). */
function unique(base: string, taken: Set<string>): string {
  const root = base.slice(0, 120);
  let name = root;
  for (let n = 2; taken.has(name); n++) name = `${root}_${n}`;
  taken.add(name);
  return name;
}

/** The clusters that get a specialist: the largest ones with enough queries, each query in one cluster only. */
function subDomainsOf(context: StrategyContext, options: Required<SplitOptions>): { domains: Omit<SubDomain, "nodeId">[] } | { error: string } {
  const found = modelNodeOf(context.graph, context.nodeId);
  if (!found.ok) return { error: found.reason };
  if (context.graph.entry === context.nodeId || context.graph.exits.includes(context.nodeId))
    return { error: `node '${context.nodeId}' is the graph's entry or an exit, which a split cannot replace` };
  const seen = new Set<string>();
  const clusters = [...context.analysis.clusters]
    .sort((a, b) => b.queries.length - a.queries.length || b.failures - a.failures)
    .map((cluster) => {
      const queries = cluster.queries.map((q) => q.trim()).filter((q) => q !== "" && !seen.has(q) && (seen.add(q), true));
      return { cluster, queries };
    })
    .filter((c) => c.queries.length >= options.minQueries)
    .slice(0, options.maxSpecialists);
  if (clusters.length < 2) {
    return {
      error: `a split needs at least 2 query clusters of ${options.minQueries} or more queries; the node has ${clusters.length} (of ${context.analysis.clusters.length} clusters)`,
    };
  }
  const names = new Set<string>();
  return {
    domains: clusters.map(({ cluster, queries }, i) => ({
      route: unique(routeNameOf(cluster.label, i), names),
      cluster,
      queries: queries.slice(0, options.maxExamplesPerRoute),
    })),
  };
}

/** The words a sub-domain is described by. */
function topicOf(cluster: QueryCluster): string {
  const words = cluster.keywords.slice(0, 6);
  return words.length > 0 ? words.join(", ") : cluster.label.replace(/[-_]+/g, " ");
}

/** A state field name made from a node id (ids may hold `-`, fields may not). */
function fieldOf(nodeId: string): string {
  return nodeId.replace(/[^A-Za-z0-9_]/g, "_");
}

/** The node's settings every node taking its place keeps: time limit, retries and visit bound. */
function nodeLimits(node: NodeInput): Partial<NodeInput> {
  return {
    ...(node.timeoutMs !== undefined ? { timeoutMs: node.timeoutMs } : {}),
    ...(node.retry !== undefined ? { retry: structuredClone(node.retry) } : {}),
    ...(node.maxVisits !== undefined ? { maxVisits: node.maxVisits } : {}),
  };
}

/** Points other nodes' config references to the old node (gates, branches) at the split. */
function redirectReferences(graph: GraphInput, oldId: string, entryId: string, specialists: readonly string[]): void {
  for (const node of graph.nodes) {
    const config = node.config as Record<string, unknown> | undefined;
    if (!config || typeof config !== "object") continue;
    if (node.kind === "gate") {
      if (Array.isArray(config.retryTargets) && config.retryTargets.includes(oldId))
        config.retryTargets = config.retryTargets.flatMap((target: unknown) => (target === oldId ? [...specialists] : [target]));
      if (config.pass === oldId) config.pass = entryId;
      if (Array.isArray(config.onFail))
        config.onFail = config.onFail.map((step: unknown) =>
          step && typeof step === "object" && (step as { fallback?: unknown }).fallback === oldId ? { ...step, fallback: entryId } : step,
        );
    } else if (node.kind === "branch") {
      if (Array.isArray(config.cases))
        config.cases = config.cases.map((c: unknown) => (c && typeof c === "object" && (c as { to?: unknown }).to === oldId ? { ...c, to: entryId } : c));
      if (config.default === oldId) config.default = entryId;
    }
  }
}

/**
 * Split: the node becomes a sub-router plus one finer specialist per sub-domain, the sub-domains
 * being the analysis's query clusters (e.g. arithmetic, algebra, word problems): the largest 2 to
 * `maxSpecialists` clusters with at least `minQueries` queries each.
 *
 * - The sub-router (a `router` node on T0, one route per cluster named from its label, the
 *   cluster's queries as `examples` and its keywords as `description`, the largest cluster as
 *   `default`) trains its fast classifier from the clustered queries when the graph loads.
 * - Each specialist copies the node's config (prompt, tools, tier…), with a line naming its
 *   sub-domain added to its system prompt.
 * - Every edge into the node now goes into the split, every edge out of it leaves each specialist;
 *   gates retry the specialists instead of the node.
 * - The sub-router writes `route` like every router, so two `transform` nodes around it keep the
 *   route the query arrived with (`<node>_parent_route`) and put it back after the sub-route is
 *   taken (kept in `<node>_subroute`): the gate still picks the rubric of the original route.
 *
 * @example
 * ```ts
 * const proposal = await splitStrategy.propose(context);
 * // math: split into math_router and 3 specialists (math_arithmetic, math_algebra, math_word-problems)
 * ```
 */
export function createSplitStrategy({ minQueries = 3, maxSpecialists = 4, systemLine = true, maxExamplesPerRoute = 40 }: SplitOptions = {}): Strategy {
  const options = { minQueries: Math.max(1, minQueries), maxSpecialists: Math.min(8, Math.max(2, maxSpecialists)), systemLine, maxExamplesPerRoute };
  return {
    name: "split",
    applicable(context) {
      const planned = subDomainsOf(context, options);
      if ("error" in planned) return { ok: false, reason: planned.error };
      return { ok: true, reason: `${planned.domains.length} query clusters: ${planned.domains.map((d) => `${d.route} (${d.queries.length})`).join(", ")}` };
    },
    async propose(context) {
      const planned = subDomainsOf(context, options);
      if ("error" in planned) throw notApplicable("split", context, planned.error);
      const { graph, node, config } = copyForEdit(context);
      const oldId = context.nodeId;
      const taken = new Set(graph.nodes.map((n) => n.id).filter((id) => id !== oldId));
      const keepId = unique(`${oldId}_keep_route`, taken);
      const routerId = unique(`${oldId}_router`, taken);
      const restoreId = unique(`${oldId}_restore_route`, taken);
      const domains: SubDomain[] = planned.domains.map((d) => ({ ...d, nodeId: unique(`${oldId}_${d.route}`, taken) }));
      if (![keepId, routerId, restoreId, ...domains.map((d) => d.nodeId)].every((id) => ID.test(id)))
        throw notApplicable("split", context, `the node id '${oldId}' is too long to derive the new nodes' ids from`);
      const parentField = `${fieldOf(oldId)}_parent_route`;
      const subField = `${fieldOf(oldId)}_subroute`;
      const limits = nodeLimits(node);
      const baseSystem = (config.system ?? context.prompt.system ?? "").trim();
      const largest = domains[0]!;

      const keep: NodeInput = {
        id: keepId,
        kind: "transform",
        description: `Keeps the route the query came with while ${routerId} picks a sub-domain of '${oldId}'.`,
        config: { set: { [parentField]: "{{ route }}" } },
        ...limits,
      };
      const router: NodeInput = {
        id: routerId,
        kind: "router",
        description: `Sends '${oldId}' queries to a finer specialist; its fast classifier is trained from the clustered queries when the graph loads.`,
        config: {
          tier: "T0",
          maxLabels: 1,
          default: largest.route,
          ...(typeof config.input === "string" && config.input !== "{{ input }}" ? { query: config.input } : {}),
          routes: domains.map((d) => ({ name: d.route, description: `Questions about ${topicOf(d.cluster)}.`, examples: d.queries })),
        },
        ...limits,
      };
      const restore: NodeInput = {
        id: restoreId,
        kind: "transform",
        description: `Puts the route the query came with back (the gate grades by it) and keeps the sub-route in ${subField}.`,
        config: { set: { [subField]: "{{ route }}", route: `{{ ${parentField} }}` } },
        ...limits,
      };
      const specialists: NodeInput[] = domains.map((d) => {
        const own: ModelConfigInput = structuredClone(config);
        if (options.systemLine) {
          const line = `You answer questions about ${topicOf(d.cluster)}, such as: ${d.queries[0]!.slice(0, 200)}`;
          own.system = baseSystem === "" ? line : `${baseSystem}\n\n${line}`;
        }
        return {
          id: d.nodeId,
          kind: "model",
          description: `Specialist for ${d.route} queries, split from '${oldId}' (${d.queries.length} queries in its cluster).`,
          config: own,
          ...limits,
        };
      });

      const index = graph.nodes.findIndex((n) => n.id === oldId);
      graph.nodes.splice(index, 1, keep, router, restore, ...specialists);

      const edges: EdgeInput[] = graph.edges ?? [];
      const outgoing = edges.filter((e) => e.from === oldId);
      const firstOut = edges.findIndex((e) => e.from === oldId);
      const internal: EdgeInput[] = [
        { from: keepId, to: routerId },
        { from: routerId, to: restoreId },
        // The first matching edge is taken: the largest cluster's route is the unconditioned default, last.
        ...domains.slice(1).map((d) => ({ from: restoreId, to: d.nodeId, condition: `${subField} == ${JSON.stringify(d.route)}` })),
        { from: restoreId, to: largest.nodeId },
        ...domains.flatMap((d) => outgoing.map((e) => ({ ...structuredClone(e), from: d.nodeId }))),
      ];
      const rewired = edges.filter((e) => e.from !== oldId);
      const at = firstOut === -1 ? rewired.length : edges.slice(0, firstOut).filter((e) => e.from !== oldId).length;
      rewired.splice(at, 0, ...internal);
      // Edges into the node, the specialists' own loops back to it included, now enter the split.
      graph.edges = rewired.map((e) => (e.to === oldId ? { ...e, to: keepId } : e));
      redirectReferences(
        graph,
        oldId,
        keepId,
        domains.map((d) => d.nodeId),
      );

      await checkProposal("split", oldId, graph, [routerId, ...domains.map((d) => d.nodeId)]);
      return {
        strategy: "split",
        nodeId: oldId,
        graph,
        summary: `${oldId}: split into ${routerId} and ${domains.length} specialists (${domains.map((d) => d.nodeId).join(", ")})`,
      };
    },
  };
}

/** {@link createSplitStrategy} with its defaults: 2 to 4 specialists, clusters of 3 queries or more. */
export const splitStrategy: Strategy = createSplitStrategy();
