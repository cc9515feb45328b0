import { compileGraph, nodeInfoOf, TinyLLMError, type RunResult } from "@tinyllm/core";
import {
  adoptGraphVersion,
  analyzeNodes,
  clusterQueries,
  evaluateVersions,
  proposeChanges,
  readQueriesFile,
  splitEvaluationSet,
  type AdoptionDecision,
  type EvaluationItem,
  type EvaluationSplit,
  type EvaluationReport,
  type NodeAnalysis,
  type PairedOutcome,
  type Proposal,
  type QueryOutcome,
  type SkippedStrategy,
  type StrategyContext,
  type StrategyName,
  wilsonInterval,
} from "@tinyllm/expansion";
import { defaultVerdictStorePath, openVerdictStore } from "@tinyllm/grading";
import { existsSync } from "node:fs";
import path from "node:path";
import type { LoadedGraph, Runtime } from "../runtime";
import { readExpansionTarget, type ExpansionTarget } from "./expansion-target";

/** Options every expansion step takes. */
export interface ExpandGraphOptions {
  /** The graph file to expand. */
  graphFile: string;
  /** Where relative paths start. Default `process.cwd()`. */
  cwd?: string;
  /** The specialist node; default the worst candidate. */
  node?: string;
  /** The verdict store to analyse. Default `.tinyllm/verdicts.db` (or `TINYLLM_VERDICTS`). */
  verdictStore?: string;
  /** Held-out queries to add (one per line, or JSONL with `query` and `reference`). */
  queriesFile?: string;
  /** Strategies to try, in order. Default all, tool augmentation first. */
  strategies?: readonly StrategyName[];
  /** Fewest verdicts of a candidate. Default 10. */
  minEvaluations?: number;
  /** Lowest fail rate of a candidate. Default 0.4. */
  failRate?: number;
  /** Cooldown after an adopted change, in ms. Default 1 h. */
  cooldownMs?: number;
  /** Significance level of the paired test. Default 0.05. */
  alpha?: number;
  /** Smallest pass-rate rise adopted, 0 to 1. Default 0.1. */
  minEffect?: number;
  /** Largest relative latency rise accepted. Default 1 (+100%). */
  maxLatencyRise?: number;
  /** Largest relative token rise accepted. Default 1 (+100%). */
  maxTokensRise?: number;
  /** Share of the node's stored queries held out for judging. Default 0.5. */
  heldOutShare?: number;
  /** Most proposals evaluated, in order, before giving up. Default 2. */
  maxProposals?: number;
  /** Progress of long work, one line at a time. */
  onProgress?: (event: ExpandProgress) => void;
  abortSignal?: AbortSignal;
}

/** Progress of an expansion, as a tagged union. */
export type ExpandProgress =
  | { type: "analysis"; candidates: string[] }
  | { type: "proposals"; node: string; strategies: StrategyName[]; skipped: SkippedStrategy[] }
  | { type: "evaluating"; strategy: StrategyName; queries: number }
  | { type: "query"; strategy: StrategyName; done: number; total: number; last: PairedOutcome }
  | { type: "decision"; strategy: StrategyName; decision: AdoptionDecision };

/** What {@link analyzeGraph} found. */
export interface GraphAnalysis {
  file: string;
  graphId: string;
  sha256: string;
  verdictStore: string;
  /** Every specialist with verdicts, worst first. */
  nodes: NodeAnalysis[];
  /** The candidates among them, worst first. */
  candidates: string[];
  /** Per route: decided verdicts, the fail rate with its Wilson 95% interval, and latency. */
  routes: RouteAnalysis[];
}

/** What the verdict store says about one route of the graph. */
export interface RouteAnalysis {
  route: string;
  /** Decided verdicts. */
  evaluations: number;
  failures: number;
  failRate: number;
  failRateInterval: { low: number; high: number };
  latencyMs: { p50: number | null; p95: number | null };
}

