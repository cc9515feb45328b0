import { createHash } from "node:crypto";
import { capUtf8 } from "./cap-utf8";
import { toJsonField } from "./parse-verdict-record";
import type { VerdictRecord, VerdictRecordInput } from "./verdict-record";

/** Most bytes of UTF-8 kept of an answer: 64 KiB. @internal */
export const maxAnswerBytes = 64 * 1024;

/** One row of the `verdicts` table, as better-sqlite3 binds and returns it. @internal */
export interface VerdictRow {
  id?: number;
  created_at_ms: number;
  run_id: string | null;
  graph_id: string | null;
  graph_version: string | null;
  node_id: string;
  answered_by: string | null;
  route: string | null;
  model: string | null;
  provider: string | null;
  tier: string | null;
  attempt: number | null;
  pass: number | null;
  score: number | null;
  decided_by: string;
  scores_json: string | null;
  checks_json: string | null;
  feedback: string | null;
  latency_ms: number | null;
  grading_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  query_hash: string;
  query: string;
  answer: string | null;
  answer_truncated: number;
  rubric: string | null;
}

/** The columns of {@link VerdictRow} other than `id`, in table order. @internal */
export const verdictColumns = [
  "created_at_ms",
  "run_id",
  "graph_id",
  "graph_version",
  "node_id",
  "answered_by",
  "route",
  "model",
  "provider",
  "tier",
  "attempt",
  "pass",
  "score",
  "decided_by",
  "scores_json",
  "checks_json",
  "feedback",
  "latency_ms",
  "grading_ms",
  "input_tokens",
  "output_tokens",
  "query_hash",
  "query",
  "answer",
  "answer_truncated",
  "rubric",
] as const satisfies readonly Exclude<keyof VerdictRow, "id">[];

/** The row to insert for a validated record: computes the query hash and caps the answer. @internal */
export function toVerdictRow(input: VerdictRecordInput, nowMs: number): VerdictRow {
  const answer = input.answer === undefined ? undefined : capUtf8(input.answer, maxAnswerBytes);
  return {
    created_at_ms: input.createdAtMs ?? nowMs,
    run_id: input.runId ?? null,
    graph_id: input.graphId ?? null,
    graph_version: input.graphVersion ?? null,
    node_id: input.nodeId,
    answered_by: input.answeredBy ?? null,
    route: input.route ?? null,
    model: input.model ?? null,
    provider: input.provider ?? null,
    tier: input.tier ?? null,
    attempt: input.attempt ?? null,
    pass: input.pass === null ? null : input.pass ? 1 : 0,
    score: input.score,
    decided_by: input.decidedBy,
    scores_json: input.scores === undefined ? null : toJsonField(input.scores, "scores"),
    checks_json: input.checks === undefined ? null : toJsonField(input.checks, "checks"),
    feedback: input.feedback ?? null,
    latency_ms: input.latencyMs ?? null,
    grading_ms: input.gradingMs ?? null,
    input_tokens: input.inputTokens ?? null,
    output_tokens: input.outputTokens ?? null,
    query_hash: createHash("sha256").update(input.query, "utf8").digest("hex"),
    query: input.query,
    answer: answer?.text ?? null,
    answer_truncated: answer?.truncated ? 1 : 0,
    rubric: input.rubric ?? null,
  };
}

/** The record of a stored row; fields stored as NULL are left out. @internal */
export function fromVerdictRow(row: VerdictRow & { id: number }): VerdictRecord {
  const record: VerdictRecord = {
    id: row.id,
    createdAtMs: row.created_at_ms,
    nodeId: row.node_id,
    pass: row.pass === null ? null : row.pass === 1,
    score: row.score,
    decidedBy: row.decided_by,
    queryHash: row.query_hash,
    query: row.query,
  };
  if (row.run_id !== null) record.runId = row.run_id;
  if (row.graph_id !== null) record.graphId = row.graph_id;
  if (row.graph_version !== null) record.graphVersion = row.graph_version;
  if (row.answered_by !== null) record.answeredBy = row.answered_by;
  if (row.route !== null) record.route = row.route;
  if (row.model !== null) record.model = row.model;
  if (row.provider !== null) record.provider = row.provider;
  if (row.tier !== null) record.tier = row.tier;
  if (row.attempt !== null) record.attempt = row.attempt;
  if (row.scores_json !== null) record.scores = JSON.parse(row.scores_json) as Record<string, number>;
  if (row.checks_json !== null) record.checks = JSON.parse(row.checks_json) as unknown[];
  if (row.feedback !== null) record.feedback = row.feedback;
  if (row.latency_ms !== null) record.latencyMs = row.latency_ms;
  if (row.grading_ms !== null) record.gradingMs = row.grading_ms;
  if (row.input_tokens !== null) record.inputTokens = row.input_tokens;
  if (row.output_tokens !== null) record.outputTokens = row.output_tokens;
  if (row.answer !== null) record.answer = row.answer;
  if (row.answer_truncated === 1) record.answerTruncated = true;
  if (row.rubric !== null) record.rubric = row.rubric;
  return record;
}
