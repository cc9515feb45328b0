import type { Context } from "hono";
import type { LoadedGraph, RunSampling } from "@tinyllm/runtime";
import { clientGone } from "../http/client-gone";
import type { ServerContext, ServerEnv } from "../server-context";
import { chatRunState, type ChatRunState } from "./chat-run-state";
import type { Conversation } from "./conversation";
import type { LiveRun, StartRunOptions } from "./run-hub";

/** What {@link startChatRun} takes: the graph, the conversation and how the run is to go. */
export interface ChatRunRequest {
  graph: LoadedGraph;
  conversation: Conversation;
  /** The OpenAI `user` field: a session and a memory owner when no header names them. */
  user?: string;
  sampling: RunSampling | undefined;
  /** The route the run comes from: `api/chat`, `api/generate`, `v1/chat/completions`. */
  source: string;
}

/** A chat run started, and the headers its answer carries (its run id, its session). */
export interface StartedChatRun {
  run: LiveRun;
  /** `X-TinyLLM-Run-Id`, and `X-TinyLLM-Session` when a session was selected. */
  headers: Record<string, string>;
}

/**
 * Starts the run of a chat request, as the Ollama and OpenAI chat routes do: its state (the
 * session's or the messages' history, the memory owners), a slot under the caller's key, the
 * client's going away cancelling it, the request deadline. When the run cannot start, the
 * session header is still set on the error's answer.
 */
export function startChatRun(c: Context<ServerEnv>, server: ServerContext, request: ChatRunRequest): StartedChatRun | Promise<StartedChatRun> {
  const graph = request.graph;
  const chat = chatRunState(
    c,
    server.runtime,
    request.user ? { graph, conversation: request.conversation, user: request.user } : { graph, conversation: request.conversation },
  );
  // A request without a session and with a free slot starts its run in this turn: no promise.
  return chat instanceof Promise ? chat.then((state) => startWith(c, server, request, state)) : startWith(c, server, request, chat);
}

/** {@link startChatRun} once the run's state is known. */
function startWith(c: Context<ServerEnv>, server: ServerContext, request: ChatRunRequest, chat: ChatRunState): StartedChatRun | Promise<StartedChatRun> {
  const options: StartRunOptions = {
    graph: request.graph,
    input: request.conversation.query,
    state: chat.state,
    source: request.source,
    key: c.get("apiKey"),
    clientGone: clientGone(c),
    deadlineMs: server.limits.requestDeadlineMs,
  };
  if (chat.afterRun) options.afterRun = chat.afterRun;
  if (chat.models) options.models = chat.models;
  if (request.sampling) options.sampling = request.sampling;
  let started: LiveRun | Promise<LiveRun>;
  try {
    started = server.hub.begin(options);
  } catch (error) {
    if (chat.sessionId) c.header("X-TinyLLM-Session", chat.sessionId);
    throw error;
  }
  if (started instanceof Promise)
    return started.then(
      (run) => startedRun(run, chat),
      (error: unknown) => {
        if (chat.sessionId) c.header("X-TinyLLM-Session", chat.sessionId);
        throw error;
      },
    );
  return startedRun(started, chat);
}

function startedRun(run: LiveRun, chat: ChatRunState): StartedChatRun {
  const headers: Record<string, string> = chat.sessionId ? { "X-TinyLLM-Session": chat.sessionId, "X-TinyLLM-Run-Id": run.id } : { "X-TinyLLM-Run-Id": run.id };
  return { run, headers };
}
