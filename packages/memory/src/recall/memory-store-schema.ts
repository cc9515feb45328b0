/** Marks a SQLite file as a TinyLLM memory store (`PRAGMA application_id`): "TLMM". @internal */
export const memoryStoreApplicationId = 0x544c4d4d;

/** `memoryStoreMigrations[v]` upgrades schema version `v` to `v + 1`. @internal */
export const memoryStoreMigrations: readonly string[] = [
  `CREATE TABLE memories (
     id TEXT PRIMARY KEY,
     text TEXT NOT NULL,
     scope TEXT NOT NULL CHECK (scope IN ('user', 'session', 'graph')),
     owner TEXT NOT NULL,
     source TEXT,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL,
     embedder TEXT,
     embedding BLOB
   );
   CREATE INDEX memories_by_owner ON memories (scope, owner, updated_at_ms);
   CREATE INDEX memories_by_embedder ON memories (embedder);`,
];
