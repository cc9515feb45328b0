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
export function analyzeNodes(store: Pick<VerdictStore, "list">, options: AnalyzeNodesOptions = {}): NodeAnalysis[] {
  const {
    minEvaluations = 10,
    failRate: failRateAt = 0.4,
    cooldownMs = 3_600_000,
    protectedNodes = new Set<string>(),
    lastExpandedAtMs = new Map<string, number>(),
    nowMs = Date.now(),
    maxExamples = 50,
  } = options;
  if (options.node !== undefined && options.nodes && !options.nodes.includes(options.node))
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      `the graph has no model node '${options.node}'`,
      options.nodes.length > 0 ? `nodes that can be expanded: ${options.nodes.join(", ")}` : "the graph has no model node to expand",
    );
  const records = store.list({
    ...(options.graphId !== undefined ? { graphId: options.graphId } : {}),
    ...(options.node !== undefined ? { answeredBy: options.node } : {}),
    ...(options.sinceMs !== undefined ? { sinceMs: options.sinceMs } : {}),
  });
  const allowed = options.nodes ? new Set(options.nodes) : undefined;
  const byNode = new Map<string, VerdictRecord[]>();
  for (const record of records) {
    const node = record.answeredBy;
    if (!node || record.pass === null || (allowed && !allowed.has(node))) continue;
    let list = byNode.get(node);
    if (!list) byNode.set(node, (list = []));
    list.push(record);
  }
  const analyses: NodeAnalysis[] = [];
  for (const [nodeId, list] of byNode) {
    const routeCounts = new Map<string, number>();
    const checkCounts = new Map<string, number>();
    const causes = Object.fromEntries(FAILURE_CAUSES.map((cause) => [cause, 0])) as Record<FailureCause, number>;
    const failing: AnswerExample[] = [];
    const passing: AnswerExample[] = [];
    const failedQueries = new Set<string>();
    let failures = 0;
    for (const record of list) {
      if (record.route) routeCounts.set(record.route, (routeCounts.get(record.route) ?? 0) + 1);
      const checks = checksOf(record);
      const failedChecks = checks.filter((check) => check.outcome === "fail" && typeof check.name === "string").map((check) => check.name!);
      const reference = referenceOf(checks);
      const example: AnswerExample = {
        query: record.query,
        ...(record.answer !== undefined ? { answer: record.answer } : {}),
        ...(reference !== undefined ? { reference } : {}),
        ...(record.feedback ? { feedback: record.feedback } : {}),
        failedChecks,
        ...(record.route ? { route: record.route } : {}),
        pass: record.pass === true,
        verdictId: record.id,
        createdAtMs: record.createdAtMs,
      };
      if (record.pass) {
        if (passing.length < maxExamples) passing.push(example);
        continue;
      }
      failures++;
      failedQueries.add(record.query);
      for (const name of failedChecks.length > 0 ? failedChecks : [record.decidedBy]) checkCounts.set(name, (checkCounts.get(name) ?? 0) + 1);
      causes[
        causeOfFailure({
          decidedBy: record.decidedBy,
          checks,
          ...(record.scores ? { scores: record.scores } : {}),
          ...(record.feedback ? { feedback: record.feedback } : {}),
        })
      ]++;
      if (failing.length < maxExamples) failing.push(example);
    }
    const evaluations = list.length;
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
      clusters: clusterQueries(
        list.map((record) => record.query),
        { failed: failedQueries },
      ),
      latencyMs: { mean: mean(list.map((r) => r.latencyMs ?? 0)), p95: p95(list.map((r) => r.latencyMs ?? 0)) },
      tokens: { meanInput: mean(list.map((r) => r.inputTokens ?? 0)), meanOutput: mean(list.map((r) => r.outputTokens ?? 0)) },
      ...(last !== undefined ? { lastExpandedAtMs: last } : {}),
      candidate: enough && failing40 && !cooling && !isProtected,
      reasons,
      failing,
      passing,
    });
  }
  return analyses.sort((a, b) => b.failRate - a.failRate || b.evaluations - a.evaluations || a.nodeId.localeCompare(b.nodeId));
}
