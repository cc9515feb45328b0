import type { Session, SessionInfo } from "@tinyllm/core";
import { codedCliError } from "../chat/cli-store-errors";
import { withSessionStore, type StoreFlags } from "../chat/open-stores";
import { parseSessionId, parseWholeNumber } from "../chat/parse-flags";
import { printJson } from "../output";

/** `tinyllm sessions list`: conversations, most recently updated first. */
export async function sessionsList(options: StoreFlags & { limit?: string }): Promise<number> {
  const limit = parseWholeNumber("--limit", options.limit, { max: 10_000 });
  const list = await withSessionStore(options, (sessions) => sessions.list(limit !== undefined ? { limit } : {}));
  if (options.json) printJson({ sessions: list });
  else if (list.length === 0) process.stderr.write("no sessions yet: start one with tinyllm chat\n");
  else for (const info of list) process.stdout.write(`${sessionLine(info)}\n`);
  return 0;
}

/** `tinyllm sessions show ID`: a session's settings, summary and messages. */
export async function sessionsShow(id: string, options: StoreFlags): Promise<number> {
  const session = await withSessionStore(options, async (sessions) => requireSession(id, await sessions.get(parseSessionId(id))));
  if (options.json) {
    printJson(session);
    return 0;
  }
  process.stdout.write(`${sessionLine(session)}\n`);
  const settings = Object.entries(session.settings).filter(([, value]) => value !== undefined);
  for (const [key, value] of settings) process.stdout.write(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}\n`);
  if (session.summary) process.stdout.write(`\nsummary (through message ${session.summary.throughSeq}, by ${session.summary.by}):\n${session.summary.text}\n`);
  for (const message of session.messages) process.stdout.write(`\n[${message.seq}] ${message.role}:\n${message.content}\n`);
  return 0;
}

/** `tinyllm sessions delete ID`. */
export async function sessionsDelete(id: string, options: StoreFlags): Promise<number> {
  const deleted = await withSessionStore(options, (sessions) => sessions.delete(parseSessionId(id)));
  if (!deleted) throw notFound(id);
  if (options.json) printJson({ ok: true, deleted: id });
  else process.stderr.write(`deleted session ${id}\n`);
  return 0;
}

/** `tinyllm sessions export ID`: the session as Markdown (default) or JSON, on stdout. */
export async function sessionsExport(id: string, options: StoreFlags & { format?: string }): Promise<number> {
  const format = options.json ? "json" : (options.format ?? "markdown");
  const session = await withSessionStore(options, async (sessions) => requireSession(id, await sessions.get(parseSessionId(id))));
  const { sessionToJSON, sessionToMarkdown } = await import("@tinyllm/memory");
  const text: unknown = format === "json" ? sessionToJSON(session) : sessionToMarkdown(session);
  const out = typeof text === "string" ? text : JSON.stringify(text, null, 2);
  process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
  return 0;
}

function requireSession(id: string, session: Session | undefined): Session {
  if (!session) throw notFound(id);
  return session;
}

function notFound(id: string) {
  return codedCliError("SESSION_NOT_FOUND", `no session has the id '${id}'`, 2, "tinyllm sessions list shows the sessions there are");
}

function sessionLine(info: SessionInfo): string {
  const when = new Date(info.updatedAtMs).toISOString().replace("T", " ").slice(0, 16);
  return `${info.id}  ${when}  ${info.messageCount} message${info.messageCount === 1 ? "" : "s"}  ${info.title}`;
}
