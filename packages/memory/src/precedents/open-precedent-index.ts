/**
 * The precedent index on disk: past gated runs in SQLite, searched lexically in memory.
 *
 * @module
 */
import type { Precedent, PrecedentIndex } from "@tinyllm/core";
import { openSqliteStore } from "../sqlite/open-sqlite-store";
import { checkPrecedent } from "./check-precedent";
import { PrecedentSearch } from "./precedent-search";

/** Marks a SQLite file as a TinyLLM precedent index (`PRAGMA application_id`): "TLPR". @internal */
export const precedentIndexApplicationId = 0x544c5052;

const migrations: readonly string[] = [
  `CREATE TABLE precedents (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     scope TEXT NOT NULL DEFAULT '',
     query TEXT NOT NULL,
     route TEXT NOT NULL,
     pass INTEGER NOT NULL CHECK (pass IN (0, 1)),
     score REAL,
     created_at_ms INTEGER NOT NULL
   );`,
];

/** Options of {@link openPrecedentIndex}. */
export interface OpenPrecedentIndexOptions {
  /** The file (created when missing), or `":memory:"`. See `defaultPrecedentIndexPath`. */
  path: string;
  /** Keep at most this many precedents, the newest; older ones are deleted. Default 50 000. */
  maxPrecedents?: number;
  /** Queries are cut to this many characters. Default 2 000. */
  maxQueryChars?: number;
  /** How long to wait for another process's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

/** A precedent index kept in a SQLite file. */
export interface SqlitePrecedentIndex extends PrecedentIndex {
  /** The absolute path of the file, or `":memory:"`. */
  readonly path: string;
  /** How many precedents are stored. */
  count(): number;
  /** Deletes every precedent. */
  wipe(): void;
  /** Closes the file. Idempotent. */
  close(): void;
}

interface PrecedentRow {
  id: number;
  scope: string;
  query: string;
  route: string;
  pass: number;
  score: number | null;
}

/**
 * Opens (creating when needed) the precedent index: every gated run's query, route, verdict and
 * score, in SQLite (WAL, mode 0600). Searches run on an in-memory BM25 index per scope, brought
 * up to date with what other processes added before each search.
 *
 * @throws TinyLLMError `MEMORY_STORE_CORRUPT`, `MEMORY_STORE_TOO_NEW`, `MEMORY_STORE_FAILED`,
 * `MEMORY_INPUT_INVALID`.
 */
export function openPrecedentIndex(options: OpenPrecedentIndexOptions): SqlitePrecedentIndex {
  const maxPrecedents = options.maxPrecedents ?? 50_000;
  const maxQueryChars = options.maxQueryChars ?? 2_000;
  const file = openSqliteStore({
    path: options.path,
    what: "precedent index",
    envVar: "TINYLLM_PRECEDENTS",
    applicationId: precedentIndexApplicationId,
    migrations,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  const { db, use } = file;
  const statements = use("open", () => ({
    insert: db.prepare("INSERT INTO precedents (scope, query, route, pass, score, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)"),
    trim: db.prepare("DELETE FROM precedents WHERE id <= (SELECT max(id) FROM precedents) - ?"),
    newer: db.prepare("SELECT id, scope, query, route, pass, score FROM precedents WHERE id > ? ORDER BY id"),
    oldest: db.prepare("SELECT min(id) FROM precedents").pluck(),
    count: db.prepare("SELECT count(*) FROM precedents").pluck(),
    wipe: db.prepare("DELETE FROM precedents"),
    dataVersion: db.prepare("PRAGMA data_version").pluck(),
  }));
  const search = new PrecedentSearch();
  let lastId = 0;
  let seenVersion = -1;
  /** Loads what was added since the last look (by this process or another) and drops what was trimmed. */
  const sync = () => {
    const version = statements.dataVersion.get() as number;
    if (version === seenVersion) return;
    seenVersion = version;
    const oldest = statements.oldest.get() as number | null;
    if (oldest === null) {
      search.clear();
      lastId = 0;
      return;
    }
    if (oldest > lastId) {
      // Everything held was deleted (a wipe), or nothing was loaded yet.
      search.clear();
    } else search.dropBelow(oldest);
    for (const row of statements.newer.iterate(lastId) as Iterable<PrecedentRow>) {
      search.add(row.id, toPrecedent(row));
      lastId = row.id;
    }
  };
  return {
    path: file.path,
    async add(precedent) {
      const checked = checkPrecedent(precedent, maxQueryChars);
      use("record a precedent in", () => {
        db.transaction(() => {
          statements.insert.run(checked.scope ?? "", checked.query, checked.route, checked.pass ? 1 : 0, checked.score ?? null, Date.now());
          statements.trim.run(maxPrecedents);
        }).immediate();
      });
      // data_version only moves on other connections' commits: look again at the next search.
      seenVersion = -1;
    },
    async nearest(query, k, nearestOptions = {}) {
      return use("search", () => {
        sync();
        return search.nearest(String(query).slice(0, maxQueryChars), k, nearestOptions.scope);
      });
    },
    count: () => use("count", () => statements.count.get() as number),
    wipe() {
      use("wipe", () => statements.wipe.run());
    },
    close: () => file.close(),
  };
}

function toPrecedent(row: PrecedentRow): Precedent {
  return { query: row.query, route: row.route, pass: row.pass === 1, score: row.score, ...(row.scope ? { scope: row.scope } : {}) };
}
