import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { z } from "zod";
import { GradingErrorCode } from "../grading-error-code";
import { parseVerdictFilter, parseVerdictStatsOptions } from "./parse-verdict-filter";
import { parseVerdictRecord } from "./parse-verdict-record";
import { noVerdictsYet, prepareVerdictSchema } from "./prepare-verdict-schema";
import { queryVerdictStats } from "./query-verdict-stats";
import { toVerdictStoreError, verdictStoreCorrupt } from "./to-verdict-store-error";
import type { VerdictFilter } from "./verdict-filter";
import { fromVerdictRow, toVerdictRow, verdictColumns } from "./verdict-row";
import type { VerdictRow } from "./verdict-row";
import { verdictStatsIndex } from "./verdict-schema";
import type { VerdictStore } from "./verdict-store";
import { verdictWhere } from "./verdict-where";

/** Options of {@link openVerdictStore}. */
export interface OpenVerdictStoreOptions {
  /**
   * The SQLite file, e.g. from {@link defaultVerdictStorePath}. Relative paths resolve against
   * the working directory. Missing parent directories are created. `":memory:"` opens a
   * private in-memory store (for tests).
   */
  path: string;
  /** Open for reading only: `append` throws, and the file must already hold a store. Default `false`. */
  readonly?: boolean;
  /** How long to wait for another process's lock before failing, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

const OptionsSchema = z.object({
  path: z.string().min(1, "must not be empty"),
  readonly: z.boolean().optional(),
  busyTimeoutMs: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

const defaultListLimit = 100;
/** Every column but `answer` (read as NULL). */
const withoutAnswer =
  "id, created_at_ms, run_id, graph_id, graph_version, node_id, answered_by, route, model, provider, tier, attempt, pass, score, decided_by, scores_json, checks_json, feedback, latency_ms, grading_ms, input_tokens, output_tokens, query_hash, query, NULL AS answer, answer_truncated, rubric";

/**
 * Opens (and creates, unless `readonly`) the verdict store at `path`.
 *
 * The file is a SQLite database in WAL mode with `synchronous=FULL`: an `append` that returned
 * survives a crash of the process or of the machine, and readers never block the writer.
 * Several processes may append at once; each waits up to `busyTimeoutMs` for the lock. The
 * schema is versioned (`PRAGMA user_version`) and upgraded in a transaction on open.
 *
 * Opening does not run `PRAGMA quick_check`: it reads the whole file, which grows with every
 * verdict. SQLite notices damaged pages when it reads them, and those errors surface as
 * `VERDICT_STORE_CORRUPT`.
 *
 * @throws TinyLLMError `VERDICT_STORE_FAILED` when the file cannot be opened or created, or is
 * opened `readonly` before any verdict was recorded; `VERDICT_STORE_CORRUPT` when it is not a
 * SQLite database or holds something other than a verdict store; `VERDICT_STORE_TOO_NEW` when a
 * newer TinyLLM wrote it; `GRADING_INPUT_INVALID` for bad options.
 *
 * @example
 * ```ts
 * const store = openVerdictStore({ path: defaultVerdictStorePath() });
 * try {
 *   store.append({ nodeId: "gate", answeredBy: "writer", pass: false, score: 0.3, decidedBy: "judge", query: "What is 2+2?", answer: "5" });
 *   for (const group of store.stats({ groupBy: "answeredBy" })) console.log(group.key, group.passRate, group.latencyMs.p95);
 * } finally {
 *   store.close();
 * }
 * ```
 */
export function openVerdictStore(options: OpenVerdictStoreOptions): VerdictStore {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TinyLLMError({
      code: GradingErrorCode.InputInvalid,
      message: `Invalid verdict store options: field '${issue.path.filter((p) => typeof p !== "symbol").join(".")}': ${issue.message}`,
      hint: "pass { path, readonly?, busyTimeoutMs? } with a non-empty path and a whole, non-negative busyTimeoutMs",
    });
  }
  const { readonly = false, busyTimeoutMs = 5000 } = parsed.data;
  const inMemory = parsed.data.path === ":memory:";
  const path = inMemory ? parsed.data.path : resolve(parsed.data.path);

