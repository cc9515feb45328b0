import type { GraphInput, NodeInput, TinyLLMError } from "@tinyllm/core";
import { ModelNodeConfigSchema, RouterConfigSchema, routerConfigProblems } from "@tinyllm/models";
import { stringify } from "yaml";
import { expansionError } from "../expansion-error";
import { checkGraphText } from "../versions/check-graph-text";
import type { StrategyContext, StrategyName } from "./strategy";

/** A `model` node's config as written in the graph file (before defaults). @internal */
export type ModelConfigInput = Record<string, unknown> & {
  prompt?: string;
  system?: string;
  examples?: { user: string; assistant: string }[];
  tier?: string;
  model?: string;
  tools?: string[];
  optionalTools?: string[];
};

/** The node `nodeId` of `graph` when it is a `model` node, or why it is not one. @internal */
export function modelNodeOf(graph: GraphInput, nodeId: string): { ok: true; node: NodeInput; config: ModelConfigInput } | { ok: false; reason: string } {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, reason: `node '${nodeId}' is not in graph '${graph.id}'` };
  if (node.kind !== "model") return { ok: false, reason: `node '${nodeId}' is a '${node.kind}' node; strategies change 'model' nodes` };
  const config = node.config;
  if (config !== undefined && (config === null || typeof config !== "object" || Array.isArray(config)))
    return { ok: false, reason: `node '${nodeId}' has a config that is not a mapping` };
  return { ok: true, node, config: (config ?? {}) as ModelConfigInput };
}

/**
 * A deep copy of the context's graph and its node to change, for a strategy to edit: the input
 * is never changed. Throws `EXPANSION_INPUT_INVALID` when the node is not a `model` node of the
 * graph. @internal
 */
export function copyForEdit(context: StrategyContext): { graph: GraphInput; node: NodeInput; config: ModelConfigInput } {
  const graph = structuredClone(context.graph);
  const found = modelNodeOf(graph, context.nodeId);
  if (!found.ok) throw expansionError("EXPANSION_INPUT_INVALID", found.reason, `name a model node: ${modelNodeIds(context.graph).join(", ") || "(none)"}`);
  const config = { ...found.config };
  found.node.config = config;
  return { graph, node: found.node, config };
}

/** Ids of the graph's `model` nodes. @internal */
export function modelNodeIds(graph: GraphInput): string[] {
  return graph.nodes.filter((n) => n.kind === "model").map((n) => n.id);
}

/** The tools a model node lists, required and optional. @internal */
export function toolsOf(config: ModelConfigInput): string[] {
  return [...(config.tools ?? []), ...(config.optionalTools ?? [])];
}

/** The tier a model node runs on: its config's, else its prompt's, else `T1` (as the model kind resolves it). @internal */
export function tierOf(config: ModelConfigInput, context: Pick<StrategyContext, "prompt">): string {
  return config.tier ?? context.prompt.tier ?? "T1";
}

/** A `STRATEGY_FAILED` error of one strategy. @internal */
export function strategyFailed(strategy: StrategyName, nodeId: string, message: string, hint: string, cause?: unknown): TinyLLMError {
  return expansionError("STRATEGY_FAILED", `${strategy} on '${nodeId}': ${message}`, hint, cause);
}

/**
 * The error `propose` throws when its strategy does not apply: `EXPANSION_INPUT_INVALID` when
 * the node is not a model node of the graph, else `STRATEGY_FAILED` with the reason. @internal
 */
export function notApplicable(strategy: StrategyName, context: StrategyContext, reason: string): TinyLLMError {
  const node = modelNodeOf(context.graph, context.nodeId);
  if (!node.ok) return expansionError("EXPANSION_INPUT_INVALID", node.reason, `name a model node: ${modelNodeIds(context.graph).join(", ") || "(none)"}`);
  return strategyFailed(strategy, context.nodeId, reason, "pick another strategy for this node (`applicable` says which apply)");
}

/**
 * Checks a proposed graph before it is handed out: its structure (core's schemas, unique ids,
 * edges, entry and exits naming nodes that exist), the config of every node listed in `changed`
 * against its kind's schema (`model` and `router` nodes). Throws `STRATEGY_FAILED` with the
 * problems. The whole check, with every kind's own rules, is the adoption's. @internal
 */
export async function checkProposal(strategy: StrategyName, nodeId: string, graph: GraphInput, changed: readonly string[]): Promise<void> {
  const problems: string[] = [];
  for (const id of changed) {
    const node = graph.nodes.find((n) => n.id === id);
    if (node?.kind === "model") {
      const parsed = ModelNodeConfigSchema.safeParse(node.config);
      if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`node '${id}' config.${issue.path.join(".")}: ${issue.message}`);
    } else if (node?.kind === "router") {
      const parsed = RouterConfigSchema.safeParse(node.config);
      if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`node '${id}' config.${issue.path.join(".")}: ${issue.message}`);
      else for (const problem of routerConfigProblems(parsed.data)) problems.push(`node '${id}' config.${problem.path.join(".")}: ${problem.message}`);
    }
  }
  if (problems.length === 0) {
    const found = await checkGraphText(stringify(graph), { file: `<${strategy} proposal>` });
    problems.push(...found.map((p) => p.message));
  }
  if (problems.length > 0)
    throw strategyFailed(
      strategy,
      nodeId,
      `the new graph is invalid: ${problems.slice(0, 5).join("; ")}`,
      "report this as a bug of the strategy, with the node's analysis",
    );
}