/** One proposal's A/B evaluation. */
export interface ProposalEvaluation {
  strategy: StrategyName;
  summary: string;
  report: EvaluationReport;
}

/** What {@link autoExpand} did. */
export interface AutoExpandResult {
  /** Whether a new version was adopted (only with `adopt: true`). */
  adopted: boolean;
  /** Whether the evidence supports adopting (adoption itself needs `adopt: true`). */
  improvement: boolean;
  node?: string;
  strategy?: StrategyName;
  summary?: string;
  baseline?: { passRate: number; n: number };
  candidate?: { passRate: number; n: number };
  pValue?: number;
  /** The new version, when adopted. */
  version?: string;
  /** The version that was in force. */
  previousVersion?: string;
  /** Why nothing was adopted, when nothing was. */
  reason?: string;
  analysis: GraphAnalysis;
  skipped: SkippedStrategy[];
  evaluations: ProposalEvaluation[];
  /** Held-out queries judged, and the queries the strategies learned from. */
  heldOut: number;
  proposeSet: number;
}

const verdictStorePath = (cwd: string, file: string | undefined) => (file ? path.resolve(cwd, file) : defaultVerdictStorePath(cwd));

/**
 * Reads the verdict store for a graph's specialists: fail rates with Wilson intervals, failed
 * checks, causes, query clusters, and which nodes are candidates (with a reason per rule).
 *
 * @throws TinyLLMError `VERDICT_STORE_FAILED` when there is no verdict store yet (with how to get one),
 * `EXPANSION_INPUT_INVALID` for a node the graph does not have.
 */
export async function analyzeGraph(runtime: Runtime, options: ExpandGraphOptions): Promise<{ analysis: GraphAnalysis; target: ExpansionTarget }> {
  const cwd = options.cwd ?? process.cwd();
  const target = await readExpansionTarget(options.graphFile, cwd);
  const storeFile = verdictStorePath(cwd, options.verdictStore);
  if (!existsSync(storeFile))
    throw new TinyLLMError({
      code: "VERDICT_STORE_FAILED",
      message: `no verdict store at ${storeFile}`,
      hint: `verdicts are written when the graph's gate grades answers: run the graph first (tinyllm run --graph ${options.graphFile} "…"), or point --verdicts / TINYLLM_VERDICTS at the store`,
    });
  const store = openVerdictStore({ path: storeFile, readonly: true });
  try {
    const nodes = analyzeNodes(store, {
      graphId: target.graph.id,
      nodes: target.modelNodes,
      ...(options.node !== undefined ? { node: options.node } : {}),
      ...(options.minEvaluations !== undefined ? { minEvaluations: options.minEvaluations } : {}),
      ...(options.failRate !== undefined ? { failRate: options.failRate } : {}),
      ...(options.cooldownMs !== undefined ? { cooldownMs: options.cooldownMs } : {}),
      protectedNodes: target.protectedNodes,
      lastExpandedAtMs: target.lastAdoptedAtMs,
    });
    const candidates = nodes.filter((node) => node.candidate).map((node) => node.nodeId);
    const routes = store.stats({ groupBy: "route", graphId: target.graph.id }).map((group): RouteAnalysis => {
      const evaluations = group.total - group.undecided;
      const failures = evaluations - group.passed;
      return {
        route: group.key,
        evaluations,
        failures,
        failRate: evaluations === 0 ? 0 : failures / evaluations,
        failRateInterval: wilsonInterval(failures, evaluations),
        latencyMs: { p50: group.latencyMs.p50, p95: group.latencyMs.p95 },
      };
    });
    return { analysis: { file: target.file, graphId: target.graph.id, sha256: target.sha256, verdictStore: storeFile, nodes, candidates, routes }, target };
  } finally {
    store.close();
  }
}

