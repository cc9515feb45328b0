import { wilsonInterval } from "../decision/wilson-interval";
import { expansionError } from "../expansion-error";
import { candidacy } from "./candidacy";
import { causeOfFailure, type StoredCheck } from "./cause-of-failure";
import { clusterQueries } from "./cluster-queries";
import { FAILURE_CAUSES, type FailureCause } from "./failure-cause";
import type { AnswerExample, NodeAnalysis } from "./node-analysis";
import { openVerdictSource, type AnalysisRow, type VerdictStoreLike } from "./verdict-source";

/** Options of {@link analyzeNodes}. */
export interface AnalyzeNodesOptions {
  /** Only verdicts of runs of this graph id. */
  graphId?: string;
  /** Only this specialist node (the verdicts' `answeredBy`). */
  node?: string;
  /** Only verdicts of this route. */
  route?: string;
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
  /** When each node last had a change adopted (from the version store, e.g. `lastAdoptedAtMs`). */
  lastExpandedAtMs?: ReadonlyMap<string, number>;
  /** Now, in ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
  /** Most failed and passed examples kept per node. Default 50 each. */
  maxExamples?: number;
  /** Most distinct queries (the newest) grouped into clusters per node. Default 500. */
  maxClusterQueries?: number;
}

/** What is kept per node while the verdicts go by: totals, and capped examples and queries. */
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

const newTally = (): Tally => ({
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
});

const p95 = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
};
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const byCount = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/** Stored checks, from parsed JSON or its text; anything else is no checks. */
function checksOf(value: unknown): StoredCheck[] {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return Array.isArray(parsed) ? (parsed as unknown[]).filter((check): check is StoredCheck => check !== null && typeof check === "object") : [];
}

/** Judge scores by dimension, from parsed JSON or its text. */
function scoresOf(value: unknown): Record<string, number> | undefined {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const scores = Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === "number");
  return scores.length > 0 ? Object.fromEntries(scores) : undefined;
}

const failedNames = (checks: readonly StoredCheck[]) =>
  checks.filter((check) => check.outcome === "fail" && typeof check.name === "string").map((check) => check.name!);

/** The gate's reference, when a check compared against one (`math.reference` keeps `expected`). */
function referenceOf(checks: readonly StoredCheck[]): string | undefined {
  const reference = checks.find((check) => check.name === "math.reference" && check.details && check.details.expected !== undefined);
  return reference ? String(reference.details!.expected) : undefined;
}

/** Adds one verdict to its node's tally, keeping it as an example while there is room. */
function add(tally: Tally, row: AnalysisRow, maxExamples: number, maxClusterQueries: number): void {
  tally.evaluations++;
  tally.latencies.push(row.latencyMs ?? 0);
  tally.inputTokens += row.inputTokens ?? 0;
  tally.outputTokens += row.outputTokens ?? 0;
  if (row.route) tally.routeCounts.set(row.route, (tally.routeCounts.get(row.route) ?? 0) + 1);
  if (tally.queries.size < maxClusterQueries) tally.queries.add(row.query);
  if (row.pass) {
    // Passed examples get their checks (for the reference) and answer read afterwards, by id.
    if (tally.passing.length < maxExamples)
      tally.passing.push({
        query: row.query,
        failedChecks: [],
        ...(row.route ? { route: row.route } : {}),
        pass: true,
        verdictId: row.id,
        createdAtMs: row.createdAtMs,
      });
    return;
  }
  tally.failures++;
  if (tally.queries.has(row.query)) tally.failedQueries.add(row.query);
  const checks = checksOf(row.checks);
  const failed = failedNames(checks);
  const decidedBy = row.decidedBy ?? "unknown";
  for (const name of failed.length > 0 ? failed : [decidedBy]) tally.checkCounts.set(name, (tally.checkCounts.get(name) ?? 0) + 1);
  // Only a judge's failure is read by its scores.
  const scores = (failed.length > 0 ? failed : [decidedBy]).some((name) => name.startsWith("judge")) ? scoresOf(row.scores) : undefined;
  tally.causes[causeOfFailure({ decidedBy, checks, ...(scores ? { scores } : {}), ...(row.feedback ? { feedback: row.feedback } : {}) })]++;
  if (tally.failing.length < maxExamples) {
    const reference = referenceOf(checks);
    tally.failing.push({
      query: row.query,
      ...(reference !== undefined ? { reference } : {}),
      ...(row.feedback ? { feedback: row.feedback } : {}),
      failedChecks: failed,
      ...(row.route ? { route: row.route } : {}),
      pass: false,
      verdictId: row.id,
      createdAtMs: row.createdAtMs,
    });
  }
}

