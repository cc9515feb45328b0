import type { VerdictRecord, VerdictStore } from "@tinyllm/grading";
import { wilsonInterval } from "../decision/wilson-interval";
import { expansionError } from "../expansion-error";
import { causeOfFailure, type StoredCheck } from "./cause-of-failure";
import { clusterQueries } from "./cluster-queries";
import { FAILURE_CAUSES, type FailureCause } from "./failure-cause";
import type { AnswerExample, NodeAnalysis } from "./node-analysis";

/** Options of {@link analyzeNodes}. */
export interface AnalyzeNodesOptions {
  /** Only verdicts of runs of this graph id. */
  graphId?: string;
  /** Only this specialist node. */
  node?: string;
  /** Only verdicts from this time on (ms since the epoch). */
  sinceMs?: number;
  /**
   * The nodes that can be expanded (the graph's `model` nodes). Verdicts of other nodes are left
   * out, and a `node` not among them is an error naming them.
   */
  nodes?: readonly string[];
  /** Fewest decided verdicts before a node can be a candidate. Default 10. */
  minEvaluations?: number;
  /** Lowest fail rate of a candidate, 0 to 1. Default 0.4. */
  failRate?: number;
  /** Time after an adopted change during which the node is left alone, in ms. Default 1 h. */
  cooldownMs?: number;
  /** Nodes never expanded (`protected: true` in the graph). */
  protectedNodes?: ReadonlySet<string>;
  /** When each node last had a change adopted (from the version store). */
  lastExpandedAtMs?: ReadonlyMap<string, number>;
  /** Now, in ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
  /** Most failed and passed examples kept per node. Default 50 each. */
  maxExamples?: number;
  /** Most distinct queries (the newest) grouped into clusters per node. Default 500. */
  maxClusterQueries?: number;
}

const p95 = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
};
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

function checksOf(record: VerdictRecord): StoredCheck[] {
  return Array.isArray(record.checks) ? (record.checks as StoredCheck[]).filter((check) => check !== null && typeof check === "object") : [];
}

/** The gate's reference, when a check compared against one (`math.reference` keeps `expected`). */
function referenceOf(checks: readonly StoredCheck[]): string | undefined {
  const reference = checks.find((check) => check.name === "math.reference" && check.details && check.details.expected !== undefined);
  return reference ? String(reference.details!.expected) : undefined;
}

/**
 * What the verdict store says about each specialist node (the node that wrote the answers):
 * evaluations, the fail rate with its Wilson 95% interval, which checks failed, why (in the
 * {@link FailureCause} vocabulary), the queries grouped by wording, latency and tokens, and
 * whether the node is a candidate for expansion now, with a reason per rule. Undecided verdicts
 * are not counted. Nodes come out worst first (highest fail rate, then most evaluations).
 *
 * @throws TinyLLMError `EXPANSION_INPUT_INVALID` when `node` is not one of `nodes`.
 */
