import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ModelErrorCode, TinyLLMError, type ProviderCapabilities } from "@tinyllm/core";

/** `PRAGMA application_id` of a cassette: "TLCS" in ASCII. */
const applicationId = 0x544c4353;

/** What a cassette knows of the provider it recorded. */
export interface CassetteProviderInfo {
  /** The provider's id (`llama`, `ollama`, `openai`, …). */
  id: string;
  /** Which tier table the runtime used with it. */
  kind?: string;
  capabilities: ProviderCapabilities;
}

/** One recorded call. */
export interface CassetteCall {
  /** `chat`, `stream`, `embed`, `count` or `list`. */
  kind: string;
  model: string;
  /** The request as recorded (without the abort signal). */
  request: unknown;
  /** The response: a chat result, `{ deltas, result }` for a stream, embeddings, counts or models. */
  response: unknown;
  latencyMs: number;
}

/** A SQLite file of recorded model calls, keyed by request and occurrence. Open one with {@link openCassette}. */
export interface Cassette {
  readonly path: string;
  /** The call recorded for this request key and occurrence (0 for the first identical request). */
  find(key: string, occurrence: number): CassetteCall | undefined;
  /** Records a call (replacing one with the same key and occurrence). */
  add(key: string, occurrence: number, call: CassetteCall): void;
  /** How many calls are recorded. */
  count(): number;
  /** The recorded provider, if any call was recorded. */
  provider(): CassetteProviderInfo | undefined;
  setProvider(info: CassetteProviderInfo): void;
  /** The model each tier (or model reference) resolved to when recording. */
  tierModels(): Record<string, string>;
  noteTierModel(ref: string, model: string): void;
  close(): void;
}

/** The key of a request: SHA-256 of the canonical JSON of what determines the answer. */
export function requestKey(kind: string, request: Record<string, unknown>): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value as object)
              .sort()
              .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(canonical({ kind, ...request })))
    .digest("hex");
}

const failed = (file: string, message: string, hint: string, cause?: unknown) =>
  new TinyLLMError({ code: ModelErrorCode.CassetteFailed, message, hint, ...(cause !== undefined ? { cause } : {}) });

/**
 * Opens the cassette at `file`: creates it for `record` (and `replay-or-live`), requires it for
 * `replay`.
 *
 * @throws TinyLLMError `CASSETTE_FAILED` when the file is missing (replay), is not a TinyLLM
 * cassette, or cannot be opened.
 */
export function openCassette(file: string, options: { mode: "record" | "replay" | "replay-or-live" }): Cassette {
  const absolute = path.resolve(file);
  if (options.mode === "replay" && !existsSync(absolute))
    throw failed(absolute, `no cassette at ${absolute}`, "record one first: run the same command with --record FILE");
  let db: Database.Database;
  try {
    if (options.mode !== "replay") mkdirSync(path.dirname(absolute), { recursive: true });
    db = new Database(absolute, { fileMustExist: options.mode === "replay" });
    const id = db.pragma("application_id", { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
    if (id !== applicationId && !(id === 0 && tables.n === 0)) {
      db.close();
      throw failed(absolute, `${absolute} is not a TinyLLM cassette`, "give --record / --replay a cassette file (or a new path to record into)");
    }
    if (id === 0) {
      db.pragma(`application_id = ${applicationId}`);
      db.exec(`
        CREATE TABLE calls (key TEXT NOT NULL, occurrence INTEGER NOT NULL, kind TEXT NOT NULL, model TEXT NOT NULL,
          request_json TEXT NOT NULL, response_json TEXT NOT NULL, latency_ms REAL NOT NULL, created_at_ms INTEGER NOT NULL,
          PRIMARY KEY (key, occurrence)) STRICT;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      `);
    }
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    throw failed(
      absolute,
      `cannot open the cassette ${absolute}: ${(error as Error).message}`,
      "check the path and its permissions, or record a new cassette",
      error,
    );
  }
  const find = db.prepare("SELECT kind, model, request_json, response_json, latency_ms FROM calls WHERE key = ? AND occurrence = ?");
  const add = db.prepare("INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const getMeta = db.prepare("SELECT value FROM meta WHERE name = ?");
  const setMeta = db.prepare("INSERT OR REPLACE INTO meta VALUES (?, ?)");
  const meta = <T>(name: string): T | undefined => {
    const row = getMeta.get(name) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  };
  return {
    path: absolute,
    find(key, occurrence) {
      const row = find.get(key, occurrence) as { kind: string; model: string; request_json: string; response_json: string; latency_ms: number } | undefined;
      return row
        ? { kind: row.kind, model: row.model, request: JSON.parse(row.request_json), response: JSON.parse(row.response_json), latencyMs: row.latency_ms }
        : undefined;
    },
    add(key, occurrence, call) {
      add.run(key, occurrence, call.kind, call.model, JSON.stringify(call.request), JSON.stringify(call.response), call.latencyMs, Date.now());
    },
    count: () => (db.prepare("SELECT count(*) AS n FROM calls").get() as { n: number }).n,
    provider: () => meta<CassetteProviderInfo>("provider"),
    setProvider: (info) => void setMeta.run("provider", JSON.stringify(info)),
    tierModels: () => meta<Record<string, string>>("tiers") ?? {},
    noteTierModel(ref, model) {
      const tiers = meta<Record<string, string>>("tiers") ?? {};
      if (tiers[ref] === model) return;
      setMeta.run("tiers", JSON.stringify({ ...tiers, [ref]: model }));
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}
