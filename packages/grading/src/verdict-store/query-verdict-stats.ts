import type { Database } from "better-sqlite3";
import type { DurationStats, VerdictGroupBy, VerdictGroupStats, VerdictStatsOptions } from "./verdict-group-stats";
import { verdictStatsIndex } from "./verdict-schema";
import { verdictWhere } from "./verdict-where";

/** The key of verdicts that lack the grouped field. @internal */
export const noGroupKey = "(none)";

const groupColumns: Record<VerdictGroupBy, string> = {
  node: "node_id",
  answeredBy: "answered_by",
  route: "route",
  model: "model",
};

const from = `verdicts INDEXED BY ${verdictStatsIndex}`;

interface PartRow {
  k: string;
  d: string;
  total: number;
  decided: number;
  passed: number;
  score_sum: number;
  score_n: number;
  latency_sum: number | null;
  latency_n: number;
  grading_sum: number | null;
  grading_n: number;
}

/**
 * Computes {@link VerdictGroupStats} in SQL over the covering stats index, so that only a few
 * rows per group reach JavaScript: one pass sums each (group, decidedBy) pair, and one query per
 * duration finds the nearest-rank percentiles, the values at ranks `ceil(p * n / 100)` of the
 * group's sorted non-null values, with window functions. About 0.3 s for 100 000 verdicts.
 *
 * @internal
 */
export function queryVerdictStats(db: Database, options: VerdictStatsOptions): VerdictGroupStats[] {
  const key = `COALESCE(${groupColumns[options.groupBy]}, '${noGroupKey}')`;
  const where = verdictWhere({ sinceMs: options.sinceMs, graphId: options.graphId });
  const parts = db
    .prepare(
      `SELECT ${key} AS k, decided_by AS d, COUNT(*) AS total, COUNT(pass) AS decided, COALESCE(SUM(pass), 0) AS passed, COALESCE(SUM(score), 0) AS score_sum, COUNT(score) AS score_n,
              SUM(latency_ms) AS latency_sum, COUNT(latency_ms) AS latency_n, SUM(grading_ms) AS grading_sum, COUNT(grading_ms) AS grading_n
       FROM ${from}${where.sql} GROUP BY k, d`,
    )
    .all(...where.params) as PartRow[];

  const sums = new Map<
    string,
    { group: VerdictGroupStats; decided: number; scoreSum: number; scoreN: number; latencySum: number; latencyN: number; gradingSum: number; gradingN: number }
  >();
  for (const part of parts) {
    let sum = sums.get(part.k);
    if (sum === undefined) {
      const group: VerdictGroupStats = {
        key: part.k,
        total: 0,
        passed: 0,
        undecided: 0,
        passRate: 0,
        meanScore: 0,
        latencyMs: { p50: null, p95: null, mean: null },
        gradingMs: { p50: null, p95: null, mean: null },
        decidedBy: {},
      };
      sum = { group, decided: 0, scoreSum: 0, scoreN: 0, latencySum: 0, latencyN: 0, gradingSum: 0, gradingN: 0 };
      sums.set(part.k, sum);
    }
    sum.group.total += part.total;
    sum.group.passed += part.passed;
    sum.decided += part.decided;
    sum.group.undecided += part.total - part.decided;
    sum.scoreN += part.score_n;
    sum.group.decidedBy[part.d] = part.total;
    sum.scoreSum += part.score_sum;
    sum.latencySum += part.latency_sum ?? 0;
    sum.latencyN += part.latency_n;
    sum.gradingSum += part.grading_sum ?? 0;
    sum.gradingN += part.grading_n;
  }
  const latency = sums.size === 0 ? new Map() : percentiles(db, key, "latency_ms", where);
  const grading = sums.size === 0 ? new Map() : percentiles(db, key, "grading_ms", where);
  const groups = [...sums.values()].map(({ group, decided, scoreSum, scoreN, latencySum, latencyN, gradingSum, gradingN }) => {
    group.passRate = decided > 0 ? group.passed / decided : 0;
    group.meanScore = scoreN > 0 ? scoreSum / scoreN : 0;
    if (latencyN > 0) group.latencyMs = { ...latency.get(group.key)!, mean: latencySum / latencyN };
    if (gradingN > 0) group.gradingMs = { ...grading.get(group.key)!, mean: gradingSum / gradingN };
    return group;
  });
  return groups.sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** p50 and p95 of `column` per group key, for the groups with at least one non-null value. */
function percentiles(db: Database, key: string, column: string, where: { sql: string; params: (string | number)[] }): Map<string, Omit<DurationStats, "mean">> {
  const notNull = `${where.sql === "" ? " WHERE" : `${where.sql} AND`} ${column} IS NOT NULL`;
  // One window (same partition and order) gives both the row number and the group size, so
  // SQLite sorts once; (n * p + 99) / 100 is ceil(n * p / 100) in integer arithmetic.
  const rows = db
    .prepare(
      `SELECT k, MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN x END) AS p50, MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN x END) AS p95
       FROM (SELECT ${key} AS k, ${column} AS x, ROW_NUMBER() OVER w AS rn, COUNT(*) OVER w AS n
             FROM ${from}${notNull}
             WINDOW w AS (PARTITION BY ${key} ORDER BY ${column} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
       WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 95 + 99) / 100
       GROUP BY k`,
    )
    .all(...where.params) as { k: string; p50: number; p95: number }[];
  return new Map(rows.map((row) => [row.k, { p50: row.p50, p95: row.p95 }]));
}
