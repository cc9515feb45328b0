import { TinyLLMError } from "@tinyllm/core";
import type { Database } from "better-sqlite3";
import { GradingErrorCode } from "../grading-error-code";
import { verdictStoreCorrupt } from "./to-verdict-store-error";
import { verdictStoreApplicationId, verdictStoreMigrations, verdictStoreSchemaVersion } from "./verdict-schema";

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
 * Checks that the open database is a verdict store this code can use and, unless `readonly`,
 * creates or upgrades its schema. Migrations run in one `BEGIN IMMEDIATE` transaction, and the
 * state is read again inside it, so two processes opening a new file at once do not both
 * migrate.
 *
 * @throws TinyLLMError `VERDICT_STORE_CORRUPT` for a foreign database, `VERDICT_STORE_TOO_NEW`
 * for a newer schema, `VERDICT_STORE_FAILED` when a read-only store is empty or needs an upgrade.
 * @internal
 */
export function prepareVerdictSchema(db: Database, path: string, readonly: boolean): void {
  if (!needsMigration(readState(db), path, readonly)) return;
  db.transaction(() => {
    const state = readState(db);
    if (!needsMigration(state, path, readonly)) return;
    for (let version = state.version; version < verdictStoreSchemaVersion; version++) db.exec(verdictStoreMigrations[version]!);
    db.pragma(`application_id = ${verdictStoreApplicationId}`);
    db.pragma(`user_version = ${verdictStoreSchemaVersion}`);
  }).immediate();
}

function needsMigration(state: SchemaState, path: string, readonly: boolean): boolean {
  const isNew = state.applicationId === 0 && state.version === 0 && !state.hasTables;
  if (isNew) {
    if (readonly) throw noVerdictsYet(path, "is empty");
    return true;
  }
  if (state.applicationId !== verdictStoreApplicationId) {
    throw verdictStoreCorrupt(path, "is a SQLite database but not a TinyLLM verdict store (it holds other tables)");
  }
  if (state.version > verdictStoreSchemaVersion) {
    throw new TinyLLMError({
      code: GradingErrorCode.StoreTooNew,
      message: `The verdict store ${path} has schema version ${state.version}; this version of TinyLLM reads up to version ${verdictStoreSchemaVersion}`,
      hint: "upgrade TinyLLM, or point TINYLLM_VERDICTS at another file",
    });
  }
  if (state.version === verdictStoreSchemaVersion) return false;
  if (readonly) {
    throw new TinyLLMError({
      code: GradingErrorCode.StoreFailed,
      message: `The verdict store ${path} has the older schema version ${state.version} and was opened read-only, so it cannot be upgraded to version ${verdictStoreSchemaVersion}`,
      hint: "open it once without readonly (for example by running a graph with a gate) to upgrade it",
    });
  }
  return true;
}

/** A `VERDICT_STORE_FAILED` error for a read-only open of a store that does not exist yet. @internal */
export function noVerdictsYet(path: string, what: string): TinyLLMError {
  return new TinyLLMError({
    code: GradingErrorCode.StoreFailed,
    message: `No verdicts have been recorded yet: the verdict store ${path} ${what}`,
    hint: "verdicts are recorded when a gate node grades an answer; run a graph with a gate first, or set TINYLLM_VERDICTS to the store you meant",
  });
}