/**
 * What the verdict store says about each specialist node (the node that wrote the answers, the
 * verdicts' `answeredBy`): evaluations, the fail rate with its Wilson 95% interval, which checks
 * failed, why (in the {@link FailureCause} vocabulary, see {@link causeOfFailure}), the queries
 * grouped by wording ({@link clusterQueries}), latency and tokens, and whether the node is a
 * candidate for expansion now, with a reason per rule. Undecided verdicts are not counted. Nodes
 * come out worst first (highest fail rate, then most evaluations).
 *
 * `store` is a verdict store file, or an open {@link VerdictStore}. A file is read directly with a
 * lean read-only query (the columns analysis uses, JSON parsed for failed verdicts only): 100,000
 * verdicts take a few hundred ms. A store in memory is read through its own methods.
 *
 * @throws TinyLLMError `EXPANSION_INPUT_INVALID` when `node` is not one of `nodes` (or, without
 * `nodes`, has no verdicts), naming the nodes there are; when the file does not exist (saying how
 * verdicts get there) or is not a verdict store.
 * @example
 * ```ts
 * const [worst] = analyzeNodes(".tinyllm/verdicts.db", { graphId: "calc" });
 * if (worst?.candidate) console.log(worst.nodeId, worst.failRate, worst.topCause);
 * ```
 */
export function analyzeNodes(store: string | VerdictStoreLike, options: AnalyzeNodesOptions = {}): NodeAnalysis[] {
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
  const source = openVerdictSource(store);
  const tallies = new Map<string, Tally>();
  try {
    source.scan(
      {
        ...(options.graphId !== undefined ? { graphId: options.graphId } : {}),
        ...(options.node !== undefined ? { answeredBy: options.node } : {}),
        ...(options.route !== undefined ? { route: options.route } : {}),
        ...(options.sinceMs !== undefined ? { sinceMs: options.sinceMs } : {}),
      },
      (row) => {
        if (allowed && !allowed.has(row.answeredBy)) return;
        let tally = tallies.get(row.answeredBy);
        if (!tally) tallies.set(row.answeredBy, (tally = newTally()));
        add(tally, row, maxExamples, maxClusterQueries);
      },
    );
    if (options.node !== undefined && !options.nodes && tallies.size === 0) {
      const known = source.nodes(options.graphId);
      if (!known.includes(options.node))
        throw expansionError(
          "EXPANSION_INPUT_INVALID",
          `no verdicts of node '${options.node}'${options.graphId !== undefined ? ` in graph '${options.graphId}'` : ""}`,
          known.length > 0 ? `nodes with verdicts: ${known.join(", ")}` : "the store has no verdicts of any specialist yet: run the graph first",
        );
    }
    // Answers, and the checks and feedback of passed examples, are read for the kept examples only.
    const kept = [...tallies.values()].flatMap((tally) => [...tally.failing, ...tally.passing]);
    const details = source.details(kept.map((example) => example.verdictId));
    for (const example of kept) {
      const detail = details.get(example.verdictId);
      if (!detail) continue;
      if (detail.answer !== undefined) example.answer = detail.answer;
      if (example.pass) {
        const reference = referenceOf(checksOf(detail.checks));
        if (reference !== undefined) example.reference = reference;
        if (detail.feedback) example.feedback = detail.feedback;
      }
    }
  } finally {
    source.close();
  }
  const analyses: NodeAnalysis[] = [];
  for (const [nodeId, tally] of tallies) {
    const { evaluations, failures, causes } = tally;
    const failRate = evaluations === 0 ? 0 : failures / evaluations;
    const topCause = failures === 0 ? undefined : FAILURE_CAUSES.reduce((best, cause) => (causes[cause] > causes[best] ? cause : best), FAILURE_CAUSES[0]!);
    const last = lastExpandedAtMs.get(nodeId);
    const { candidate, reasons } = candidacy({
      evaluations,
      failRate,
      lastExpandedAtMs: last,
      isProtected: protectedNodes.has(nodeId),
      minEvaluations,
      failRateAt,
      cooldownMs,
      nowMs,
    });
    analyses.push({
      nodeId,
      routes: byCount(tally.routeCounts).map(([route]) => route),
      evaluations,
      failures,
      failRate,
      failRateInterval: wilsonInterval(failures, evaluations),
      failedChecks: byCount(tally.checkCounts).map(([check, count]) => ({ check, count })),
      causes,
      ...(topCause ? { topCause } : {}),
      clusters: clusterQueries([...tally.queries], { failed: tally.failedQueries }),
      latencyMs: { mean: mean(tally.latencies), p95: p95(tally.latencies) },
      tokens: { meanInput: evaluations === 0 ? 0 : tally.inputTokens / evaluations, meanOutput: evaluations === 0 ? 0 : tally.outputTokens / evaluations },
      ...(last !== undefined ? { lastExpandedAtMs: last } : {}),
      candidate,
      reasons,
      failing: tally.failing,
      passing: tally.passing,
    });
  }
  return analyses.sort((a, b) => b.failRate - a.failRate || b.evaluations - a.evaluations || a.nodeId.localeCompare(b.nodeId));
}
