import { nodeInfoOf, type RunEvent, type RunStore } from "@tinyllm/core";
import type { Runtime } from "@tinyllm/runtime";
import type { NumberedEvent } from "./run-hub";

/** A run in a list: what the viewer's table shows. */
export interface RunSummary {
  id: string;
  graph: string;
  source: string | null;
  status: string;
  startedAt: string;
  durationMs: number | null;
  route: string | null;
  verdict: "pass" | "fail" | null;
  tokens: { input: number; output: number };
  input: string;
}

function storeOf(runtime: Runtime): RunStore | undefined {
  try {
    return runtime.runStore();
  } catch {
    return undefined;
  }
}

/** Recent runs from the run store, newest first (none without a store). */
export async function storedRuns(runtime: Runtime, limit: number): Promise<RunSummary[]> {
  const store = storeOf(runtime);
  if (!store) return [];
  const rows = await store.list({ limit });
  return rows.map((row) => {
    const pass = row.verdictPass;
    return {
      id: row.id,
      graph: row.graphId,
      source: row.source ?? null,
      status: row.status,
      startedAt: new Date(row.startedAtMs).toISOString(),
      durationMs: row.durationMs ?? null,
      route: row.route ?? null,
      verdict: pass === null ? null : pass ? "pass" : "fail",
      tokens: row.tokens ?? { input: 0, output: 0 },
      input: row.inputPreview,
    };
  });
}

/** A finished run from the store, shaped as `GET /v1/runs/{id}` shows it, or undefined. */
export async function storedRun(runtime: Runtime, id: string) {
  const store = storeOf(runtime);
  const record = await store?.get(id);
  if (!store || !record) return undefined;
  const events = (await store.events(id, {})).map((item) => item.event);
  const route = events.map((event) => nodeInfoOf(event, "route")).find((info) => info !== undefined);
  return {
    id: record.id,
    graph: record.graphId,
    source: record.source ?? null,
    status: record.status,
    startedAt: new Date(record.startedAtMs).toISOString(),
    input: record.input ?? null,
    route: route ?? null,
    output: record.output ?? null,
    error: record.error ?? null,
    durationMs: record.durationMs ?? null,
    verdicts: verdictEvents(events),
    trace: record.trace ?? null,
    events: events.length,
  };
}

function verdictEvents(events: RunEvent[]) {
  return events.flatMap((event) => {
    const verdict = nodeInfoOf(event, "verdict");
    return verdict && event.type === "node-info" ? [{ nodeId: event.nodeId, ...verdict }] : [];
  });
}

/** A stored run's events after `afterSeq`, or undefined when the store has no such run. */
export async function storedRunEvents(runtime: Runtime, id: string, afterSeq: number): Promise<NumberedEvent[] | undefined> {
  const store = storeOf(runtime);
  if (!store || !(await store.get(id))) return undefined;
  return store.events(id, { afterSeq });
}
