/** What {@link VerdictStore.stats} groups verdicts by. */
export type VerdictGroupBy = "node" | "answeredBy" | "route" | "model";

/** Options of {@link VerdictStore.stats}. */
export interface VerdictStatsOptions {
  /**
   * The field to group by: `"node"` is the gate (`nodeId`), `"answeredBy"` the node that wrote
   * the answer. Verdicts without the field are grouped under the key `"(none)"`.
   */
  groupBy: VerdictGroupBy;
  /** Only verdicts made at or after this time, in ms since the Unix epoch. */
  sinceMs?: number;
  /** Only verdicts from runs of this graph. */
  graphId?: string;
}

/**
 * Percentiles and mean of one duration, in ms. Percentiles use the nearest-rank method: p50 is
 * the smallest recorded value that at least 50 % of the values are less than or equal to, so it
 * is always a value that was recorded. All three are `null` when no verdict in the group
 * recorded the duration.
 */
export interface DurationStats {
  /** Median, in ms. */
  p50: number | null;
  /** 95th percentile, in ms. */
  p95: number | null;
  /** Arithmetic mean, in ms. */
  mean: number | null;
}

/** Totals of one group of verdicts, from {@link VerdictStore.stats}. */
export interface VerdictGroupStats {
  /** The value of the grouped field, or `"(none)"` for verdicts without it. */
  key: string;
  /** Verdicts in the group. */
  total: number;
  /** Verdicts in the group that passed. */
  passed: number;
  /** Verdicts in the group that could not be decided (`pass: null`). */
  undecided: number;
  /** `passed / (total - undecided)`, from 0 to 1; 0 when nothing was decided. */
  passRate: number;
  /** Mean `score` over the decided verdicts, from 0 to 1. */
  meanScore: number;
  /** Time taken to produce the answers, over the verdicts that recorded it. */
  latencyMs: DurationStats;
  /** Time taken to grade the answers, over the verdicts that recorded it. */
  gradingMs: DurationStats;
  /** How many verdicts each check decided, keyed by `decidedBy`. */
  decidedBy: Record<string, number>;
}
