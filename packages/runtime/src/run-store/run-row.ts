import type { RunError, RunRecord, RunRecordStatus, RunRecordVerdict, RunSummary, TraceJSON } from "@tinyllm/core";
import { parseStoredJson } from "./stored-json";

/** A row of the `runs` table. @internal */
export interface RunRow {
  id: string;
  graph_id: string;
  graph_version: string | null;
  source: string | null;
  key: string | null;
  owner: string | null;
  status: RunRecordStatus;
  input_json: string;
  input_preview: string;
  started_at_ms: number;
  ended_at_ms: number | null;
  duration_ms: number | null;
  output_json: string | null;
  error_json: string | null;
  trace_json: string | null;
  route: string | null;
  verdict_pass: 0 | 1 | null;
  verdict_score: number | null;
  verdict_decided_by: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  event_count: number;
}

/** The columns a {@link RunSummary} reads. @internal */
export const runSummaryColumns = "id, graph_id, source, status, started_at_ms, duration_ms, route, verdict_pass, input_tokens, output_tokens, input_preview";

/** A whole row as a {@link RunRecord}: absent fields are left out. @internal */
export function fromRunRow(row: RunRow): RunRecord {
  const record: RunRecord = {
    id: row.id,
    graphId: row.graph_id,
    status: row.status,
    input: parseStoredJson(row.input_json),
    startedAtMs: row.started_at_ms,
    eventCount: row.event_count,
  };
  if (row.graph_version !== null) record.graphVersion = row.graph_version;
  if (row.source !== null) record.source = row.source;
  if (row.key !== null) record.key = row.key;
  if (row.ended_at_ms !== null) record.endedAtMs = row.ended_at_ms;
  if (row.duration_ms !== null) record.durationMs = row.duration_ms;
  if (row.output_json !== null) record.output = parseStoredJson(row.output_json);
  if (row.error_json !== null) record.error = parseStoredJson(row.error_json) as RunError;
  if (row.trace_json !== null) record.trace = parseStoredJson(row.trace_json) as TraceJSON;
  if (row.route !== null) record.route = row.route;
  const verdict = verdictOf(row);
  if (verdict) record.verdict = verdict;
  const tokens = tokensOf(row);
  if (tokens) record.tokens = tokens;
  return record;
}

/** The summary columns of a row as a {@link RunSummary}. @internal */
export function summaryOfRunRow(
  row: Pick<
    RunRow,
    "id" | "graph_id" | "source" | "status" | "started_at_ms" | "duration_ms" | "route" | "verdict_pass" | "input_tokens" | "output_tokens" | "input_preview"
  >,
): RunSummary {
  const summary: RunSummary = {
    id: row.id,
    graphId: row.graph_id,
    status: row.status,
    startedAtMs: row.started_at_ms,
    verdictPass: row.verdict_pass === null ? null : row.verdict_pass === 1,
    inputPreview: row.input_preview,
  };
  if (row.source !== null) summary.source = row.source;
  if (row.duration_ms !== null) summary.durationMs = row.duration_ms;
  if (row.route !== null) summary.route = row.route;
  const tokens = tokensOf(row);
  if (tokens) summary.tokens = tokens;
  return summary;
}

function verdictOf(row: RunRow): RunRecordVerdict | undefined {
  if (row.verdict_pass === null) return undefined;
  return { pass: row.verdict_pass === 1, score: row.verdict_score, decidedBy: row.verdict_decided_by };
}

function tokensOf(row: Pick<RunRow, "input_tokens" | "output_tokens">): { input: number; output: number } | undefined {
  if (row.input_tokens === null && row.output_tokens === null) return undefined;
  return { input: row.input_tokens ?? 0, output: row.output_tokens ?? 0 };
}
