// Test-only helpers of the strategy tests: NodeAnalysis fixtures, a strategy context on a real
// graph, and core's whole check with the real node kinds. Not exported by the package.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { builtinNodeKinds, createNodeRegistry, formatGraphProblem, loadGraph, type GraphInput, type ModelResolver, type NodeRegistry } from "@tinyllm/core";
import { createGateKind, loadRubrics } from "@tinyllm/grading";
import { createMemoryKind } from "@tinyllm/memory";
import { createModelKind, createRouterKind, loadPrompts, type PromptLibrary } from "@tinyllm/models";
import { findRepoRoot } from "@tinyllm/models/testing";
import {
  calculator,
  createCodeExecutor,
  createCodeExecutorTool,
  createPythonExecutor,
  createPythonExecutorTool,
  createToolKind,
  createToolRegistry,
} from "@tinyllm/tools";
import { parse, stringify } from "yaml";
import { FAILURE_CAUSES, type FailureCause } from "../analysis/failure-cause";
import type { AnswerExample, NodeAnalysis, QueryCluster } from "../analysis/node-analysis";
import type { Proposal, StrategyContext } from "./strategy";

/** The repository root (graphs, prompts and rubrics live there). @internal */
export const REPO = findRepoRoot({ from: import.meta.dirname }) ?? process.cwd();

let prompts: Promise<PromptLibrary> | undefined;

/** The repository's prompt library. @internal */
export function repoPrompts(): Promise<PromptLibrary> {
  prompts ??= loadPrompts({ dir: join(REPO, "prompts") });
  return prompts;
}

let graphText: Promise<string> | undefined;

/** A fresh copy of `graphs/multi_domain.yaml`, as its file parses. @internal */
export async function multiDomainGraph(): Promise<GraphInput> {
  graphText ??= readFile(join(REPO, "graphs", "multi_domain.yaml"), "utf8");
  return parse(await graphText) as GraphInput;
}

/** Freezes a value and everything in it, so a test fails if a strategy changes its input. @internal */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

let verdictId = 0;

/** One graded answer; a failure unless `pass` is given. @internal */
export function answer(query: string, fields: Partial<AnswerExample> = {}): AnswerExample {
  verdictId += 1;
  return { query, failedChecks: [], pass: false, verdictId, createdAtMs: 1_767_225_600_000 + verdictId, ...fields };
}

/** A cluster of queries; its label and keywords from the first words given. @internal */
export function cluster(label: string, keywords: string[], queries: string[], failures = 0): QueryCluster {
  return { label, keywords, queries, failures };
}

/**
 * A NodeAnalysis from its failing and passing answers: counts, fail rate, failed checks and
 * causes are worked out from them unless given. @internal
 */
export function nodeAnalysis(
  nodeId: string,
  fields: Partial<Omit<NodeAnalysis, "causes">> & { causes?: Partial<Record<FailureCause, number>> } = {},
): NodeAnalysis {
  const failing = fields.failing ?? [];
  const passing = fields.passing ?? [];
  const evaluations = failing.length + passing.length;
  const counts = new Map<string, number>();
  for (const example of failing) for (const check of example.failedChecks) counts.set(check, (counts.get(check) ?? 0) + 1);
  const causes = Object.fromEntries(FAILURE_CAUSES.map((c) => [c, 0])) as Record<FailureCause, number>;
  Object.assign(causes, fields.causes);
  const topCause = FAILURE_CAUSES.filter((c) => causes[c] > 0).sort((a, b) => causes[b] - causes[a])[0];
  const failRate = evaluations === 0 ? 0 : failing.length / evaluations;
  return {
    nodeId,
    routes: [nodeId],
    evaluations,
    failures: failing.length,
    failRate,
    failRateInterval: { low: Math.max(0, failRate - 0.2), high: Math.min(1, failRate + 0.2) },
    failedChecks: [...counts].map(([check, count]) => ({ check, count })).sort((a, b) => b.count - a.count),
    ...(topCause ? { topCause } : {}),
    clusters: [],
    latencyMs: { mean: 120, p95: 300 },
    tokens: { meanInput: 80, meanOutput: 40 },
    candidate: failRate >= 0.4 && evaluations >= 10,
    reasons: [],
    ...fields,
    causes,
    failing,
    passing,
  };
}

/** A strategy context for `nodeId` of `graph`, with its prompt from the repository's library. @internal */
export async function strategyContext(
  graph: GraphInput,
  nodeId: string,
  analysis: NodeAnalysis,
  extra: Partial<StrategyContext> = {},
): Promise<StrategyContext> {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const promptId = (node?.config as { prompt?: string } | undefined)?.prompt ?? nodeId;
  const prompt = (await repoPrompts()).get(promptId);
  return {
    graph,
    nodeId,
    analysis,
    prompt: { id: promptId, system: prompt?.system ?? "", examples: prompt?.examples ?? [], ...(prompt?.tier ? { tier: prompt.tier } : {}) },
    availableTools: ["calculator", "run_python", "run_javascript", "search"],
    tiers: ["T0", "T1", "T2", "T3"],
    ...extra,
  };
}

const noModel: ModelResolver = () => {
  throw new Error("no model in this test");
};

/**
 * A registry with the real node kinds, as the runtime builds it: core's built-ins, the router,
 * the model kind (the repository's prompts, the calculator and the code sandboxes as tools), the
 * memory kind (no store), the tool kind and the gate (the repository's rubrics). The sandboxes
 * start only when code runs, which validation never does. @internal
 */
export async function realRegistry({
  resolveModel = noModel,
  routerModel,
}: { resolveModel?: ModelResolver; routerModel?: ModelResolver } = {}): Promise<NodeRegistry> {
  const [library, rubrics] = await Promise.all([repoPrompts(), loadRubrics({ dir: join(REPO, "rubrics") })]);
  const tools = createToolRegistry([calculator, createCodeExecutorTool(createCodeExecutor()), createPythonExecutorTool(createPythonExecutor())]);
  return createNodeRegistry([
    ...builtinNodeKinds,
    createRouterKind(routerModel ? { resolveModel: routerModel } : {}),
    createModelKind({ resolveModel, prompts: library, tools }),
    createMemoryKind({ store: () => undefined }),
    createToolKind({ tools }),
    createGateKind({ rubrics }),
  ]);
}

/**
 * Loads a proposal's graph as `tinyllm graph validate` would (its YAML text through core's
 * `loadGraph` with the real node kinds), and throws with every problem when it is invalid.
 * @internal
 */
export async function loadProposal(proposal: Pick<Proposal, "graph">, registry?: NodeRegistry) {
  const loaded = await loadGraph(stringify(proposal.graph), { registry: registry ?? (await realRegistry()), file: "proposal.yaml" });
  if (!loaded.ok) throw new Error(`the proposed graph is invalid:\n${loaded.problems.map((p) => formatGraphProblem(p)).join("\n")}`);
  return loaded.graph;
}