/** The node's stored queries as evaluation items (distinct, with the gate's reference when it had one). */
function storedItems(analysis: NodeAnalysis): EvaluationItem[] {
  const items = new Map<string, EvaluationItem>();
  for (const example of [...analysis.failing, ...analysis.passing])
    if (!items.has(example.query))
      items.set(example.query, { query: example.query, ...(example.reference !== undefined ? { reference: example.reference } : {}), source: "verdicts" });
  return [...items.values()];
}

/** The analysis as strategies may see it: only the queries of the part for proposing. */
function restrictTo(analysis: NodeAnalysis, queries: ReadonlySet<string>): NodeAnalysis {
  const failing = analysis.failing.filter((example) => queries.has(example.query));
  const passing = analysis.passing.filter((example) => queries.has(example.query));
  return {
    ...analysis,
    failing,
    passing,
    clusters: clusterQueries(
      [...failing, ...passing].map((example) => example.query),
      { failed: new Set(failing.map((example) => example.query)) },
    ),
  };
}

/** Runs one graph version on one query for the A/B, without recording it as the graph's history. */
async function runOnce(runtime: Runtime, loaded: LoadedGraph, item: EvaluationItem, abortSignal: AbortSignal | undefined): Promise<QueryOutcome> {
  let last: { pass: boolean | null; decidedBy: string | null } | undefined;
  const started = performance.now();
  let result: RunResult;
  try {
    result = await runtime.run(item.query, {
      graph: loaded,
      record: false,
      source: "expand",
      ...(item.reference !== undefined ? { state: { reference: item.reference } } : {}),
      ...(abortSignal ? { abortSignal } : {}),
      onEvent: (event) => {
        const verdict = nodeInfoOf(event, "verdict");
        if (verdict) last = { pass: verdict.pass, decidedBy: verdict.decidedBy };
      },
    });
  } catch (error) {
    return { pass: null, latencyMs: performance.now() - started, tokens: 0, error: (error as Error).message };
  }
  let tokens = 0;
  for (const span of result.trace.spans) if (span.kind === "model" && span.tokens) tokens += (span.tokens.input ?? 0) + (span.tokens.output ?? 0);
  const answer = typeof result.output === "string" ? result.output : result.output === undefined ? "" : JSON.stringify(result.output);
  return {
    pass: result.status === "ok" || result.status === "failed" ? (last?.pass ?? null) : null,
    latencyMs: result.durationMs,
    tokens,
    answer: answer.slice(0, 500),
    ...(last?.decidedBy ? { decidedBy: last.decidedBy } : {}),
    ...(result.error ? { error: result.error.message } : {}),
  };
}

/** A bigger model (T3, else T2) for prompt refinement, when the backend has one. */
async function completer(runtime: Runtime): Promise<StrategyContext["complete"]> {
  const backend = await runtime.backend().catch(() => undefined);
  if (!backend) return undefined;
  return async ({ system, prompt, abortSignal }) => {
    let resolved;
    try {
      resolved = backend.resolveModel({ tier: "T3" });
    } catch {
      resolved = backend.resolveModel({ tier: "T2" });
    }
    const reply = await resolved.provider.chat({
      model: resolved.model,
      system,
      messages: [{ role: "user", content: prompt }],
      temperature: 0.7,
      maxTokens: 800,
      ...(abortSignal ? { abortSignal } : {}),
    });
    return reply.text;
  };
}

/** A node's proposals, ready to evaluate: what {@link proposeExpansion} returns. */
export interface PreparedExpansion {
  analysis: GraphAnalysis;
  target: ExpansionTarget;
  /** The node the proposals change. */
  node: string;
  /** Queries the strategies learned from, and the held-out ones both versions are judged on. */
  split: EvaluationSplit;
  proposals: Proposal[];
  skipped: SkippedStrategy[];
}

/** Why no proposal could be made (no candidate, no verdicts, no applicable strategy). */
export interface NothingToPropose {
  analysis: GraphAnalysis;
  node?: string;
  reason: string;
  skipped: SkippedStrategy[];
}

