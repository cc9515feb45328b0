import { existsSync, statSync } from "node:fs";
import { openVerdictStore, type VerdictStore } from "@tinyllm/grading";
import Database from "better-sqlite3";
import { expansionError } from "../expansion-error";

/**
 * What analysis reads of one decided verdict. The failure fields are set for failed verdicts
 * only; `checks` and `scores` are either parsed already or JSON text, as the source has them.
 *
 * @internal
 */
export interface AnalysisRow {
  id: number;
  createdAtMs: number;
  answeredBy: string;
  route: string | null;
  pass: boolean;
  query: string;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  decidedBy: string | null;
  checks: unknown;
  scores: unknown;
  feedback: string | null;
}

/** Which verdicts analysis reads. @internal */
export interface AnalysisFilter {
  graphId?: string;
  answeredBy?: string;
  route?: string;
  sinceMs?: number;
}

/** More of one verdict, read for the few kept as examples. @internal */
export interface VerdictDetails {
  answer?: string;
  checks: unknown;
  feedback?: string;
}

/**
 * Where analysis reads verdicts: the SQLite file directly (a lean query, the fast path) or a
 * {@link VerdictStore}'s own methods (for a store in memory).
 *
 * @internal
 */
export interface VerdictSource {
  /** Visits the decided verdicts of specialists, newest first. The row object is reused: copy what you keep. */
  scan(filter: AnalysisFilter, visit: (row: AnalysisRow) => void): void;
  /** Answers, checks and feedback of these verdicts. */
  details(ids: readonly number[]): Map<number, VerdictDetails>;
  /** The specialists with verdicts (of this graph, when given), sorted. */
  nodes(graphId: string | undefined): string[];
  close(): void;
}

/** The store as analysis needs it: its file, or else its own reading methods. */
export type VerdictStoreLike = Pick<VerdictStore, "each" | "get"> & { readonly path?: string };

/** The columns the lean query reads; a store without them is read through its own methods. */
const columns = [
  "id",
  "created_at_ms",
  "graph_id",
  "answered_by",
  "route",
  "pass",
  "query",
  "latency_ms",
  "input_tokens",
  "output_tokens",
  "decided_by",
  "checks_json",
  "scores_json",
  "feedback",
  "answer",
];

const verdictStoreApplicationId = 0x544c5653;

function whereOf(filter: AnalysisFilter): { sql: string; params: (string | number)[] } {
  const terms = ["pass IS NOT NULL", "answered_by IS NOT NULL"];
  const params: (string | number)[] = [];
  const add = (term: string, value: string | number | undefined) => {
    if (value === undefined) return;
    terms.push(term);
    params.push(value);
  };
  add("graph_id = ?", filter.graphId);
  add("answered_by = ?", filter.answeredBy);
  add("route = ?", filter.route);
  add("created_at_ms >= ?", filter.sinceMs);
  return { sql: ` WHERE ${terms.join(" AND ")}`, params };
}

/** The lean reader: one read-only connection, only the columns analysis uses, JSON left as text. */
function sqliteSource(db: Database.Database): VerdictSource {
  return {
    scan(filter, visit) {
      const { sql, params } = whereOf(filter);
      // The failure columns are read for failed verdicts only, and the answer never.
      const statement = db
        .prepare(
          `SELECT id, created_at_ms, answered_by, route, pass, query, latency_ms, input_tokens, output_tokens,
             CASE WHEN pass = 0 THEN decided_by END, CASE WHEN pass = 0 THEN checks_json END,
             CASE WHEN pass = 0 THEN scores_json END, CASE WHEN pass = 0 THEN feedback END
           FROM verdicts${sql} ORDER BY created_at_ms DESC, id DESC`,
        )
        .raw(true);
      const row: AnalysisRow = {
        id: 0,
        createdAtMs: 0,
        answeredBy: "",
        route: null,
        pass: false,
        query: "",
        latencyMs: null,
        inputTokens: null,
        outputTokens: null,
        decidedBy: null,
        checks: null,
        scores: null,
        feedback: null,
      };
      for (const values of statement.iterate(...params) as IterableIterator<unknown[]>) {
        row.id = values[0] as number;
        row.createdAtMs = values[1] as number;
        row.answeredBy = values[2] as string;
        row.route = values[3] as string | null;
        row.pass = values[4] === 1;
        row.query = values[5] as string;
        row.latencyMs = values[6] as number | null;
        row.inputTokens = values[7] as number | null;
        row.outputTokens = values[8] as number | null;
        row.decidedBy = values[9] as string | null;
        row.checks = values[10];
        row.scores = values[11];
        row.feedback = values[12] as string | null;
        visit(row);
      }
    },
    details(ids) {
      const found = new Map<number, VerdictDetails>();
      const statement = db.prepare("SELECT id, answer, checks_json, feedback FROM verdicts WHERE id = ?");
      for (const id of ids) {
        const detail = statement.get(id) as { id: number; answer: string | null; checks_json: string | null; feedback: string | null } | undefined;
        if (detail)
          found.set(id, {
            ...(detail.answer !== null ? { answer: detail.answer } : {}),
            checks: detail.checks_json,
            ...(detail.feedback !== null ? { feedback: detail.feedback } : {}),
          });
      }
      return found;
    },
    nodes(graphId) {
      const rows = db
        .prepare(
          `SELECT DISTINCT answered_by FROM verdicts WHERE answered_by IS NOT NULL${graphId !== undefined ? " AND graph_id = ?" : ""} ORDER BY answered_by`,
        )
        .pluck()
        .all(...(graphId !== undefined ? [graphId] : [])) as string[];
      return rows;
    },
    close() {
      db.close();
    },
  };
}