  if (readonly && !inMemory && !existsSync(path)) throw noVerdictsYet(path, "does not exist");
  let db: Database.Database;
  try {
    const created = !readonly && !inMemory && !existsSync(path);
    if (!readonly && !inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
    // Verdicts hold queries and answers: a new store is readable by its owner only (SQLite gives
    // the -wal and -shm files the same permissions).
    if (created) chmodSync(path, 0o600);
  } catch (error) {
    throw toVerdictStoreError(error, path, "open");
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!readonly) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    prepareVerdictSchema(db, path, readonly);
    return createVerdictStore(db, path, readonly);
  } catch (error) {
    db.close();
    throw toVerdictStoreError(error, path, "open");
  }
}

function createVerdictStore(db: Database.Database, path: string, readonly: boolean): VerdictStore {
  let insert: Statement<VerdictRow>;
  try {
    insert = db.prepare(`INSERT INTO verdicts (${verdictColumns.join(", ")}) VALUES (${verdictColumns.map((c) => `@${c}`).join(", ")})`);
    db.prepare(`SELECT 1 FROM verdicts INDEXED BY ${verdictStatsIndex} LIMIT 0`);
  } catch (error) {
    // The marker and version are ours but the table or its stats index do not match them.
    throw verdictStoreCorrupt(path, `has a damaged schema (${(error as Error).message})`, error);
  }
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  let closed = false;
  const use = <T>(doing: string, work: () => T): T => {
    if (closed) {
      throw new TinyLLMError({
        code: GradingErrorCode.StoreFailed,
        message: `Could not ${doing} the verdict store ${path}: it is closed`,
        hint: "open it again with openVerdictStore",
      });
    }
    try {
      return work();
    } catch (error) {
      throw toVerdictStoreError(error, path, doing);
    }
  };
  const where = (filter: VerdictFilter | undefined): { sql: string; params: (string | number)[] } => verdictWhere(parseVerdictFilter(filter));

  return {
    path,
    append(record) {
      const input = parseVerdictRecord(record);
      const row = toVerdictRow(input, Date.now());
      return use("append to", () => {
        if (readonly) {
          throw new TinyLLMError({
            code: GradingErrorCode.StoreFailed,
            message: `Could not append to the verdict store ${path}: it was opened read-only`,
            hint: "open it without readonly to record verdicts",
          });
        }
        const id = Number(insert.run(row).lastInsertRowid);
        return fromVerdictRow({ ...row, id });
      });
    },
    list(filter) {
      const { sql, params } = where(filter);
      const limit = filter?.limit ?? defaultListLimit;
      return use("read", () => {
        const rows = prepare(`SELECT * FROM verdicts${sql} ORDER BY created_at_ms DESC, id DESC LIMIT ?`).all(...params, limit);
        return (rows as (VerdictRow & { id: number })[]).map(fromVerdictRow);
      });
    },
    each(filter, visit, options) {
      const { sql, params } = where(filter);
      // The answer is the largest column: leaving it out halves the time of a full scan.
      const columns = options?.answers === false ? withoutAnswer : "*";
      return use("read", () => {
        let visited = 0;
        for (const row of prepare(`SELECT ${columns} FROM verdicts${sql} ORDER BY created_at_ms DESC, id DESC`).iterate(...params)) {
          visit(fromVerdictRow(row as VerdictRow & { id: number }));
          visited++;
        }
        return visited;
      });
    },
    get(id) {
      if (!Number.isSafeInteger(id)) return undefined;
      return use("read", () => {
        const row = prepare("SELECT * FROM verdicts WHERE id = ?").get(id) as (VerdictRow & { id: number }) | undefined;
        return row ? fromVerdictRow(row) : undefined;
      });
    },
    count(filter) {
      const { sql, params } = where(filter);
      return use("read", () => (prepare(`SELECT COUNT(*) AS n FROM verdicts${sql}`).get(...params) as { n: number }).n);
    },
    stats(options) {
      const parsedOptions = parseVerdictStatsOptions(options);
      return use("read", () => queryVerdictStats(db, parsedOptions));
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
