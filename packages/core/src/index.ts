/**
 * TinyLLM core: the graph model, its validation, the executor, traces and events.
 *
 * @module
 */
export type { Condition, ConditionSyntaxError, ParseConditionResult } from "./condition/index";
export { parseCondition } from "./condition/index";
export {
  allErrorCodes,
  BenchErrorCode,
  CalculatorErrorCode,
  CodeErrorCode,
  ConfigErrorCode,
  CoreErrorCode,
  ErrorCode,
  ExpansionErrorCode,
  GradingErrorCode,
  ModelErrorCode,
  MemoryErrorCode,
  RuntimeErrorCode,
  ServerErrorCode,
  SearchErrorCode,
  ToolErrorCode,
} from "./error/error-codes";
export { mergeAbortSignals } from "./abort/merge-abort-signals";
export { raceAbort, type RaceAbortOptions } from "./abort/race-abort";
export type {
  ChatMessage,
  ChatOptions,
  ChatResult,
  ChatStreamPart,
  EmbedOptions,
  ModelInfo,
  ModelProvider,
  ProviderCapabilities,
  TokenUsage,
  ToolCall,
  ToolSpec,
} from "./contracts/model-provider";
export type { ModelRef, ModelResolver, ResolvedModel } from "./contracts/model-resolver";
export type { QueryToolCall, ToolCallOutcome, ToolSet } from "./contracts/tool-set";
export type {
  CodeRunError,
  CodeRunFailure,
  CodeRunner,
  CodeRunnerCallOptions,
  CodeRunners,
  CodeRunResult,
  CodeRunSuccess,
  CodeTestReport,
  CodeTestResult,
  JavaScriptAssertSuite,
  JavaScriptRunner,
  PythonAssertSuite,
  PythonCheckSuite,
  PythonRunner,
} from "./contracts/code-runner";
export type { Calculator, CalculatorValue } from "./contracts/calculator";
export type {
  NumberedRunEvent,
  RunBeginInput,
  RunEventsOptions,
  RunFinishInput,
  RunListOptions,
  RunRecord,
  RunRecordStatus,
  RunRecordVerdict,
  RunStore,
  RunSummary,
} from "./contracts/run-store";
export type {
  Session,
  SessionCreateInput,
  SessionInfo,
  SessionMessage,
  SessionMessageInput,
  SessionRole,
  SessionSettings,
  SessionStore,
  SessionSummary,
} from "./contracts/session-store";
export type { Embedder, Memory, MemoryFilter, MemoryHit, MemoryInput, MemoryScope, MemorySearchOptions, MemoryStore } from "./contracts/memory-store";
export type { NearestPrecedentsOptions, Precedent, PrecedentIndex, PrecedentMatch } from "./contracts/precedent-index";
export {
  CONVERSATION_FIELD,
  conversationOf,
  conversationSystem,
  type ConversationState,
  type ConversationTurn,
  type PromptFit,
  type PromptFitInput,
  type PromptFitter,
} from "./contracts/conversation-state";
export { ANSWER_META_FIELD, REVISION_FIELD, revisionFor, type AnswerMeta, type Revision } from "./contracts/answer-state";
export {
  nodeInfoOf,
  type NodeInfoName,
  type NodeInfoPayloads,
  type RevisionFailedInfo,
  type RouteInfo,
  type ToolsTrimmedInfo,
  type VerdictInfo,
  type VerdictStoreErrorInfo,
} from "./contracts/node-info";
export { generateObject, toJsonSchema, type GenerateObjectOptions, type GenerateObjectResult } from "./structured/generate-object";
export { TinyLLMError, toTinyLLMError, type TinyLLMErrorOptions } from "./error/tinyllm-error";
export type {
  NodeEmittedEvent,
  NodeEndEvent,
  NodeInfoEvent,
  NodeRetryEvent,
  NodeStartEvent,
  RunEndEvent,
  RunEvent,
  RunStartEvent,
  TokenDeltaEvent,
  ToolCallEvent,
  ToolResultEvent,
} from "./events/run-event";
export { runGraph, streamGraph, type RunGraphOptions, type RunStream } from "./executor/run-graph";
export type { RunError, RunResult, RunStatus, SubgraphResult } from "./executor/run-result";
export type { CompiledEdge, CompiledGraph, CompiledNode } from "./graph/compiled-graph";
export { formatGraphProblem, type GraphProblem } from "./graph/graph-problem";
export { suggest } from "./graph/suggest";
export {
  EdgeDefinitionSchema,
  GraphEnvelopeSchema,
  GraphLimitsSchema,
  NodeDefinitionSchema,
  RetryPolicySchema,
  defineGraph,
  type EdgeDefinition,
  type EdgeInput,
  type GraphDefinition,
  type GraphInput,
  type NodeInput,
  type GraphLimits,
  type NodeDefinition,
  type RetryPolicy,
} from "./graph/graph-schema";
export { getDefaultRegistry, loadGraph, loadGraphFile, type LoadGraphOptions, type LoadGraphResult } from "./graph/load-graph";
export { compileGraph, type CompileGraphOptions, type CompileGraphResult } from "./graph/compile/compile-graph";
export { branchKind } from "./kinds/branch-kind";
export { builtinNodeKinds } from "./kinds/builtin-node-kinds";
export { entryKind } from "./kinds/entry-kind";
export { exitKind } from "./kinds/exit-kind";
export { fanoutKind } from "./kinds/fanout-kind";
export { joinKind } from "./kinds/join-kind";
export { subgraphKind } from "./kinds/subgraph-kind";
export { transformKind } from "./kinds/transform-kind";
export {
  defineNodeKind,
  type DerivedEdge,
  type FanoutPlan,
  type JoinPlan,
  type KindLoadContext,
  type KindProblem,
  type NodeContext,
  type NodeHandler,
  type NodeKind,
  type NodeResult,
  type RunState,
  type RunSubgraphOptions,
} from "./node-kind/node-kind";
export { createNodeRegistry, type NodeRegistry } from "./node-kind/node-registry";
export { graphToMermaid } from "./render/graph-to-mermaid";
export { graphToTree } from "./render/graph-to-tree";
export { compileTemplate, templateFilters, type CompileTemplateResult, type Template } from "./template/compile-template";
export { capValue, safeStringify, type CappedValue } from "./trace/cap-value";
export type { Span, SpanEnd, SpanHandle, SpanKind, SpanTokens } from "./trace/span";
export { Trace, type TraceJSON, type TraceOptions } from "./trace/trace";
export { runSpans } from "./trace/lazy-trace";
