import { RuntimeErrorCode, TinyLLMError } from "@tinyllm/core";
import type { Database } from "better-sqlite3";
import { runStoreApplicationId, runStoreMigrations, runStoreSchemaVersion } from "./run-store-schema";
import { runStoreCorrupt } from "./to-run-store-error";

interface SchemaState {
  applicationId: number;
  version: number;
  hasTables: boolean;
}

/**
 * Reads the marker, the version and whether any table exists in one read transaction: read
 * one by one, a process that finishes creating the schema between two reads would make a new
 * store look like a foreign database.
 */
function readState(db: Database): SchemaState {
  return db
    .transaction((): SchemaState => ({
      applicationId: db.pragma("application_id", { simple: true }) as number,
      version: db.pragma("user_version", { simple: true }) as number,
      hasTables: db.prepare("SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' LIMIT 1").get() !== undefined,
    }))
    .deferred();
}

/**
 * Checks that the open database is a run store this code can use, and creates or upgrades its
 * schema. Migrations run in one `BEGIN IMMEDIATE` transaction, and the state is read again
 * inside it, so two processes opening a new file at once do not both migrate.
 *
 * @throws TinyLLMError `RUN_STORE_CORRUPT` for a foreign database, `RUN_STORE_TOO_NEW` for a
 * newer schema.
 * @internal
 */
export function prepareRunStoreSchema(db: Database, path: string): void {
  if (!needsMigration(readState(db), path)) return;
  db.transaction(() => {
    const state = readState(db);
    if (!needsMigration(state, path)) return;
    for (let version = state.version; version < runStoreSchemaVersion; version++) db.exec(runStoreMigrations[version]!);
    db.pragma(`application_id = ${runStoreApplicationId}`);
    db.pragma(`user_version = ${runStoreSchemaVersion}`);
  }).immediate();
}

function needsMigration(state: SchemaState, path: string): boolean {
  if (state.applicationId === 0 && state.version === 0 && !state.hasTables) return true;
  if (state.applicationId !== runStoreApplicationId) {
    throw runStoreCorrupt(path, "is a SQLite database but not a TinyLLM run store (it holds other tables)");
  }
  if (state.version > runStoreSchemaVersion) {
    throw new TinyLLMError({
      code: RuntimeErrorCode.RunStoreTooNew,
      message: `The run store ${path} has schema version ${state.version}; this version of TinyLLM reads up to version ${runStoreSchemaVersion}`,
      hint: "upgrade TinyLLM, or point TINYLLM_RUNS at another file",
    });
  }
  return state.version < runStoreSchemaVersion;
}
