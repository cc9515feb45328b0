/**
 * TinyLLM model providers: one interface for Ollama, embedded llama.cpp and
 * OpenAI-compatible servers.
 *
 * @module
 */
export type {
  ChatMessage,
  ChatOptions,
  ChatResult,
  ChatStreamPart,
  EmbedOptions,
  ModelInfo,
  ModelProvider,
  TokenUsage,
} from "./provider/model-provider";
