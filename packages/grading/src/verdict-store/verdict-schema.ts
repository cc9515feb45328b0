/**
 * The SQLite schema of the verdict store and its migrations.
 *
 * `PRAGMA application_id` marks a file as a TinyLLM verdict store, and `PRAGMA user_version`
 * is the schema version. Migration `i` (0-based) upgrades version `i` to `i + 1`; each runs in
 * one transaction together with the version bump. Never edit a released migration: add one.
 *
 * @internal
 */

/** `PRAGMA application_id` of a verdict store: "TLVS" in ASCII. */
export const verdictStoreApplicationId = 0x544c5653;

/** Migrations, in order. The schema version of this code is their count. */
export const verdictStoreMigrations: readonly string[] = [
  `
  CREATE TABLE verdicts (
    id INTEGER PRIMARY KEY,
    created_at_ms INTEGER NOT NULL,
    run_id TEXT,
    graph_id TEXT,
    graph_version TEXT,
    node_id TEXT NOT NULL,
    answered_by TEXT,
    route TEXT,
    model TEXT,
    provider TEXT,
    tier TEXT,
    attempt INTEGER,
    pass INTEGER CHECK (pass IN (0, 1)),
    score REAL CHECK (score >= 0 AND score <= 1),
    decided_by TEXT NOT NULL,
    scores_json TEXT,
    checks_json TEXT,
    feedback TEXT,
    latency_ms REAL,
    grading_ms REAL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    query_hash TEXT NOT NULL,
    query TEXT NOT NULL,
    answer TEXT,
    answer_truncated INTEGER NOT NULL DEFAULT 0,
    rubric TEXT
  ) STRICT;
  CREATE INDEX verdicts_created ON verdicts (created_at_ms, id);
  CREATE INDEX verdicts_node ON verdicts (node_id, created_at_ms);
  CREATE INDEX verdicts_answered_by ON verdicts (answered_by, created_at_ms);
  CREATE INDEX verdicts_route ON verdicts (route, created_at_ms);
  CREATE INDEX verdicts_model ON verdicts (model, created_at_ms);
  CREATE INDEX verdicts_graph ON verdicts (graph_id, created_at_ms);
  CREATE INDEX verdicts_query_hash ON verdicts (query_hash);
  CREATE INDEX verdicts_stats ON verdicts (
    created_at_ms, graph_id, node_id, answered_by, route, model, pass, score, decided_by, latency_ms, grading_ms
  );
  `,
];

/**
 * A covering index for {@link VerdictStore.stats}: it holds every column the statistics read,
 * so they scan this index (a fraction of the table, whose rows carry the query and answer text)
 * instead of the table. The stats queries name it with `INDEXED BY`.
 */
export const verdictStatsIndex = "verdicts_stats";

/** The schema version this code writes and reads. */
export const verdictStoreSchemaVersion = verdictStoreMigrations.length;