/** Reading through the store's own methods: every column parsed, slower, but works on any store. */
function storeSource(store: Pick<VerdictStore, "each" | "get">): VerdictSource {
  const filterOf = (filter: AnalysisFilter) => ({
    ...(filter.graphId !== undefined ? { graphId: filter.graphId } : {}),
    ...(filter.answeredBy !== undefined ? { answeredBy: filter.answeredBy } : {}),
    ...(filter.route !== undefined ? { route: filter.route } : {}),
    ...(filter.sinceMs !== undefined ? { sinceMs: filter.sinceMs } : {}),
  });
  return {
    scan(filter, visit) {
      store.each(
        filterOf(filter),
        (record) => {
          if (record.pass === null || !record.answeredBy) return;
          visit({
            id: record.id,
            createdAtMs: record.createdAtMs,
            answeredBy: record.answeredBy,
            route: record.route ?? null,
            pass: record.pass,
            query: record.query,
            latencyMs: record.latencyMs ?? null,
            inputTokens: record.inputTokens ?? null,
            outputTokens: record.outputTokens ?? null,
            decidedBy: record.pass ? null : record.decidedBy,
            checks: record.pass ? null : (record.checks ?? null),
            scores: record.pass ? null : (record.scores ?? null),
            feedback: record.pass ? null : (record.feedback ?? null),
          });
        },
        { answers: false },
      );
    },
    details(ids) {
      const found = new Map<number, VerdictDetails>();
      for (const id of ids) {
        const record = store.get(id);
        if (record)
          found.set(id, {
            ...(record.answer !== undefined ? { answer: record.answer } : {}),
            checks: record.checks ?? null,
            ...(record.feedback !== undefined ? { feedback: record.feedback } : {}),
          });
      }
      return found;
    },
    nodes(graphId) {
      const nodes = new Set<string>();
      store.each(graphId !== undefined ? { graphId } : {}, (record) => void (record.answeredBy && nodes.add(record.answeredBy)), { answers: false });
      return [...nodes].sort();
    },
    close() {},
  };
}

/** Opens the file read-only for the lean query, or undefined when it lacks the columns the query reads. */
function openLean(file: string): Database.Database | undefined {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      `cannot open the verdict store ${file}: ${(error as Error).message}`,
      "check the path and its permissions",
      error,
    );
  }
  let applicationId: unknown;
  let present: Set<string>;
  try {
    applicationId = db.pragma("application_id", { simple: true });
    present = new Set((db.pragma("table_info(verdicts)") as { name: string }[]).map((column) => column.name));
  } catch (error) {
    db.close();
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      `cannot read the verdict store ${file}: ${(error as Error).message}`,
      "is it a TinyLLM verdict store?",
      error,
    );
  }
  if (applicationId !== verdictStoreApplicationId) {
    db.close();
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      `${file} is not a TinyLLM verdict store`,
      "point at the verdict store the gate writes (default .tinyllm/verdicts.db, or TINYLLM_VERDICTS)",
    );
  }
  if (!columns.every((column) => present.has(column))) {
    db.close();
    return undefined;
  }
  // Memory-mapped reads: a scan then costs no system call per page, which is most of a first
  // scan's time on a fresh connection (about 3 times faster on 100,000 verdicts).
  db.pragma(`mmap_size = ${Math.min(statSync(file).size + (1 << 20), 1 << 30)}`);
  return db;
}

/**
 * The verdicts behind an analysis: a verdict store file is read directly with a lean read-only
 * query; a store in memory (or of a schema the query does not know) through its own methods.
 *
 * @throws TinyLLMError `EXPANSION_INPUT_INVALID` when a file given by path does not exist (with how
 * verdicts get there) or is not a verdict store.
 * @internal
 */
export function openVerdictSource(source: string | VerdictStoreLike): VerdictSource {
  if (typeof source !== "string") {
    const file = source.path;
    const db = file !== undefined && file !== ":memory:" && existsSync(file) ? openLean(file) : undefined;
    return db ? sqliteSource(db) : storeSource(source);
  }
  if (!existsSync(source))
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      `no verdict store at ${source}`,
      'verdicts are written when a graph\'s gate grades an answer: run the graph first (tinyllm run --graph FILE "…", tinyllm chat or the server), then `tinyllm stats` shows what the store holds; or point TINYLLM_VERDICTS at the store you meant',
    );
  const db = openLean(source);
  if (db) return sqliteSource(db);
  // A schema the lean query does not know: the store's own code reads it (or says why it cannot).
  const store = openVerdictStore({ path: source, readonly: true });
  const fallback = storeSource(store);
  return { ...fallback, close: () => store.close() };
}
