import { decideAdoption, type AdoptionDecision, type DecideAdoptionOptions } from "../decision/decide-adoption";
import type { EvaluationItem } from "./evaluation-item";
import type { QueryOutcome } from "./query-outcome";

/** Runs one version of the graph on one query and reports how it did (the runtime supplies it). */
export type RunQuery = (version: "baseline" | "candidate", item: EvaluationItem, options: { abortSignal?: AbortSignal }) => Promise<QueryOutcome>;

/** One query's outcome under both versions. */
export interface PairedOutcome {
  query: string;
  reference?: string;
  baseline: QueryOutcome;
  candidate: QueryOutcome;
}

/** Options of {@link evaluateVersions}. */
export interface EvaluateVersionsOptions extends Omit<DecideAdoptionOptions, "baseline" | "candidate" | "latencyMs" | "tokens"> {
  /** The held-out queries. */
  items: readonly EvaluationItem[];
  runQuery: RunQuery;
  /** Called after each query with how many are done. */
  onProgress?: (progress: { done: number; total: number; last: PairedOutcome }) => void;
  abortSignal?: AbortSignal;
}

/** What {@link evaluateVersions} found: every query's outcome under both versions, and the decision. */
export interface EvaluationReport {
  outcomes: PairedOutcome[];
  /** Pairs left out of the test because either side was undecided. */
  undecided: number;
  decision: AdoptionDecision;
}

/**
 * Runs the baseline and the candidate on the same held-out queries, one query at a time and the
 * baseline first (so a recorded baseline is replayed, not paid for again), then decides with a
 * paired test ({@link decideAdoption}). Pairs where either verdict is undecided are reported but
 * left out of the test.
 */
export async function evaluateVersions(options: EvaluateVersionsOptions): Promise<EvaluationReport> {
  const { items, runQuery, onProgress, abortSignal, ...decision } = options;
  const outcomes: PairedOutcome[] = [];
  for (const item of items) {
    abortSignal?.throwIfAborted();
    const baseline = await runQuery("baseline", item, { ...(abortSignal ? { abortSignal } : {}) });
    const candidate = await runQuery("candidate", item, { ...(abortSignal ? { abortSignal } : {}) });
    const pair: PairedOutcome = { query: item.query, ...(item.reference !== undefined ? { reference: item.reference } : {}), baseline, candidate };
    outcomes.push(pair);
    onProgress?.({ done: outcomes.length, total: items.length, last: pair });
  }
  const decided = outcomes.filter((pair) => pair.baseline.pass !== null && pair.candidate.pass !== null);
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    outcomes,
    undecided: outcomes.length - decided.length,
    decision: decideAdoption({
      ...decision,
      baseline: decided.map((pair) => pair.baseline.pass === true),
      candidate: decided.map((pair) => pair.candidate.pass === true),
      latencyMs: { baseline: mean(outcomes.map((pair) => pair.baseline.latencyMs)), candidate: mean(outcomes.map((pair) => pair.candidate.latencyMs)) },
      tokens: { baseline: mean(outcomes.map((pair) => pair.baseline.tokens)), candidate: mean(outcomes.map((pair) => pair.candidate.tokens)) },
    }),
  };
}
