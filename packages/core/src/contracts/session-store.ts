/** Who wrote a message of a session. */
export type SessionRole = "system" | "user" | "assistant";

/** One message of a conversation, as a {@link SessionStore} keeps it. */
export interface SessionMessage {
  /** Its number in the session: 1, 2, … in the order the messages were appended. */
  seq: number;
  role: SessionRole;
  content: string;
  /** When it was appended, in ms since the Unix epoch. */
  atMs: number;
  /** The run that wrote it (assistant messages), when there was one. */
  runId?: string;
}

/** A message to append: {@link SessionMessage} without the fields the store fills in. */
export interface SessionMessageInput {
  role: SessionRole;
  content: string;
  runId?: string;
  /** When it was written; default now. */
  atMs?: number;
}

/** Per-session settings: what `tinyllm chat` and the server use for this conversation. */
export interface SessionSettings {
  /** The graph (a file or a served graph id) the session talks to. */
  graph?: string;
  /** Model overrides by tier, e.g. `{ "T1": "qwen2.5:3b" }`: the session's runs send that tier's calls to the model. */
  models?: Record<string, string>;
  /** The user the session belongs to: long-term memories of scope `user` are recalled for them. */
  user?: string;
}

/**
 * The rolling summary of a session's older messages: the short-term memory that stands in for
 * the turns that no longer fit a model's context.
 */
export interface SessionSummary {
  /** The summary text. */
  text: string;
  /** The `seq` of the last message folded into it: messages after it are not summarised. */
  throughSeq: number;
  /** Who wrote it: the model's name, or `extractive` for the no-model fallback. */
  by: string;
  /** When it was written, in ms since the Unix epoch. */
  atMs: number;
}

/** What a {@link SessionStore.list} shows of a session. */
export interface SessionInfo {
  id: string;
  /** A short title: given, or the start of the first user message. */
  title: string;
  createdAtMs: number;
  updatedAtMs: number;
  messageCount: number;
  settings: SessionSettings;
}

/** A whole session: its info, summary and messages. */
export interface Session extends SessionInfo {
  summary?: SessionSummary;
  messages: SessionMessage[];
}

/** What {@link SessionStore.create} takes. */
export interface SessionCreateInput {
  /** The id; default a new random one. Letters, digits, `-`, `_`, `.` and `:`, at most 128 characters. */
  id?: string;
  title?: string;
  settings?: SessionSettings;
}

/**
 * Where conversations persist: messages, rolling summaries, per-session settings and
 * timestamps. The embedded default is SQLite (`@tinyllm/memory`'s `openSessionStore`); every
 * implementation passes the conformance suite in `@tinyllm/memory/testing`.
 */
export interface SessionStore {
  /** Creates a session. Rejects with `SESSION_EXISTS` when the id is taken. */
  create(input?: SessionCreateInput): Promise<Session>;
  /** A session with all its messages, or `undefined`. */
  get(id: string): Promise<Session | undefined>;
  /** Sessions, most recently updated first. */
  list(options?: { limit?: number }): Promise<SessionInfo[]>;
  /** Appends messages in order and returns them numbered. Rejects with `SESSION_NOT_FOUND` for an unknown id. */
  append(id: string, messages: SessionMessageInput[]): Promise<SessionMessage[]>;
  /** Replaces the session's rolling summary. */
  setSummary(id: string, summary: SessionSummary): Promise<void>;
  /** Merges settings into the session's (a key set to `undefined` is removed) and returns the result. */
  updateSettings(id: string, settings: SessionSettings): Promise<SessionSettings>;
  /** Removes the messages and summary, keeping the session and its settings. */
  clear(id: string): Promise<void>;
  /** Deletes the session and everything in it. Resolves `false` when there was none. */
  delete(id: string): Promise<boolean>;
  close(): Promise<void>;
}
