import { randomUUID } from "node:crypto";
import {
  MemoryErrorCode,
  TinyLLMError,
  type Embedder,
  type Memory,
  type MemoryFilter,
  type MemoryHit,
  type MemoryInput,
  type MemoryScope,
  type MemorySearchOptions,
  type MemoryStore,
} from "@tinyllm/core";
import MiniSearch from "minisearch";
import * as sqliteVec from "sqlite-vec";
import { z } from "zod";
import { memoryInputInvalid } from "../memory-error";
import { openSqliteStore } from "../sqlite/open-sqlite-store";
import { memoryStoreApplicationId, memoryStoreMigrations } from "./memory-store-schema";
import { memoryTerms } from "./terms";

/** Options of {@link openMemoryStore}. */
export interface OpenMemoryStoreOptions {
  /** The SQLite file (e.g. `defaultMemoryStorePath()`), or `":memory:"`. */
  path: string;
  /** Writes vectors for recall by meaning; without it recall is lexical (BM25) only. */
  embedder?: Embedder;
  /** Most memories the store holds (`MEMORY_STORE_FULL` beyond). Default 100,000. */
  maxMemories?: number;
  /** Longest memory text, in characters. Default 2,000. */
  maxTextChars?: number;
  busyTimeoutMs?: number;
}

/** How many memories have vectors of the current embedder, of another one, or none. */
export interface EmbedderStatus {
  embedder: string | undefined;
  current: number;
  other: number;
  none: number;
}

/** The JSON form of a store's memories, as {@link SqliteMemoryStore.exportMemories} writes it. */
export interface MemoryExport {
  version: 1;
  memories: Memory[];
}

/** The SQLite memory store: the {@link MemoryStore} contract and what the CLI needs besides. */
export interface SqliteMemoryStore extends MemoryStore {
  readonly path: string;
  /** How many memories there are (in the filter's scopes). */
  count(filter?: MemoryFilter): Promise<number>;
  /** Which embedder wrote the stored vectors. */
  embedderStatus(): Promise<EmbedderStatus>;
  /** Writes vectors with the current embedder for every memory that has none or another embedder's; resolves how many. */
  reembed(options?: { abortSignal?: AbortSignal }): Promise<number>;
  exportMemories(filter?: MemoryFilter): Promise<MemoryExport>;
  /**
   * Adds the memories of an export (new ids, their `createdAtMs` kept), all or none; resolves
   * how many. Throws `MEMORY_INPUT_INVALID` naming the bad field, `MEMORY_STORE_FULL` when they
   * would not all fit (nothing is imported then).
   */
  importMemories(data: unknown): Promise<number>;
}

