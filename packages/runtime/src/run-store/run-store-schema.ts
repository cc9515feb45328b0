/**
 * The SQLite schema of the run store and its migrations.
 *
 * `PRAGMA application_id` marks a file as a TinyLLM run store, and `PRAGMA user_version` is the
 * schema version. Migration `i` (0-based) upgrades version `i` to `i + 1`; each runs in one
 * transaction together with the version bump. Never edit a released migration: add one.
 *
 * @internal
 */

/** `PRAGMA application_id` of a run store: "TLRS" in ASCII. */
export const runStoreApplicationId = 0x544c5253;

/** Migrations, in order. The schema version of this code is their count. */
export const runStoreMigrations: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    graph_id TEXT NOT NULL,
    graph_version TEXT,
    source TEXT,
    key TEXT,
    owner TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'timeout', 'cancelled', 'interrupted')),
    input_json TEXT NOT NULL,
    input_preview TEXT NOT NULL,
    started_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    duration_ms REAL,
    output_json TEXT,
    error_json TEXT,
    trace_json TEXT,
    route TEXT,
    verdict_pass INTEGER CHECK (verdict_pass IN (0, 1)),
    verdict_score REAL,
    verdict_decided_by TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    event_count INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX runs_started ON runs (started_at_ms);
  CREATE INDEX runs_status ON runs (status, started_at_ms);
  CREATE INDEX runs_graph ON runs (graph_id, started_at_ms);
  CREATE TABLE run_events (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    event_json TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) STRICT, WITHOUT ROWID;
  `,
];

/** The schema version this code writes and reads. */
export const runStoreSchemaVersion = runStoreMigrations.length;
