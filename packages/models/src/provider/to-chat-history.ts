import type { ChatHistoryItem } from "node-llama-cpp";
import type { ChatMessage, ChatOptions, ChatResult } from "@tinyllm/core";

/** The chat history node-llama-cpp takes, from a system prompt and messages. */
export function toChatHistory({ system, messages }: Pick<ChatOptions, "system" | "messages">): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (system) history.push({ type: "system", text: system });
  for (const message of messages) history.push(toHistoryItem(message));
  const last = history[history.length - 1];
  if (!last || last.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

function toHistoryItem(message: ChatMessage): ChatHistoryItem {
  switch (message.role) {
    case "system":
      return { type: "system", text: message.content };
    case "assistant":
      return { type: "model", response: [message.content] };
    case "tool":
      return {
        type: "user",
        text: `Result of tool ${message.toolName ?? "call"}:\n${message.content}`,
      };
    default:
      return { type: "user", text: message.content };
  }
}

export function toFinishReason(stopReason: string): ChatResult["finishReason"] {
  switch (stopReason) {
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return "stop";
    case "maxTokens":
      return "length";
    case "abort":
      return "abort";
    default:
      return "other";
  }
}