interface MemoryRow {
  id: string;
  text: string;
  scope: MemoryScope;
  owner: string;
  source: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

const scopes = ["user", "session", "graph"] as const;
const rrfK = 60;
const candidatePool = 50;
const maxQueryChars = 4_000;
const maxOwnerChars = 256;
/** A new memory id: `m_` and 20 hex digits. */
const newMemoryId = () => `m_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
/** Texts embedded per call when importing. */
const importBatch = 64;

const ImportSchema = z.object({
  version: z.literal(1),
  memories: z
    .array(
      z.object({
        text: z.string(),
        scope: z.enum(scopes),
        owner: z.string().min(1),
        source: z.string().optional(),
        createdAtMs: z.number().int().nonnegative().optional(),
      }),
    )
    .max(1_000_000),
});

const toMemory = (row: MemoryRow): Memory => ({
  id: row.id,
  text: row.text,
  scope: row.scope,
  owner: row.owner,
  ...(row.source !== null ? { source: row.source } : {}),
  createdAtMs: row.created_at_ms,
  updatedAtMs: row.updated_at_ms,
});

/**
 * Opens (creating when needed) the long-term memory store: memories in SQLite with their
 * vectors (sqlite-vec compares them), recalled by BM25 (minisearch, stemmed terms, prefix and
 * fuzzy matching) fused with vector similarity by reciprocal rank fusion. Only vectors of the
 * current embedder are compared; with no embedder, recall is BM25 alone. `forget` and `wipe`
 * delete rows and vectors alike. The file is created with mode 0600.
 *
 * @throws TinyLLMError `MEMORY_STORE_CORRUPT`, `MEMORY_STORE_TOO_NEW`, `MEMORY_STORE_FAILED`,
 * `MEMORY_INPUT_INVALID` (see `openSqliteStore`).
 */
export function openMemoryStore(options: OpenMemoryStoreOptions): SqliteMemoryStore {
  const maxMemories = options.maxMemories ?? 100_000;
  const maxTextChars = options.maxTextChars ?? 2_000;
  const embedder = options.embedder;
  const file = openSqliteStore({
    path: options.path,
    what: "memory store",
    envVar: "TINYLLM_MEMORY",
    applicationId: memoryStoreApplicationId,
    migrations: memoryStoreMigrations,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    onOpen: (db) => {
      sqliteVec.load(db);
      // Deleted memories are overwritten on disk, not only unlinked: forgetting means forgetting.
      db.pragma("secure_delete = ON");
    },
  });
  const { db, use } = file;
  const statements = use("open", () => ({
    insert: db.prepare(
      "INSERT INTO memories (id, text, scope, owner, source, created_at_ms, updated_at_ms, embedder, embedding) VALUES (@id, @text, @scope, @owner, @source, @created, @updated, @embedder, @embedding)",
    ),
    get: db.prepare("SELECT id, text, scope, owner, source, created_at_ms, updated_at_ms FROM memories WHERE id = ?"),
    update: db.prepare("UPDATE memories SET text = @text, updated_at_ms = @updated, embedder = @embedder, embedding = @embedding WHERE id = @id"),
    setVector: db.prepare("UPDATE memories SET embedder = @embedder, embedding = @embedding WHERE id = @id"),
    delete: db.prepare("DELETE FROM memories WHERE id = ?"),
    count: db.prepare("SELECT count(*) AS n FROM memories"),
    all: db.prepare("SELECT id, text, scope, owner, source, created_at_ms, updated_at_ms FROM memories"),
    embedders: db.prepare("SELECT embedder, count(*) AS n FROM memories GROUP BY embedder"),
    stale: db.prepare("SELECT id, text FROM memories WHERE embedder IS NULL OR embedder != ? LIMIT 256"),
    dataVersion: db.prepare("PRAGMA data_version").pluck(),
  }));

  // The BM25 index lives in memory, rebuilt when another connection changed the file.
  let index = new MiniSearch<{ id: string; text: string }>({ fields: ["text"], storeFields: [], processTerm: () => null });
  const owners = new Map<string, string>();
  let seenVersion = -1;
  const newIndex = () =>
    new MiniSearch<{ id: string; text: string }>({
      fields: ["text"],
      tokenize: (text) => memoryTerms(text),
      processTerm: (term) => term,
    });
  const key = (scope: MemoryScope, owner: string) => `${scope}\0${owner}`;
  const sync = () => {
    const version = statements.dataVersion.get() as number;
    if (version === seenVersion) return;
    index = newIndex();
    owners.clear();
    const rows = statements.all.all() as MemoryRow[];
    index.addAll(rows.map((row) => ({ id: row.id, text: row.text })));
    for (const row of rows) owners.set(row.id, key(row.scope, row.owner));
    seenVersion = version;
  };
  const indexAdd = (memory: { id: string; text: string; scope: MemoryScope; owner: string }) => {
    index.add({ id: memory.id, text: memory.text });
    owners.set(memory.id, key(memory.scope, memory.owner));
  };
  const indexRemove = (id: string) => {
    if (index.has(id)) index.discard(id);
    owners.delete(id);
  };

  const checkText = (text: unknown, field = "text"): string => {
    if (typeof text !== "string") throw memoryInputInvalid(`The memory's ${field} must be a string`, "pass one fact as text");
    const trimmed = text.trim();
    if (trimmed === "") throw memoryInputInvalid(`The memory's ${field} is empty`, "pass one fact as text, e.g. 'Ada's sister lives in Lisbon'");
    if (trimmed.length > maxTextChars) {
      throw memoryInputInvalid(
        `The memory's ${field} is ${trimmed.length} characters; a memory holds at most ${maxTextChars}`,
        "store one fact per memory, in a sentence or a few",
      );
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed)) {
      throw memoryInputInvalid(`The memory's ${field} holds control characters (binary data?)`, "store plain text");
    }
    return trimmed;
  };
  const checkOwner = (scope: unknown, owner: unknown) => {
    if (!scopes.includes(scope as MemoryScope)) throw memoryInputInvalid(`Unknown memory scope '${String(scope)}'`, "use user, session or graph");
    if (typeof owner !== "string" || owner.trim() === "" || owner.length > maxOwnerChars) {
      throw memoryInputInvalid(
        "The memory's owner must be a non-empty string of at most 256 characters",
        "pass the user, session or graph id the memory belongs to",
      );
    }
  };
  const filterSql = (filter: MemoryFilter | undefined): { where: string; params: string[] } => {
    const pairs = filter?.scopes ?? [];
    for (const pair of pairs) checkOwner(pair.scope, pair.owner);
    if (pairs.length === 0) return { where: "", params: [] };
    return { where: `WHERE (${pairs.map(() => "(scope = ? AND owner = ?)").join(" OR ")})`, params: pairs.flatMap((pair) => [pair.scope, pair.owner]) };
  };
  const vectorOf = async (texts: string[], abortSignal?: AbortSignal): Promise<Float32Array[] | undefined> => {
    if (!embedder) return undefined;
    let vectors: number[][];
    try {
      vectors = await embedder.embed(texts, abortSignal ? { abortSignal } : {});
    } catch (error) {
      if (TinyLLMError.isInstance(error) && error.code === MemoryErrorCode.EmbedderFailed) throw error;
      throw new TinyLLMError({
        code: MemoryErrorCode.EmbedderFailed,
        message: `The embedder ${embedder.id} failed: ${(error as Error)?.message ?? String(error)}`,
        hint: "check that the embedding model is available, or remove memory.embedModel to recall lexically",
        cause: error,
      });
    }
    if (vectors.length !== texts.length || vectors.some((vector) => !Array.isArray(vector) || vector.length === 0 || vector.some((x) => !Number.isFinite(x)))) {
      throw new TinyLLMError({
        code: MemoryErrorCode.EmbedderFailed,
        message: `The embedder ${embedder.id} returned malformed vectors`,
        hint: "check the embedding model",
      });
    }
    return vectors.map((vector) => new Float32Array(vector));
  };
  const blob = (vector: Float32Array | undefined) => (vector ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength) : null);

  const store: SqliteMemoryStore = {
    path: file.path,
    async add(input: MemoryInput) {
      if (typeof input !== "object" || input === null) throw memoryInputInvalid("add takes { text, scope, owner, source? }", "pass an object");
      const text = checkText(input.text);
      checkOwner(input.scope, input.owner);
      const vector = (await vectorOf([text]))?.[0];
      const now = Date.now();
      const memory: Memory = {
        id: newMemoryId(),
        text,
        scope: input.scope,
        owner: input.owner,
        ...(input.source ? { source: input.source } : {}),
        createdAtMs: now,
        updatedAtMs: now,
      };
      use("add to", () =>
        db
          .transaction(() => {
            if ((statements.count.get() as { n: number }).n >= maxMemories) {
              throw new TinyLLMError({
                code: MemoryErrorCode.MemoryStoreFull,
                message: `The memory store ${file.path} holds ${maxMemories} memories, its cap`,
                hint: "forget memories you no longer need (tinyllm memory list / forget), or wipe a scope",
              });
            }
            statements.insert.run({
              id: memory.id,
              text,
              scope: memory.scope,
              owner: memory.owner,
              source: input.source ?? null,
              created: now,
              updated: now,
              embedder: vector ? embedder!.id : null,
              embedding: blob(vector),
            });
          })
          .immediate(),
      );
      sync();
      if (!index.has(memory.id)) indexAdd(memory);
      return memory;
    },
    async update(id, text) {
      const checked = checkText(text);
      const vector = (await vectorOf([checked]))?.[0];
      const now = Date.now();
      const changed = use(
        "update",
        () => statements.update.run({ id, text: checked, updated: now, embedder: vector ? embedder!.id : null, embedding: blob(vector) }).changes,
      );
      if (changed === 0) return undefined;
      const row = use("read", () => statements.get.get(id) as MemoryRow);
      sync();
      indexRemove(id);
      indexAdd(row);
      return toMemory(row);
    },
    async get(id) {
      const row = use("read", () => statements.get.get(String(id)) as MemoryRow | undefined);
      return row ? toMemory(row) : undefined;
    },
    async forget(id) {
      const changed = use("forget in", () => statements.delete.run(String(id)).changes);
      if (changed > 0) use("forget in", () => db.pragma("wal_checkpoint(TRUNCATE)"));
      sync();
      indexRemove(String(id));
      return changed > 0;
    },
    async search(query: string, searchOptions: MemorySearchOptions = {}) {
      if (typeof query !== "string" || query.trim() === "") throw memoryInputInvalid("The search query is empty", "pass the text to recall memories for");
      const k = searchOptions.k ?? 5;
      if (!Number.isInteger(k) || k < 1 || k > 1_000) throw memoryInputInvalid(`k must be a whole number from 1 to 1000, not ${k}`, "e.g. k: 5");
      const text = query.slice(0, maxQueryChars);
      const allowed =
        searchOptions.scopes && searchOptions.scopes.length > 0
          ? new Set(searchOptions.scopes.map((pair) => (checkOwner(pair.scope, pair.owner), key(pair.scope, pair.owner))))
          : undefined;
      use("search", sync);
      const lexical = index
        .search(text, { prefix: (term) => term.length >= 4, fuzzy: (term) => (term.length >= 6 ? 0.2 : false), combineWith: "OR" })
        .filter((hit) => !allowed || allowed.has(owners.get(String(hit.id)) ?? ""))
        .slice(0, candidatePool)
        .map((hit) => String(hit.id));
      const scores = new Map<string, number>();
      lexical.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (rrfK + rank + 1)));
      const vector = (await vectorOf([text], searchOptions.abortSignal))?.[0];
      if (vector) {
        const { where, params } = filterSql(searchOptions);
        const rows = use(
          "search",
          () =>
            db
              .prepare(
                `SELECT id FROM memories ${where ? `${where} AND` : "WHERE"} embedder = ? AND vec_length(embedding) = ? ORDER BY vec_distance_cosine(embedding, ?) LIMIT ${candidatePool}`,
              )
              .all(...params, embedder!.id, vector.length, blob(vector)) as { id: string }[],
        );
        rows.forEach((row, rank) => scores.set(row.id, (scores.get(row.id) ?? 0) + 1 / (rrfK + rank + 1)));
      }
      const ranked = [...scores].sort((a, b) => b[1] - a[1]).slice(0, k);
      const hits: MemoryHit[] = [];
      for (const [id, score] of ranked) {
        const row = use("read", () => statements.get.get(id) as MemoryRow | undefined);
        if (row) hits.push({ ...toMemory(row), score });
      }
      return hits;
    },
    async list(listOptions = {}) {
      const limit = listOptions.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) throw memoryInputInvalid(`limit must be a whole number ≥ 1, not ${limit}`, "e.g. limit: 50");
      const { where, params } = filterSql(listOptions);
      const rows = use(
        "list",
        () =>
          db
            .prepare(`SELECT id, text, scope, owner, source, created_at_ms, updated_at_ms FROM memories ${where} ORDER BY created_at_ms DESC, id LIMIT ?`)
            .all(...params, limit) as MemoryRow[],
      );
      return rows.map(toMemory);
    },
    async wipe(filter) {
      const { where, params } = filterSql(filter);
      const changed = use("wipe", () => db.prepare(`DELETE FROM memories ${where}`).run(...params).changes);
      // secure_delete zeroes the pages; the checkpoint moves that into the main file and empties the log.
      use("wipe", () => db.pragma("wal_checkpoint(TRUNCATE)"));
      seenVersion = -1;
      use("wipe", sync);
      return changed;
    },
    async count(filter) {
      const { where, params } = filterSql(filter);
      return use("count", () => (db.prepare(`SELECT count(*) AS n FROM memories ${where}`).get(...params) as { n: number }).n);
    },
    async embedderStatus() {
      const rows = use("read", () => statements.embedders.all() as { embedder: string | null; n: number }[]);
      const status: EmbedderStatus = { embedder: embedder?.id, current: 0, other: 0, none: 0 };
      for (const row of rows) {
        if (row.embedder === null) status.none += row.n;
        else if (row.embedder === embedder?.id) status.current += row.n;
        else status.other += row.n;
      }
      return status;
    },
    async reembed(reembedOptions = {}) {
      if (!embedder) return 0;
      let done = 0;
      for (;;) {
        const rows = use("read", () => statements.stale.all(embedder.id) as { id: string; text: string }[]);
        if (rows.length === 0) return done;
        const vectors = (await vectorOf(
          rows.map((row) => row.text),
          reembedOptions.abortSignal,
        ))!;
        use("re-embed", () =>
          db.transaction(() => rows.forEach((row, i) => statements.setVector.run({ id: row.id, embedder: embedder.id, embedding: blob(vectors[i]) })))(),
        );
        done += rows.length;
      }
    },
    async exportMemories(filter) {
      const { where, params } = filterSql(filter);
      const rows = use(
        "export",
        () =>
          db
            .prepare(`SELECT id, text, scope, owner, source, created_at_ms, updated_at_ms FROM memories ${where} ORDER BY created_at_ms, id`)
            .all(...params) as MemoryRow[],
      );
      return { version: 1, memories: rows.map(toMemory) };
    },
    async importMemories(data) {
      const parsed = ImportSchema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw memoryInputInvalid(
          `Not a memory export: field '${issue.path.map(String).join(".") || "(root)"}': ${issue.message}`,
          "import a file written by tinyllm memory export",
        );
      }
      const now = Date.now();
      const rows = parsed.data.memories.map((memory) => {
        const text = checkText(memory.text);
        checkOwner(memory.scope, memory.owner);
        const created = memory.createdAtMs ?? now;
        return {
          id: newMemoryId(),
          text,
          scope: memory.scope,
          owner: memory.owner,
          source: memory.source ?? "import",
          created,
        };
      });
      // Vectors first (in batches), then every row in one transaction: an import is added whole or not at all.
      const vectors: (Float32Array | undefined)[] = [];
      for (let at = 0; at < rows.length; at += importBatch) {
        const batch = await vectorOf(rows.slice(at, at + importBatch).map((row) => row.text));
        for (let i = 0; i < Math.min(importBatch, rows.length - at); i++) vectors.push(batch?.[i]);
      }
      use("import into", () =>
        db
          .transaction(() => {
            const held = (statements.count.get() as { n: number }).n;
            if (held + rows.length > maxMemories) {
              throw new TinyLLMError({
                code: MemoryErrorCode.MemoryStoreFull,
                message: `The import holds ${rows.length} memories and the memory store ${file.path} has room for ${Math.max(0, maxMemories - held)} (its cap is ${maxMemories}); nothing was imported`,
                hint: "forget memories you no longer need (tinyllm memory list / forget), or import part of the file",
              });
            }
            rows.forEach((row, i) => {
              const vector = vectors[i];
              statements.insert.run({
                id: row.id,
                text: row.text,
                scope: row.scope,
                owner: row.owner,
                source: row.source,
                created: row.created,
                updated: row.created,
                embedder: vector ? embedder!.id : null,
                embedding: blob(vector),
              });
            });
          })
          .immediate(),
      );
      sync();
      for (const row of rows) if (!index.has(row.id)) indexAdd(row);
      return rows.length;
    },
    async close() {
      file.close();
    },
  };
  return store;
}
