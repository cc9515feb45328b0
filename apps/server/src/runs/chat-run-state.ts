import { clientGone } from "../http/client-gone";
import { requestHeader } from "../http/request-header";
import { createHash } from "node:crypto";
import { CONVERSATION_FIELD, type RunResult } from "@tinyllm/core";
import type { LoadedGraph } from "@tinyllm/runtime";
import type { Context } from "hono";
import type { ServerEnv } from "../server-context";
import type { Runtime } from "@tinyllm/runtime";
import type { Conversation } from "./conversation";

/** The header that selects a server-side session (its history and rolling summary). */
export const sessionHeader = "x-tinyllm-session";
/** The header that names whose long-term memories a request recalls and writes. */
export const userHeader = "x-tinyllm-user";

/** What a chat route hands the run hub: the run's initial state, and what to do once it ended. */
export interface ChatRunState {
  state: Record<string, unknown>;
  /** Appends the turn to its session (when one was selected). */
  afterRun?: (result: RunResult) => Promise<unknown>;
  /** The session, when one was selected. */
  sessionId?: string;
  /** The session's model overrides by tier. */
  models?: Readonly<Record<string, string>>;
}

/**
 * The state of a chat request's run. With a session (the `X-TinyLLM-Session` header, else the
 * OpenAI `user` field), the session's stored history and rolling summary are the short-term
 * memory and the turn is appended to it; without one, the messages the client sent are. Either
 * way long-term memories are recalled for the user: `X-TinyLLM-User`, else the OpenAI `user`,
 * else a hash of the API key, else `default`.
 */
export function chatRunState(
  c: Context<ServerEnv>,
  runtime: Runtime,
  request: { graph: LoadedGraph; conversation: Conversation; user?: string },
): ChatRunState | Promise<ChatRunState> {
  // Read from Node's own parsed headers: c.req.header would build a web Headers of every header.
  const headerSession = requestHeader(c, sessionHeader)?.trim();
  const key = c.get("apiKey");
  // A key is a secret: its memories are filed under a short hash of it, never the key itself.
  const keyUser = key && key !== "anonymous" ? `key-${createHash("sha256").update(key).digest("hex").slice(0, 12)}` : "default";
  const user = requestHeader(c, userHeader)?.trim() || request.user || keyUser;
  const sessionId = headerSession || request.user;
  if (sessionId) {
    return runtime
      .beginChatTurn(request.conversation.query, { session: sessionId, user, graph: request.graph, abortSignal: clientGone(c).signal })
      .then((turn) => ({
        state: turn.state,
        afterRun: (result: RunResult) => turn.finish(result),
        sessionId: turn.sessionId,
        ...(turn.models ? { models: turn.models } : {}),
      }));
  }
  // Without a session the state is the history the client sent (without its last message) and
  // the memory owner.
  const messages = request.conversation.messages;
  let turns: { role: "system" | "user" | "assistant"; content: string }[] | undefined;
  for (let index = 0; index < messages.length - 1; index++) {
    const message = messages[index]!;
    if (message.role !== "tool" && message.content.trim() !== "") (turns ??= []).push(message as { role: "system" | "user" | "assistant"; content: string });
  }
  return {
    state: {
      // Fresh objects every run: a node kind may change its state in place.
      [CONVERSATION_FIELD]: { turns: turns ?? [] },
      memoryOwners: { user },
    },
  };
}