/**
 * Analyses the graph, picks the worst candidate (or checks `node`), splits its stored queries into
 * a part for proposing and a held-out part (plus `queriesFile`), and asks the strategies for
 * changes, showing them only the part for proposing.
 *
 * @throws TinyLLMError `NODE_NOT_EXPANDABLE` when `node` is protected or in its cooldown;
 * `EXPANSION_INPUT_INVALID` when there is nothing to judge on or the node does not exist.
 */
export async function proposeExpansion(runtime: Runtime, options: ExpandGraphOptions): Promise<PreparedExpansion | NothingToPropose> {
  const { analysis, target } = await analyzeGraph(runtime, options);
  options.onProgress?.({ type: "analysis", candidates: analysis.candidates });
  let nodeAnalysis: NodeAnalysis | undefined;
  if (options.node !== undefined) {
    nodeAnalysis = analysis.nodes.find((node) => node.nodeId === options.node);
    if (target.protectedNodes.has(options.node))
      throw new TinyLLMError({
        code: "NODE_NOT_EXPANDABLE",
        message: `node '${options.node}' is protected`,
        hint: "remove protected: true from it in the graph file to let expansion change it",
      });
    const last = target.lastAdoptedAtMs.get(options.node);
    const cooldownMs = options.cooldownMs ?? 3_600_000;
    if (last !== undefined && Date.now() - last < cooldownMs)
      throw new TinyLLMError({
        code: "NODE_NOT_EXPANDABLE",
        message: `node '${options.node}' is in its cooldown: a change was adopted ${Math.round((Date.now() - last) / 60_000)} min ago`,
        hint: `wait until the cooldown (${Math.round(cooldownMs / 60_000)} min) is over, so its new verdicts show whether the change worked, or pass --cooldown 0`,
      });
    if (!nodeAnalysis)
      return {
        analysis,
        node: options.node,
        skipped: [],
        reason: `node '${options.node}' has no decided verdicts yet: run the graph on queries that reach it first`,
      };
    if (!nodeAnalysis.candidate)
      return { analysis, node: options.node, skipped: [], reason: `node '${options.node}' is not a candidate: ${nodeAnalysis.reasons.join("; ")}` };
  } else {
    nodeAnalysis = analysis.nodes.find((node) => node.candidate);
    if (!nodeAnalysis)
      return {
        analysis,
        skipped: [],
        reason:
          analysis.nodes.length === 0
            ? `no verdicts of graph '${analysis.graphId}' in ${analysis.verdictStore}: run it on some queries first`
            : `no node is a candidate: ${analysis.nodes.map((node) => `${node.nodeId} (${node.reasons.join("; ")})`).join(", ")}`,
      };
  }
  const node = nodeAnalysis.nodeId;
  const extra = options.queriesFile ? await readQueriesFile(path.resolve(options.cwd ?? process.cwd(), options.queriesFile)) : [];
  const split = splitEvaluationSet(storedItems(nodeAnalysis), extra, { ...(options.heldOutShare !== undefined ? { heldOutShare: options.heldOutShare } : {}) });
  if (split.heldOut.length === 0)
    throw new TinyLLMError({
      code: "EXPANSION_INPUT_INVALID",
      message: `node '${node}' has no held-out query to judge a change on`,
      hint: "run the graph on more queries, or give held-out queries with --queries FILE",
    });
  const library = await runtime.prompts(target.file);
  const nodeDef = (target.graph.nodes as { id: string; config?: { prompt?: string } }[]).find((n) => n.id === node);
  const promptId = nodeDef?.config?.prompt ?? "";
  const prompt = library.get(promptId);
  const complete = await completer(runtime);
  const { proposals, skipped } = await proposeChanges(
    {
      graph: target.graph,
      nodeId: node,
      analysis: restrictTo(nodeAnalysis, new Set(split.propose.map((item) => item.query))),
      prompt: {
        id: promptId,
        ...(prompt?.system ? { system: prompt.system } : {}),
        examples: prompt?.examples ?? [],
        ...(prompt?.tier ? { tier: prompt.tier } : {}),
      },
      availableTools: runtime.tools.describe().map((tool) => tool.name),
      tiers: ["T0", "T1", "T2", "T3"],
      ...(complete ? { complete } : {}),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    },
    { ...(options.strategies ? { strategies: options.strategies } : {}) },
  );
  options.onProgress?.({ type: "proposals", node, strategies: proposals.map((p) => p.strategy), skipped });
  if (proposals.length === 0)
    return { analysis, node, skipped, reason: `no strategy applies to '${node}': ${skipped.map((s) => `${s.strategy}: ${s.reason}`).join("; ")}` };
  return { analysis, target, node, split, proposals, skipped };
}

