import { MemoryErrorCode, TinyLLMError, type RunResult } from "@tinyllm/core";
import type { ChatTurn, ChatTurnOptions, LoadedGraph, PreparedChatTurn, Runtime } from "../runtime";
import type { RuntimeMemory } from "./runtime-memory";

/** Most characters of one chat message (the session store has its own cap too). */
const maxMessageChars = 200_000;

/** What {@link beginChatTurn} takes. @internal */
export interface ChatTurnInput {
  memory: RuntimeMemory;
  graphFor: (graph: ChatTurnOptions["graph"]) => Promise<LoadedGraph>;
  message: string;
  options: Omit<ChatTurnOptions, "onEvent" | "sampling" | "deadlineMs" | "source">;
}

/**
 * Prepares one message of a conversation: loads the session (or creates it), and gives the run
 * its rolling summary and the recent turns that fit (`state.conversation`) and its memory
 * owners. `finish` appends the message and the answer; the user's message is kept even when the
 * run fails or is cancelled, so nothing the user typed is lost.
 * @internal
 */
export async function beginChatTurn({ memory, graphFor, message, options }: ChatTurnInput): Promise<PreparedChatTurn> {
  if (typeof message !== "string" || message.trim() === "") {
    throw new TinyLLMError({ code: MemoryErrorCode.MemoryInputInvalid, message: "the message is empty", hint: "type something to say" });
  }
  if (message.length > maxMessageChars) {
    throw new TinyLLMError({
      code: MemoryErrorCode.MemoryInputInvalid,
      message: `the message is ${message.length} characters; a chat message may have at most ${maxMessageChars}`,
      hint: "shorten it, or put the long text in a file and ask about a part of it",
    });
  }
  const sessions = memory.sessionStore();
  let session = options.session !== undefined ? await sessions.get(options.session) : undefined;
  if (!session) {
    const graphSetting = typeof options.graph === "string" ? options.graph : undefined;
    session = await sessions.create({
      ...(options.session !== undefined ? { id: options.session } : {}),
      settings: { ...(graphSetting ? { graph: graphSetting } : {}), ...(options.user ? { user: options.user } : {}) },
    });
  }
  const sessionId = session.id;
  const graph = await graphFor(options.graph ?? session.settings.graph);
  const user = options.user ?? session.settings.user ?? "default";
  const { state, foldedTurns } = await memory.prepareTurn({
    sessions,
    sessionId,
    message,
    owners: { user, session: sessionId, graph: graph.graph.id },
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  let finished = false;
  return {
    sessionId,
    graph,
    state,
    foldedTurns,
    ...(session.settings.models && Object.keys(session.settings.models).length > 0 ? { models: session.settings.models } : {}),
    async finish(result) {
      if (finished) return "";
      finished = true;
      const answer = result && result.status === "ok" ? answerText(result.output) : "";
      await sessions.append(sessionId, [
        { role: "user", content: message },
        ...(answer !== "" && result ? [{ role: "assistant" as const, content: answer, runId: result.runId }] : []),
      ]);
      return answer;
    },
  };
}

/** {@link Runtime.chat}: a prepared turn, run, then appended. @internal */
export async function chatTurn(runtime: Runtime, message: string, options: ChatTurnOptions): Promise<ChatTurn> {
  const turn = await runtime.beginChatTurn(message, options);
  let result: RunResult;
  try {
    result = await runtime.run(message, {
      graph: turn.graph,
      state: turn.state,
      source: options.source ?? "chat",
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.sampling ? { sampling: options.sampling } : {}),
      ...(turn.models ? { models: turn.models } : {}),
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    });
  } catch (error) {
    await turn.finish(undefined);
    throw error;
  }
  const answer = await turn.finish(result);
  return { sessionId: turn.sessionId, result, answer, foldedTurns: turn.foldedTurns };
}

function answerText(output: unknown): string {
  if (output === undefined || output === null) return "";
  if (typeof output === "string") return output;
  try {
    return JSON.stringify(output);
  } catch {
    return String(output);
  }
}