export function analyzeNodes(store: Pick<VerdictStore, "each" | "get">, options: AnalyzeNodesOptions = {}): NodeAnalysis[] {
  const {
    minEvaluations = 10,
    failRate: failRateAt = 0.4,
    cooldownMs = 3_600_000,
    protectedNodes = new Set<string>(),
    lastExpandedAtMs = new Map<string, number>(),
    nowMs = Date.now(),
    maxExamples = 50,
    maxClusterQueries = 500,
  } = options;
  if (options.node !== undefined && options.nodes && !options.nodes.includes(options.node))
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      `the graph has no model node '${options.node}'`,
      options.nodes.length > 0 ? `nodes that can be expanded: ${options.nodes.join(", ")}` : "the graph has no model node to expand",
    );
  const allowed = options.nodes ? new Set(options.nodes) : undefined;
  /** What is kept per node while the verdicts stream by: totals, and capped examples and queries. */
  interface Tally {
    evaluations: number;
    failures: number;
    routeCounts: Map<string, number>;
    checkCounts: Map<string, number>;
    causes: Record<FailureCause, number>;
    failing: AnswerExample[];
    passing: AnswerExample[];
    latencies: number[];
    inputTokens: number;
    outputTokens: number;
    /** The newest distinct queries, for clustering. */
    queries: Set<string>;
    failedQueries: Set<string>;
  }
  const tallies = new Map<string, Tally>();
  store.each(
    {
      ...(options.graphId !== undefined ? { graphId: options.graphId } : {}),
      ...(options.node !== undefined ? { answeredBy: options.node } : {}),
      ...(options.sinceMs !== undefined ? { sinceMs: options.sinceMs } : {}),
    },
    (record) => {
      const nodeId = record.answeredBy;
      if (!nodeId || record.pass === null || (allowed && !allowed.has(nodeId))) return;
      let tally = tallies.get(nodeId);
      if (!tally)
        tallies.set(
          nodeId,
          (tally = {
            evaluations: 0,
            failures: 0,
            routeCounts: new Map(),
            checkCounts: new Map(),
            causes: Object.fromEntries(FAILURE_CAUSES.map((cause) => [cause, 0])) as Record<FailureCause, number>,
            failing: [],
            passing: [],
            latencies: [],
            inputTokens: 0,
            outputTokens: 0,
            queries: new Set(),
            failedQueries: new Set(),
          }),
        );
      tally.evaluations++;
      tally.latencies.push(record.latencyMs ?? 0);
      tally.inputTokens += record.inputTokens ?? 0;
      tally.outputTokens += record.outputTokens ?? 0;
      if (record.route) tally.routeCounts.set(record.route, (tally.routeCounts.get(record.route) ?? 0) + 1);
      if (tally.queries.size < maxClusterQueries) tally.queries.add(record.query);
      const keep = record.pass ? tally.passing.length < maxExamples : tally.failing.length < maxExamples;
      if (record.pass && !keep) return;
      const checks = checksOf(record);
      const failedChecks = checks.filter((check) => check.outcome === "fail" && typeof check.name === "string").map((check) => check.name!);
      if (keep) {
        const reference = referenceOf(checks);
        (record.pass ? tally.passing : tally.failing).push({
          query: record.query,
          ...(reference !== undefined ? { reference } : {}),
          ...(record.feedback ? { feedback: record.feedback } : {}),
          failedChecks,
          ...(record.route ? { route: record.route } : {}),
          pass: record.pass === true,
          verdictId: record.id,
          createdAtMs: record.createdAtMs,
        });
      }
      if (record.pass) return;
      tally.failures++;
      if (tally.queries.has(record.query)) tally.failedQueries.add(record.query);
      for (const name of failedChecks.length > 0 ? failedChecks : [record.decidedBy]) tally.checkCounts.set(name, (tally.checkCounts.get(name) ?? 0) + 1);
      tally.causes[
        causeOfFailure({
          decidedBy: record.decidedBy,
          checks,
          ...(record.scores ? { scores: record.scores } : {}),
          ...(record.feedback ? { feedback: record.feedback } : {}),
        })
      ]++;
    },
    { answers: false },
  );
  // Answers are read for the kept examples only.
  for (const tally of tallies.values())
    for (const example of [...tally.failing, ...tally.passing]) {
      const answer = store.get(example.verdictId)?.answer;
      if (answer !== undefined) example.answer = answer;
    }
  const analyses: NodeAnalysis[] = [];
  for (const [nodeId, tally] of tallies) {
    const { routeCounts, checkCounts, causes, failing, passing, failures } = tally;
    const evaluations = tally.evaluations;
    const failRate = evaluations === 0 ? 0 : failures / evaluations;
    const topCause = failures === 0 ? undefined : FAILURE_CAUSES.reduce((best, cause) => (causes[cause] > causes[best] ? cause : best), FAILURE_CAUSES[0]!);
    const last = lastExpandedAtMs.get(nodeId);
    const reasons: string[] = [];
    const enough = evaluations >= minEvaluations;
    reasons.push(`${evaluations} evaluation${evaluations === 1 ? "" : "s"} (${enough ? "at least" : "fewer than"} ${minEvaluations})`);
    const failing40 = failRate >= failRateAt;
    reasons.push(`fail rate ${(failRate * 100).toFixed(1)}% (${failing40 ? "at least" : "under"} ${(failRateAt * 100).toFixed(0)}%)`);
    const cooling = last !== undefined && nowMs - last < cooldownMs;
    reasons.push(
      last === undefined
        ? "never expanded"
        : cooling
          ? `in its cooldown: a change was adopted ${Math.round((nowMs - last) / 60_000)} min ago (cooldown ${Math.round(cooldownMs / 60_000)} min)`
          : `out of its cooldown (last change ${Math.round((nowMs - last) / 60_000)} min ago)`,
    );
    const isProtected = protectedNodes.has(nodeId);
    if (isProtected) reasons.push("protected: the graph marks it protected: true");
    analyses.push({
      nodeId,
      routes: [...routeCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([route]) => route),
      evaluations,
      failures,
      failRate,
      failRateInterval: wilsonInterval(failures, evaluations),
      failedChecks: [...checkCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([check, count]) => ({ check, count })),
      causes,
      ...(topCause ? { topCause } : {}),
      clusters: clusterQueries([...tally.queries], { failed: tally.failedQueries }),
      latencyMs: { mean: mean(tally.latencies), p95: p95(tally.latencies) },
      tokens: { meanInput: evaluations === 0 ? 0 : tally.inputTokens / evaluations, meanOutput: evaluations === 0 ? 0 : tally.outputTokens / evaluations },
      ...(last !== undefined ? { lastExpandedAtMs: last } : {}),
      candidate: enough && failing40 && !cooling && !isProtected,
      reasons,
      failing,
      passing,
    });
  }
  return analyses.sort((a, b) => b.failRate - a.failRate || b.evaluations - a.evaluations || a.nodeId.localeCompare(b.nodeId));
}
