import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { MemoryErrorCode, TinyLLMError } from "@tinyllm/core";
import Database from "better-sqlite3";
import { memoryInputInvalid } from "../memory-error";

/** What {@link openSqliteStore} takes: one kind of store and where it lives. */
export interface OpenSqliteStoreOptions {
  /** The file; relative paths resolve against the working directory. `":memory:"` for a private in-memory store. */
  path: string;
  /** What the store is called in messages, e.g. `session store`. */
  what: string;
  /** The environment variable that points at another file, named in hints. */
  envVar: string;
  /** Marks the file as this kind of store (SQLite's `application_id`); a file with another one is refused. */
  applicationId: number;
  /** `migrations[v]` upgrades schema version `v` to `v + 1`; the current version is their count. */
  migrations: readonly string[];
  /** Opens an existing file read-only (never creates or upgrades it). */
  readonly?: boolean;
  /** How long to wait for another process's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Runs after the schema is ready, before the database is handed back (e.g. loading an extension). */
  onOpen?: (db: Database.Database) => void;
}

/** An open store file. */
export interface SqliteStoreFile {
  db: Database.Database;
  /** Absolute path (or `":memory:"`). */
  path: string;
  /** Runs `work`, turning SQLite and file-system errors into `TinyLLMError`s that say what to do. */
  use<T>(doing: string, work: () => T): T;
  /** Closes the database; later `use` calls fail with `MEMORY_STORE_FAILED`. Idempotent. */
  close(): void;
}

/**
 * Opens (creating when needed) a SQLite store file of `@tinyllm/memory`: WAL, a busy timeout,
 * mode 0600 for a new file, its `application_id` checked and its schema created or upgraded in
 * one `BEGIN IMMEDIATE` transaction, so several processes may open one new file at once.
 *
 * @throws TinyLLMError `MEMORY_STORE_CORRUPT` (not SQLite, another application's file, damaged),
 * `MEMORY_STORE_TOO_NEW` (a newer schema), `MEMORY_STORE_FAILED` (cannot open, locked),
 * `MEMORY_INPUT_INVALID` (bad options).
 * @internal
 */
