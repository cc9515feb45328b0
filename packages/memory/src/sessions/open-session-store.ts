import { randomBytes } from "node:crypto";
import {
  MemoryErrorCode,
  TinyLLMError,
  type Session,
  type SessionCreateInput,
  type SessionInfo,
  type SessionMessage,
  type SessionMessageInput,
  type SessionSettings,
  type SessionStore,
  type SessionSummary,
} from "@tinyllm/core";
import { memoryInputInvalid } from "../memory-error";
import { openSqliteStore } from "../sqlite/open-sqlite-store";
import { checkMessageInput, checkSessionId, checkSettings } from "./check-session-input";
import { sessionStoreApplicationId, sessionStoreMigrations } from "./session-store-schema";
import { sessionTitle } from "./session-title";

/** What {@link openSessionStore} takes. */
export interface OpenSessionStoreOptions {
  /** The SQLite file (created with its directories when missing, mode 0600), or `":memory:"`. See `defaultSessionStorePath()`. */
  path: string;
  /** How long to wait for another process's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** The longest message kept, in characters. Default 200 000 (far more than a small model's context holds). */
  maxMessageChars?: number;
  /** The most messages one session keeps. Default 100 000. */
  maxMessagesPerSession?: number;
}

/** A {@link @tinyllm/core!SessionStore} in a SQLite file. */
export interface SqliteSessionStore extends SessionStore {
  /** The absolute path of the file, or `":memory:"`. */
  readonly path: string;
}

interface SessionRow {
  id: string;
  title: string | null;
  settings: string;
  summary: string | null;
  created_at_ms: number;
  updated_at_ms: number;
  message_count: number;
}

interface MessageRow {
  seq: number;
  role: SessionMessage["role"];
  content: string;
  at_ms: number;
  run_id: string | null;
}

/**
 * Opens (creating when needed) the SQLite session store: conversations with their messages,
 * rolling summary and settings. Appends are numbered per session inside one `BEGIN IMMEDIATE`
 * transaction, so several processes can append to one session at once without losing or
 * duplicating a `seq`.
 *
 * @throws TinyLLMError `MEMORY_STORE_CORRUPT`, `MEMORY_STORE_TOO_NEW`, `MEMORY_STORE_FAILED`
 * (cannot open), `MEMORY_INPUT_INVALID` (bad options).
 *
 * @example
 * ```ts
 * const store = openSessionStore({ path: defaultSessionStorePath() });
 * const session = await store.create({ settings: { graph: "graphs/chat.yaml" } });
 * await store.append(session.id, [{ role: "user", content: "Hi, I'm Ada." }]);
 * ```
 */
