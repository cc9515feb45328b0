import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import { capValue, CoreErrorCode, RuntimeErrorCode, safeStringify, TinyLLMError, type CappedValue, type RunEvent, type RunStore } from "@tinyllm/core";
import Database from "better-sqlite3";
import { z } from "zod";
import { inputPreview } from "./input-preview";
import { parseRunStoreInput, runStoreSchemas } from "./parse-run-store-input";
import { prepareRunStoreSchema } from "./prepare-run-store-schema";
import { fromRunRow, runSummaryColumns, summaryOfRunRow, type RunRow } from "./run-row";
import { parseStoredJson, storedJson } from "./stored-json";
import { toRunStoreError } from "./to-run-store-error";

/** Options of {@link openRunStore}. */
export interface OpenRunStoreOptions {
  /**
   * The SQLite file, e.g. from {@link defaultRunStorePath}. Relative paths resolve against the
   * working directory. Missing parent directories are created. `":memory:"` opens a private
   * in-memory store (for tests).
   */
  path: string;
  /** How long to wait for another process's lock before failing, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

/** A {@link RunStore} in one SQLite file. */
export interface SqliteRunStore extends RunStore {
  /** Absolute path of the SQLite file (or `":memory:"`). */
  readonly path: string;
}

const OptionsSchema = z.object({
  path: z.string().min(1, "must not be empty"),
  busyTimeoutMs: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

/** Longest JSON kept for a run's input or output; longer values keep a preview. */
const maxValueChars = 1_000_000;
/** Longest JSON kept for one event; a longer event keeps its type and a preview. */
const maxEventChars = 1_000_000;
/** Longest JSON kept for a trace (its span values are already capped by the trace itself). */
const maxTraceChars = 16_000_000;
const defaultListLimit = 50;
const endedStatuses = new Set(["ok", "failed", "timeout", "cancelled"]);

/**
 * Opens (and creates) the run store at `path`, then marks `interrupted` the runs a process that
 * is gone left `running` (see {@link RunStore.markInterrupted}).
 *
 * The file is a SQLite database in WAL mode with `synchronous=NORMAL`: a write that returned
 * survives a crash of the process (a power cut may lose the last writes, never the file), and
 * readers never block the writer. Several processes may write at once; each waits up to
 * `busyTimeoutMs` for the lock. A new file is readable by its owner only (runs hold inputs and
 * answers). The schema is versioned (`PRAGMA user_version`) and upgraded in a transaction on
 * open.
 *
 * Each run remembers the host and process that began it; {@link RunStore.markInterrupted} marks
 * only runs of processes on this host that are no longer alive, so a CLI run does not mark the
 * runs of a server sharing the file.
 *
 * @throws TinyLLMError `RUN_STORE_FAILED` when the file cannot be opened or created, or stays
 * locked; `RUN_STORE_CORRUPT` when it is not a SQLite database or holds something other than a
 * run store; `RUN_STORE_TOO_NEW` when a newer TinyLLM wrote it; `INVALID_ARGUMENT` for bad
 * options.
 *
 * @example
 * ```ts
 * const store = openRunStore({ path: defaultRunStorePath() });
 * try {
 *   for (const run of await store.list({ limit: 10 })) console.log(run.id, run.status, run.inputPreview);
 * } finally {
 *   await store.close();
 * }
 * ```
 */
export function openRunStore(options: OpenRunStoreOptions): SqliteRunStore {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TinyLLMError({
      code: CoreErrorCode.InvalidArgument,
      message: `Invalid run store options: field '${issue.path.filter((p) => typeof p !== "symbol").join(".")}': ${issue.message}`,
      hint: "pass { path, busyTimeoutMs? } with a non-empty path and a whole, non-negative busyTimeoutMs",
    });
  }
  const { busyTimeoutMs = 5000 } = parsed.data;
  const inMemory = parsed.data.path === ":memory:";
  const path = inMemory ? parsed.data.path : resolve(parsed.data.path);
  let db: Database.Database;
  try {
    const created = !inMemory && !existsSync(path);
    if (!inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { timeout: busyTimeoutMs });
    // Runs hold inputs and answers: a new store is readable by its owner only (SQLite gives the
    // -wal and -shm files the same permissions).
    if (created) chmodSync(path, 0o600);
  } catch (error) {
    throw toRunStoreError(error, path, "open");
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    prepareRunStoreSchema(db, path);
    const store = createSqliteRunStore(db, path);
    store.markInterruptedNow();
    return store;
  } catch (error) {
    db.close();
    throw toRunStoreError(error, path, "open");
  }
}

function createSqliteRunStore(db: Database.Database, path: string): SqliteRunStore & { markInterruptedNow(): number } {
  const host = hostname();
  const owner = `${host}:${process.pid}`;
  let statements: ReturnType<typeof prepareStatements>;
  try {
    statements = prepareStatements(db);
  } catch (error) {
    throw toRunStoreError(error, path, "open");
  }
  let closed = false;
  const use = <T>(doing: string, work: () => T): T => {
    if (closed) {
      throw new TinyLLMError({
        code: RuntimeErrorCode.RunStoreFailed,
        message: `Could not ${doing} the run store ${path}: it is closed`,
        hint: "open it again with openRunStore",
      });
    }
    try {
      return work();
    } catch (error) {
      throw toRunStoreError(error, path, doing);
    }
  };
  /** The status of run `id`, checked to be one that still takes writes. */
  const writable = (id: string, doing: string): void => {
    const row = statements.status.get(id) as { status: string } | undefined;
    if (!row)
      throw new TinyLLMError({
        code: RuntimeErrorCode.RunRecordNotFound,
        message: `The run store has no run '${id}' to ${doing}`,
        hint: "begin the run first",
      });
    if (endedStatuses.has(row.status)) {
      throw new TinyLLMError({
        code: RuntimeErrorCode.RunStoreConflict,
        message: `Could not ${doing} run '${id}': it has already ended (${row.status})`,
        hint: "a run is finished once; give a new run a new id",
      });
    }
  };

  const appendEvents = db.transaction((id: string, texts: string[]) => {
    writable(id, "append events to");
    const { event_count: count } = statements.eventCount.get(id) as { event_count: number };
    texts.forEach((text, index) => statements.insertEvent.run(id, count + index + 1, text));
    statements.setEventCount.run(count + texts.length, id);
  });
  const finish = db.transaction((id: string, row: Record<string, unknown>) => {
    writable(id, "finish");
    statements.finish.run({ ...row, id });
  });
  const markInterrupted = db.transaction((now: number) => {
    let count = 0;
    for (const row of statements.running.all() as { id: string; owner: string | null; started_at_ms: number }[]) {
      if (!ownerIsGone(row.owner, host)) continue;
      statements.interrupt.run(now, Math.max(0, now - row.started_at_ms), row.id);
      count++;
    }
    return count;
  });

  return {
    path,
    async begin(run) {
      parseRunStoreInput(runStoreSchemas.begin, run, "run to begin");
      const row = {
        id: run.id,
        graph_id: run.graphId,
        graph_version: run.graphVersion ?? null,
        source: run.source ?? null,
        key: run.key ?? null,
        owner,
        input_json: storedJson(run.input, maxValueChars),
        input_preview: inputPreview(run.input),
        started_at_ms: Math.round(run.startedAtMs),
      };
      use("write to", () => {
        if (statements.insertRun.run(row).changes === 0) {
          throw new TinyLLMError({
            code: RuntimeErrorCode.RunStoreConflict,
            message: `The run store already has a run '${run.id}'`,
            hint: "give each run its own id (leave runId out and the runtime makes one)",
          });
        }
      });
    },
    async appendEvents(id, events) {
      parseRunStoreInput(runStoreSchemas.id, id, "run id");
      parseRunStoreInput(runStoreSchemas.events, events, "events");
      const texts = events.map(eventJson);
      use("write to", () => appendEvents.immediate(id, texts));
    },
    async finish(id, end) {
      parseRunStoreInput(runStoreSchemas.id, id, "run id");
      parseRunStoreInput(runStoreSchemas.finish, end, "run end");
      const row = {
        status: end.status,
        ended_at_ms: Math.round(end.endedAtMs),
        duration_ms: end.durationMs,
        output_json: end.output === undefined ? null : storedJson(end.output, maxValueChars),
        error_json: end.error === undefined ? null : storedJson(end.error, maxValueChars),
        trace_json: storedJson(end.trace, maxTraceChars),
        route: end.route ?? null,
        verdict_pass: end.verdict === undefined ? null : end.verdict.pass ? 1 : 0,
        verdict_score: end.verdict?.score ?? null,
        verdict_decided_by: end.verdict?.decidedBy ?? null,
        input_tokens: end.tokens?.input ?? null,
        output_tokens: end.tokens?.output ?? null,
      };
      use("write to", () => finish.immediate(id, row));
    },
    async get(id) {
      parseRunStoreInput(runStoreSchemas.id, id, "run id");
      return use("read", () => {
        const row = statements.get.get(id) as RunRow | undefined;
        return row && fromRunRow(row);
      });
    },
    async events(id, options) {
      parseRunStoreInput(runStoreSchemas.id, id, "run id");
      const { afterSeq = 0, limit = -1 } = parseRunStoreInput(runStoreSchemas.eventsOptions, options, "events options") ?? {};
      return use("read", () =>
        (statements.events.all(id, afterSeq, limit) as { seq: number; event_json: string }[]).map((row) => ({
          seq: row.seq,
          event: parseStoredJson(row.event_json) as RunEvent,
        })),
      );
    },
    async list(options) {
      const { limit = defaultListLimit, beforeMs, status, graphId } = parseRunStoreInput(runStoreSchemas.listOptions, options, "list options") ?? {};
      const where: string[] = [];
      const params: (string | number)[] = [];
      const filter = (sql: string, value: string | number | undefined) => {
        if (value === undefined) return;
        where.push(sql);
        params.push(value);
      };
      filter("started_at_ms < ?", beforeMs);
      filter("status = ?", status);
      filter("graph_id = ?", graphId);
      const sql = `SELECT ${runSummaryColumns} FROM runs${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at_ms DESC, rowid DESC LIMIT ?`;
      return use("read", () => (db.prepare(sql).all(...params, limit) as Parameters<typeof summaryOfRunRow>[0][]).map(summaryOfRunRow));
    },
    async markInterrupted() {
      return use("write to", () => markInterrupted.immediate(Date.now()));
    },
    markInterruptedNow() {
      return markInterrupted.immediate(Date.now());
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

function prepareStatements(db: Database.Database) {
  return {
    insertRun: db.prepare(
      `INSERT INTO runs (id, graph_id, graph_version, source, key, owner, status, input_json, input_preview, started_at_ms)
       VALUES (@id, @graph_id, @graph_version, @source, @key, @owner, 'running', @input_json, @input_preview, @started_at_ms)
       ON CONFLICT (id) DO NOTHING`,
    ),
    status: db.prepare("SELECT status FROM runs WHERE id = ?"),
    eventCount: db.prepare("SELECT event_count FROM runs WHERE id = ?"),
    setEventCount: db.prepare("UPDATE runs SET event_count = ? WHERE id = ?"),
    insertEvent: db.prepare("INSERT INTO run_events (run_id, seq, event_json) VALUES (?, ?, ?)"),
    finish: db.prepare(
      `UPDATE runs SET status = @status, ended_at_ms = @ended_at_ms, duration_ms = @duration_ms, output_json = @output_json,
       error_json = @error_json, trace_json = @trace_json, route = @route, verdict_pass = @verdict_pass,
       verdict_score = @verdict_score, verdict_decided_by = @verdict_decided_by, input_tokens = @input_tokens,
       output_tokens = @output_tokens WHERE id = @id`,
    ),
    get: db.prepare("SELECT * FROM runs WHERE id = ?"),
    events: db.prepare("SELECT seq, event_json FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
    running: db.prepare("SELECT id, owner, started_at_ms FROM runs WHERE status = 'running'"),
    interrupt: db.prepare("UPDATE runs SET status = 'interrupted', ended_at_ms = ?, duration_ms = ? WHERE id = ?"),
  };
}

/** The JSON of one event; an event too large to keep whole keeps its type, time and a preview. */
function eventJson(event: RunEvent): string {
  const capped = capValue(event, maxEventChars) as CappedValue | RunEvent;
  if (!("truncated" in capped) || "type" in capped) return safeStringify(capped);
  const { type, runId, timeMs } = event;
  const nodeId = "nodeId" in event ? event.nodeId : undefined;
  return safeStringify({ type, runId, timeMs, ...(nodeId !== undefined ? { nodeId } : {}), truncated: true, preview: capped.preview.slice(0, 2000) });
}

/** Whether the process that wrote `owner` (`host:pid`) is gone: on this host and no longer alive, or unknown. */
function ownerIsGone(owner: string | null, host: string): boolean {
  const at = owner?.lastIndexOf(":") ?? -1;
  if (owner === null || at < 0) return true;
  if (owner.slice(0, at) !== host) return false;
  const pid = Number(owner.slice(at + 1));
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