export function openSqliteStore(options: OpenSqliteStoreOptions): SqliteStoreFile {
  const { what, envVar, applicationId, migrations, readonly = false, busyTimeoutMs = 5000 } = options;
  if (typeof options.path !== "string" || options.path.length === 0)
    throw memoryInputInvalid(`The ${what} path must be a non-empty string`, `pass a file path, or set ${envVar}`);
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0)
    throw memoryInputInvalid(`busyTimeoutMs must be a whole number of ms ≥ 0, not ${busyTimeoutMs}`, "pass e.g. 5000");
  const inMemory = options.path === ":memory:";
  const path = inMemory ? options.path : resolve(options.path);
  const fail = (error: unknown, doing: string) => toSqliteStoreError(error, { path, what, envVar, doing });
  if (readonly && !inMemory && !existsSync(path)) {
    throw new TinyLLMError({
      code: MemoryErrorCode.MemoryStoreFailed,
      message: `The ${what} ${path} does not exist yet`,
      hint: `nothing has been stored yet; or set ${envVar} to the file you meant`,
    });
  }
  let db: Database.Database;
  try {
    const created = !readonly && !inMemory && !existsSync(path);
    if (!readonly && !inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
    // Conversations and memories are private: a new file is readable by its owner only (SQLite
    // gives the -wal and -shm files the same permissions).
    if (created) chmodSync(path, 0o600);
  } catch (error) {
    throw fail(error, "open");
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!readonly) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    prepareSchema(db, { path, what, envVar, applicationId, migrations, readonly });
    options.onOpen?.(db);
  } catch (error) {
    db.close();
    throw fail(error, "open");
  }
  let closed = false;
  return {
    db,
    path,
    use<T>(doing: string, work: () => T): T {
      if (closed) {
        throw new TinyLLMError({
          code: MemoryErrorCode.MemoryStoreFailed,
          message: `Could not ${doing} the ${what} ${path}: it is closed`,
          hint: "open it again",
        });
      }
      try {
        return work();
      } catch (error) {
        throw fail(error, doing);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

interface SchemaContext {
  path: string;
  what: string;
  envVar: string;
  applicationId: number;
  migrations: readonly string[];
  readonly: boolean;
}

interface SchemaState {
  applicationId: number;
  version: number;
  hasTables: boolean;
}

/** Read in one read transaction, so a schema another process is creating never looks foreign. */
function readState(db: Database.Database): SchemaState {
  return db
    .transaction((): SchemaState => ({
      applicationId: db.pragma("application_id", { simple: true }) as number,
      version: db.pragma("user_version", { simple: true }) as number,
      hasTables: db.prepare("SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' LIMIT 1").get() !== undefined,
    }))
    .deferred();
}

function prepareSchema(db: Database.Database, context: SchemaContext): void {
  if (!needsMigration(readState(db), context)) return;
  db.transaction(() => {
    const state = readState(db);
    if (!needsMigration(state, context)) return;
    for (let version = state.version; version < context.migrations.length; version++) db.exec(context.migrations[version]!);
    db.pragma(`application_id = ${context.applicationId}`);
    db.pragma(`user_version = ${context.migrations.length}`);
  }).immediate();
}

function needsMigration(state: SchemaState, context: SchemaContext): boolean {
  const { path, what, envVar, applicationId, migrations, readonly } = context;
  const current = migrations.length;
  if (state.applicationId === 0 && state.version === 0 && !state.hasTables) {
    if (readonly)
      throw new TinyLLMError({ code: MemoryErrorCode.MemoryStoreFailed, message: `The ${what} ${path} is empty`, hint: "nothing has been stored in it yet" });
    return true;
  }
  if (state.applicationId !== applicationId) throw storeCorrupt(path, what, envVar, `is a SQLite database but not a TinyLLM ${what}`);
  if (state.version > current) {
    throw new TinyLLMError({
      code: MemoryErrorCode.MemoryStoreTooNew,
      message: `The ${what} ${path} has schema version ${state.version}; this version of TinyLLM reads up to version ${current}`,
      hint: `upgrade TinyLLM, or point ${envVar} at another file`,
    });
  }
  if (state.version === current) return false;
  if (readonly) {
    throw new TinyLLMError({
      code: MemoryErrorCode.MemoryStoreFailed,
      message: `The ${what} ${path} has the older schema version ${state.version} and was opened read-only, so it cannot be upgraded`,
      hint: "open it once without readonly to upgrade it",
    });
  }
  return true;
}

function storeCorrupt(path: string, what: string, envVar: string, detail: string, cause?: unknown): TinyLLMError {
  return new TinyLLMError({
    code: MemoryErrorCode.MemoryStoreCorrupt,
    message: `The ${what} ${path} ${detail}`,
    hint: `move it aside (e.g. mv "${path}" "${path}.bad", with its -wal and -shm files) and TinyLLM will start a new one, or set ${envVar} to another file`,
    cause,
  });
}

/**
 * Wraps a better-sqlite3 or file-system error from working on a store into a `TinyLLMError`
 * with a hint. `TinyLLMError`s pass through unchanged.
 * @internal
 */
export function toSqliteStoreError(error: unknown, context: { path: string; what: string; envVar: string; doing: string }): TinyLLMError {
  if (TinyLLMError.isInstance(error)) return error;
  const { path, what, envVar, doing } = context;
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "";
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
    return storeCorrupt(path, what, envVar, `is damaged or not a SQLite database (${reason})`, error);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new TinyLLMError({
      code: MemoryErrorCode.MemoryStoreFailed,
      message: `Could not ${doing} the ${what} ${path}: it stayed locked by another process (${reason})`,
      hint: "try again; if it keeps happening, look for a stuck tinyllm process",
      isRetryable: true,
      cause: error,
    });
  }
  let hint = `check that ${path} is on a local disk you can read and write`;
  if (code.startsWith("SQLITE_FULL") || code === "ENOSPC") hint = "free some disk space and try again";
  else if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "EACCES" || code === "EPERM" || code === "EROFS") {
    hint = `check the permissions of ${path} and its directory, or point ${envVar} at a writable file`;
  }
  return new TinyLLMError({ code: MemoryErrorCode.MemoryStoreFailed, message: `Could not ${doing} the ${what} ${path}: ${reason}`, hint, cause: error });
}