export function openSessionStore(options: OpenSessionStoreOptions): SqliteSessionStore {
  const { maxMessageChars = 200_000, maxMessagesPerSession = 100_000 } = options;
  if (!Number.isInteger(maxMessageChars) || maxMessageChars < 1)
    throw memoryInputInvalid(`maxMessageChars must be a whole number ≥ 1, not ${maxMessageChars}`, "pass e.g. 200000 or leave it out");
  if (!Number.isInteger(maxMessagesPerSession) || maxMessagesPerSession < 1)
    throw memoryInputInvalid(`maxMessagesPerSession must be a whole number ≥ 1, not ${maxMessagesPerSession}`, "pass e.g. 100000 or leave it out");
  const file = openSqliteStore({
    path: options.path,
    what: "session store",
    envVar: "TINYLLM_SESSIONS",
    applicationId: sessionStoreApplicationId,
    migrations: sessionStoreMigrations,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  const { db } = file;
  const sql = {
    insertSession: db.prepare("INSERT INTO sessions (id, title, settings, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)"),
    exists: db.prepare<[string], { title: string | null }>("SELECT title FROM sessions WHERE id = ?"),
    info: db.prepare<[string], SessionRow>(
      "SELECT s.*, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count FROM sessions s WHERE s.id = ?",
    ),
    list: db.prepare<[number], SessionRow>(
      "SELECT s.*, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count FROM sessions s ORDER BY s.updated_at_ms DESC, s.id LIMIT ?",
    ),
    messages: db.prepare<[string], MessageRow>("SELECT seq, role, content, at_ms, run_id FROM messages WHERE session_id = ? ORDER BY seq"),
    lastSeq: db.prepare<[string], { last: number; count: number }>(
      "SELECT COALESCE(MAX(seq), 0) AS last, COUNT(*) AS count FROM messages WHERE session_id = ?",
    ),
    insertMessage: db.prepare("INSERT INTO messages (session_id, seq, role, content, at_ms, run_id) VALUES (?, ?, ?, ?, ?, ?)"),
    touch: db.prepare("UPDATE sessions SET updated_at_ms = MAX(updated_at_ms, ?) WHERE id = ?"),
    setTitle: db.prepare("UPDATE sessions SET title = ? WHERE id = ? AND title IS NULL"),
    setSummary: db.prepare("UPDATE sessions SET summary = ?, updated_at_ms = MAX(updated_at_ms, ?) WHERE id = ?"),
    setSettings: db.prepare("UPDATE sessions SET settings = ?, updated_at_ms = MAX(updated_at_ms, ?) WHERE id = ?"),
    clearMessages: db.prepare("DELETE FROM messages WHERE session_id = ?"),
    clearSummary: db.prepare("UPDATE sessions SET summary = NULL, updated_at_ms = MAX(updated_at_ms, ?) WHERE id = ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE id = ?"),
  };

  const requireSession = (id: string): { title: string | null } => {
    const row = sql.exists.get(id);
    if (!row) throw sessionNotFound(id);
    return row;
  };

  const store: SqliteSessionStore = {
    path: file.path,

    async create(input: SessionCreateInput = {}) {
      const id = input.id === undefined ? newSessionId() : checkSessionId(input.id);
      const settings = clean(checkSettings(input.settings ?? {}));
      if (input.title !== undefined && typeof input.title !== "string")
        throw memoryInputInvalid("title must be a string", "pass a short title or leave it out");
      const title = input.title !== undefined && input.title.trim() !== "" ? sessionTitle(input.title) : null;
      const now = Date.now();
      return file.use("create a session in", () => {
        try {
          sql.insertSession.run(id, title, JSON.stringify(settings), now, now);
        } catch (error) {
          if ((error as { code?: string }).code?.startsWith("SQLITE_CONSTRAINT")) {
            throw new TinyLLMError({
              code: MemoryErrorCode.SessionExists,
              message: `There is already a session '${id}'`,
              hint: "pick another id, leave the id out for a new random one, or continue the existing session",
            });
          }
          throw error;
        }
        return { id, title: title ?? "", createdAtMs: now, updatedAtMs: now, messageCount: 0, settings, messages: [] };
      });
    },

    async get(id) {
      checkSessionId(id);
      return file.use("read a session from", () =>
        db
          .transaction((): Session | undefined => {
            const row = sql.info.get(id);
            if (!row) return undefined;
            const summary = parseJson<SessionSummary>(row.summary);
            return {
              ...infoOf(row),
              ...(summary ? { summary } : {}),
              messages: sql.messages.all(id).map(messageOf),
            };
          })
          .deferred(),
      );
    },

    async list(listOptions = {}) {
      const limit = listOptions.limit ?? 1000;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
        throw memoryInputInvalid(`list limit must be a whole number from 1 to 100000, not ${limit}`, "pass e.g. 20");
      return file.use("list the sessions of", () => sql.list.all(limit).map(infoOf));
    },

    async append(id, messages: SessionMessageInput[]) {
      checkSessionId(id);
      if (!Array.isArray(messages)) throw memoryInputInvalid("append takes an array of messages", "pass [{ role, content }]");
      messages.forEach((message, index) => checkMessageInput(message, index, maxMessageChars));
      const now = Date.now();
      return file.use("append to a session in", () =>
        db
          .transaction((): SessionMessage[] => {
            const { title } = requireSession(id);
            if (messages.length === 0) return [];
            const { last, count } = sql.lastSeq.get(id)!;
            if (count + messages.length > maxMessagesPerSession) {
              throw memoryInputInvalid(
                `session '${id}' would have ${count + messages.length} messages; the store keeps at most ${maxMessagesPerSession} per session`,
                "clear the session (its summary is kept in the export) or start a new one",
              );
            }
            const appended = messages.map((message, index): SessionMessage => {
              const seq = last + index + 1;
              const atMs = message.atMs ?? now;
              sql.insertMessage.run(id, seq, message.role, message.content, atMs, message.runId ?? null);
              return { seq, role: message.role, content: message.content, atMs, ...(message.runId ? { runId: message.runId } : {}) };
            });
            const firstUser = messages.find((message) => message.role === "user");
            if (title === null && firstUser) sql.setTitle.run(sessionTitle(firstUser.content), id);
            sql.touch.run(now, id);
            return appended;
          })
          .immediate(),
      );
    },

    async setSummary(id, summary) {
      checkSessionId(id);
      checkSummary(summary);
      const stored: SessionSummary = { text: summary.text, throughSeq: summary.throughSeq, by: summary.by, atMs: summary.atMs };
      file.use("save the summary in", () => {
        if (sql.setSummary.run(JSON.stringify(stored), Date.now(), id).changes === 0) throw sessionNotFound(id);
      });
    },

    async updateSettings(id, settings) {
      checkSessionId(id);
      checkSettings(settings);
      return file.use("update the settings in", () =>
        db
          .transaction((): SessionSettings => {
            const row = sql.info.get(id);
            if (!row) throw sessionNotFound(id);
            const merged = clean({ ...(parseJson<SessionSettings>(row.settings) ?? {}), ...settings });
            sql.setSettings.run(JSON.stringify(merged), Date.now(), id);
            return merged;
          })
          .immediate(),
      );
    },

    async clear(id) {
      checkSessionId(id);
      file.use("clear a session in", () =>
        db
          .transaction(() => {
            requireSession(id);
            sql.clearMessages.run(id);
            sql.clearSummary.run(Date.now(), id);
          })
          .immediate(),
      );
    },

    async delete(id) {
      checkSessionId(id);
      return file.use("delete a session from", () =>
        db
          .transaction(() => {
            sql.clearMessages.run(id);
            return sql.deleteSession.run(id).changes > 0;
          })
          .immediate(),
      );
    },

    async close() {
      file.close();
    },
  };
  return store;
}

/** A new random session id: `s_` and 12 hex digits. */
function newSessionId(): string {
  return `s_${randomBytes(6).toString("hex")}`;
}

function sessionNotFound(id: string): TinyLLMError {
  return new TinyLLMError({
    code: MemoryErrorCode.SessionNotFound,
    message: `There is no session '${id}'`,
    hint: "check the id (tinyllm sessions list shows them), or create the session first",
  });
}

function checkSummary(summary: SessionSummary): void {
  const valid =
    typeof summary === "object" &&
    summary !== null &&
    typeof summary.text === "string" &&
    typeof summary.by === "string" &&
    Number.isInteger(summary.throughSeq) &&
    summary.throughSeq >= 0 &&
    Number.isFinite(summary.atMs);
  if (!valid) throw memoryInputInvalid("a summary needs text, by (strings), throughSeq (a whole number ≥ 0) and atMs", "pass { text, throughSeq, by, atMs }");
}

/** Drops keys set to `undefined`. */
function clean(settings: SessionSettings): SessionSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as SessionSettings;
}

function parseJson<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new TinyLLMError({
      code: MemoryErrorCode.MemoryStoreCorrupt,
      message: `A session in the session store holds damaged JSON (${(error as Error).message})`,
      hint: "export the sessions you need and move the file aside, or set TINYLLM_SESSIONS to another file",
      cause: error,
    });
  }
}

function infoOf(row: SessionRow): SessionInfo {
  return {
    id: row.id,
    title: row.title ?? "",
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
    messageCount: row.message_count,
    settings: parseJson<SessionSettings>(row.settings) ?? {},
  };
}

function messageOf(row: MessageRow): SessionMessage {
  return { seq: row.seq, role: row.role, content: row.content, atMs: row.at_ms, ...(row.run_id !== null ? { runId: row.run_id } : {}) };
}
