import { z } from "zod";
import { serverError } from "../http/server-error";

/** A chat message as clients send it: text, or (OpenAI) a list of parts of which the text ones are read. */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(["system", "user", "assistant", "tool", "developer"]),
  content: z.union([z.string(), z.null(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]).optional(),
});

const messageRoles = new Set(["system", "user", "assistant", "tool", "developer"]);

/**
 * True when `messages` is an array of messages {@link ChatMessageSchema} takes as they are, each
 * with a known role and text content (a string, null or none): the common shape, checked without
 * zod. False for anything else, which zod then checks (and words the error).
 */
export function isPlainChatMessages(messages: unknown): messages is z.output<typeof ChatMessageSchema>[] {
  if (!Array.isArray(messages)) return false;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as { role?: unknown; content?: unknown } | null;
    if (typeof message !== "object" || message === null || Array.isArray(message)) return false;
    if (typeof message.role !== "string" || !messageRoles.has(message.role)) return false;
    const content = message.content;
    if (typeof content !== "string" && content !== null && content !== undefined) return false;
  }
  return true;
}

/** One message of a conversation, as the graph's state holds it. */
export interface ConversationMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
}

/** A conversation split into the query (the last user message) and the state the graph gets. */
export interface Conversation {
  query: string;
  /** Every message, the query last. */
  messages: ConversationMessage[];
}

/**
 * Splits a conversation for a run: the current query is the last message, which must come from
 * the user; the whole history goes to the run state as `messages`.
 */
export function conversationOf(messages: ReadonlyArray<z.output<typeof ChatMessageSchema>>, maxQueryChars: number): Conversation {
  if (messages.length === 0) throw serverError("SERVER_BAD_REQUEST", "messages is empty", "send at least one message with role user");
  const normalized: ConversationMessage[] = messages.map((message, index) => {
    const content = message.content;
    let text: string;
    if (typeof content === "string") text = content;
    else if (content === null || content === undefined) text = "";
    else {
      const other = content.find((part) => part.type !== "text");
      if (other) throw serverError("SERVER_BAD_REQUEST", `messages.${index}.content: parts of type '${other.type}' are not supported`, "send text parts only");
      text = content.map((part) => part.text ?? "").join("");
    }
    return { role: message.role === "developer" ? "system" : message.role, content: text };
  });
  const last = normalized.at(-1)!;
  if (last.role !== "user")
    throw serverError("SERVER_BAD_REQUEST", `the last message is from '${last.role}', not the user`, "end messages with the user's question");
  if (last.content.trim() === "") throw serverError("SERVER_BAD_REQUEST", "the last user message is empty", "ask something");
  checkQueryLength(last.content, maxQueryChars);
  return { query: last.content, messages: normalized };
}

/** Refuses a query longer than the server's cap (413). */
export function checkQueryLength(query: string, maxQueryChars: number): void {
  if (query.length > maxQueryChars)
    throw serverError(
      "SERVER_QUERY_TOO_LONG",
      `the query is ${query.length} characters; this server takes at most ${maxQueryChars}`,
      "shorten it, or raise limits.maxQueryChars",
    );
}
