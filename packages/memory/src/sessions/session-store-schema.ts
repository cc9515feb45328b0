/**
 * The session store's SQLite `application_id` ("TLSS"): marks a file as a TinyLLM session store.
 * @internal
 */
export const sessionStoreApplicationId = 0x544c5353;

/**
 * `sessionStoreMigrations[v]` upgrades schema version `v` to `v + 1`; the current version is
 * their count.
 * @internal
 */
export const sessionStoreMigrations: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY NOT NULL,
     title TEXT,
     settings TEXT NOT NULL DEFAULT '{}',
     summary TEXT,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL
   );
   CREATE INDEX sessions_by_update ON sessions (updated_at_ms DESC, id);
   CREATE TABLE messages (
     session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
     content TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     run_id TEXT,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID;`,
];

/** The schema version this code writes. @internal */
export const sessionStoreSchemaVersion = sessionStoreMigrations.length;