/**
 * Runs the version in force and `proposal` on the same held-out queries through the real
 * executor and gate (runs not recorded as the graph's history), and decides with the paired test.
 *
 * @throws TinyLLMError `GRAPH_INVALID` when the proposal's graph does not load.
 */
export async function evaluateProposal(
  runtime: Runtime,
  options: Pick<ExpandGraphOptions, "alpha" | "minEffect" | "maxLatencyRise" | "maxTokensRise" | "onProgress" | "abortSignal"> & {
    graphFile: string;
    proposal: Proposal;
    heldOut: readonly EvaluationItem[];
  },
): Promise<EvaluationReport> {
  const registry = await runtime.registry(options.graphFile);
  const baseline = await runtime.loadGraph(options.graphFile);
  const compiled = await compileGraph(options.proposal.graph, { registry });
  if (!compiled.ok)
    throw new TinyLLMError({
      code: "GRAPH_INVALID",
      message: `the ${options.proposal.strategy} proposal's graph does not load: ${compiled.problems.map((p) => p.message).join("; ")}`,
      hint: "propose again against the graph as it is now",
    });
  const candidate: LoadedGraph = { graph: compiled.graph, warnings: compiled.warnings };
  const strategy = options.proposal.strategy;
  options.onProgress?.({ type: "evaluating", strategy, queries: options.heldOut.length });
  const report = await evaluateVersions({
    items: options.heldOut,
    runQuery: (version, item, { abortSignal }) => runOnce(runtime, version === "baseline" ? baseline : candidate, item, abortSignal),
    onProgress: ({ done, total, last }) => options.onProgress?.({ type: "query", strategy, done, total, last }),
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    ...(options.minEffect !== undefined ? { minEffect: options.minEffect } : {}),
    ...(options.maxLatencyRise !== undefined ? { maxLatencyRise: options.maxLatencyRise } : {}),
    ...(options.maxTokensRise !== undefined ? { maxTokensRise: options.maxTokensRise } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  options.onProgress?.({ type: "decision", strategy, decision: report.decision });
  return report;
}

/**
 * Adopts an evaluated proposal as the next version of the graph (minor bump), with its evidence,
 * replacing the file atomically. Refuses a proposal whose evaluation did not decide to adopt.
 *
 * @throws TinyLLMError `GRAPH_CHANGED_ON_DISK` when the file is no longer the one the proposal was
 * made against; `EXPANSION_INPUT_INVALID` when the evaluation did not support adopting.
 */
export async function adoptProposal(
  runtime: Runtime,
  options: { graphFile: string; proposal: Proposal; report: EvaluationReport; expectedSha256: string; heldOut: number },
): Promise<{ version: string; previousVersion: string }> {
  const { proposal, report } = options;
  if (!report.decision.adopt)
    throw new TinyLLMError({
      code: "EXPANSION_INPUT_INVALID",
      message: `the ${proposal.strategy} proposal for '${proposal.nodeId}' was not a significant improvement: ${report.decision.reasons.join("; ")}`,
      hint: "nothing was changed; try another strategy or more held-out queries (--queries)",
    });
  const adopted = await adoptGraphVersion(options.graphFile, proposal.graph as unknown as Record<string, unknown>, {
    expectedSha256: options.expectedSha256,
    registry: await runtime.registry(options.graphFile),
    evidence: {
      strategy: proposal.strategy,
      node: proposal.nodeId,
      summary: proposal.summary,
      baseline: { passRate: report.decision.baseline.passRate, n: report.decision.baseline.n },
      candidate: { passRate: report.decision.candidate.passRate, n: report.decision.candidate.n },
      pValue: report.decision.pValue,
      effect: report.decision.effect,
      heldOut: options.heldOut,
      date: new Date().toISOString(),
    },
  });
  return { version: adopted.version, previousVersion: adopted.previousVersion };
}

/**
 * Runs the whole loop on a graph file: analysis, proposals for the worst candidate (or `node`),
 * an A/B of each proposal in turn against the version in force on held-out queries, through the
 * real executor and gate, and, with `adopt: true`, adoption of the first significant improvement
 * as a new version of the graph (the file is replaced atomically; the old version stays in the
 * version store for `tinyllm graph rollback`).
 *
 * @throws TinyLLMError `NODE_NOT_EXPANDABLE` when `node` is protected or in its cooldown;
 * `GRAPH_CHANGED_ON_DISK` when the file changed while the evaluation ran; `EXPANSION_INPUT_INVALID`
 * when there is nothing to judge on.
 */
export async function autoExpand(runtime: Runtime, options: ExpandGraphOptions & { adopt?: boolean }): Promise<AutoExpandResult> {
  const prepared = await proposeExpansion(runtime, options);
  if (!("proposals" in prepared))
    return {
      analysis: prepared.analysis,
      skipped: prepared.skipped,
      evaluations: [],
      heldOut: 0,
      proposeSet: 0,
      adopted: false,
      improvement: false,
      ...(prepared.node ? { node: prepared.node } : {}),
      reason: prepared.reason,
    };
  const { analysis, target, node, split, proposals, skipped } = prepared;
  const base = { analysis, skipped, evaluations: [] as ProposalEvaluation[], heldOut: split.heldOut.length, proposeSet: split.propose.length };
  for (const proposal of proposals.slice(0, options.maxProposals ?? 2)) {
    const report = await evaluateProposal(runtime, { ...options, graphFile: target.file, proposal, heldOut: split.heldOut });
    base.evaluations.push({ strategy: proposal.strategy, summary: proposal.summary, report });
    if (!report.decision.adopt) continue;
    const summary = {
      node,
      strategy: proposal.strategy,
      summary: proposal.summary,
      baseline: { passRate: report.decision.baseline.passRate, n: report.decision.baseline.n },
      candidate: { passRate: report.decision.candidate.passRate, n: report.decision.candidate.n },
      pValue: report.decision.pValue,
    };
    if (!options.adopt)
      return {
        ...base,
        ...summary,
        adopted: false,
        improvement: true,
        reason: "a significant improvement was found; nothing was changed (adopt it with --yes)",
      };
    const adopted = await adoptProposal(runtime, { graphFile: target.file, proposal, report, expectedSha256: target.sha256, heldOut: split.heldOut.length });
    return { ...base, ...summary, adopted: true, improvement: true, ...adopted };
  }
  const first = base.evaluations[0];
  const best = first?.report.decision;
  return {
    ...base,
    adopted: false,
    improvement: false,
    node,
    ...(first ? { strategy: first.strategy } : {}),
    ...(best
      ? {
          baseline: { passRate: best.baseline.passRate, n: best.baseline.n },
          candidate: { passRate: best.candidate.passRate, n: best.candidate.n },
          pValue: best.pValue,
        }
      : {}),
    reason: `no proposal was a significant improvement: ${base.evaluations.map((e) => `${e.strategy} (${e.report.decision.reasons.join("; ")})`).join(", ")}`,
  };
}
