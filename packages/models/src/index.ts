/**
 * TinyLLM model providers behind one interface (Ollama, embedded llama.cpp,
 * OpenAI-compatible), structured output, prompts, the hybrid router and the `router` and
 * `model` node kinds. Test helpers live in `@tinyllm/models/testing`.
 *
 * @module
 */
export type {
  ToolCall,
  ToolSpec,
  ChatMessage,
  ChatOptions,
  ChatResult,
  ChatStreamPart,
  EmbedOptions,
  ModelInfo,
  ModelProvider,
  TokenUsage,
  ProviderCapabilities,
} from "@tinyllm/core";
export { ModelErrorCode } from "./provider/model-error-codes";
export { createModelError, isModelError, type CreateModelErrorOptions } from "./provider/model-error";
export { createLlamaProvider, type LlamaLogLevelName, type LlamaProvider, type LlamaProviderOptions } from "./provider/llama-provider";
export { toLlamaJsonSchema } from "./provider/to-llama-json-schema";
export {
  createOllamaProvider,
  defaultOllamaHost,
  normalizeOllamaHost,
  type OllamaModelDetails,
  type OllamaProvider,
  type OllamaProviderOptions,
  type OllamaPullProgress,
  type OllamaRunningModel,
} from "./provider/ollama-provider";
export { createOpenAIProvider, type OpenAIProvider, type OpenAIProviderOptions } from "./provider/openai-provider";
export { generateObject, toJsonSchema, type GenerateObjectOptions, type GenerateObjectResult } from "@tinyllm/core";
export { loadPrompts, parsePrompt, type PromptLibrary } from "./prompt/load-prompts";
export { PromptSchema, SamplingSchema, type Prompt, type Sampling } from "./prompt/prompt-schema";
export * from "./router/index";
export {
  createHybridRouter,
  RouteSchema,
  RouterConfigSchema,
  routerConfigProblems,
  routerScope,
  type HybridRouter,
  type RouteOptions,
  type RouteResult,
  type RouterConfig,
} from "./nodes/hybrid-router";
export { createRouterKind, type RouterKindOptions } from "./nodes/router-kind";
export { createModelKind, modelNodeRef, ModelNodeConfigSchema, type ModelKindOptions, type ModelNodeConfig } from "./nodes/model-kind";
export type { ModelRef, ModelResolver, ResolvedModel } from "@tinyllm/core";
export { REVISION_FIELD, ANSWER_META_FIELD, type Revision, type AnswerMeta } from "@tinyllm/core";
export * from "./config/index";
export { runToolLoop, type RunToolLoopOptions, type ToolLoopResult } from "./tools/run-tool-loop";
export type { QueryToolCall, ToolCallOutcome, ToolSet } from "@tinyllm/core";
export { openCassette, requestKey, type Cassette, type CassetteCall, type CassetteProviderInfo } from "./cassette/cassette";
export { cassetteProvider, type CassetteProviderOptions } from "./cassette/cassette-provider";
export * from "./scheduler/index";
export * from "./fleet/index";
