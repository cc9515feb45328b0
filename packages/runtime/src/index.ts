/**
 * TinyLLM runtime: the one place where config, model providers, tools, grading and every node
 * kind are put together, kept alive across runs. The CLI, the server and every app build on
 * {@link createRuntime}.
 *
 * @module
 */
export { createRuntime, type CreateRuntimeOptions } from "./create-runtime";
export type { ChatTurn, ChatTurnOptions, GraphSource, PreparedChatTurn, LoadedGraph, RunOptions, Runtime, RuntimeGradeOptions } from "./runtime";
export type { Backend } from "./backend/backend";
export type { RunSampling } from "./sampling/run-sampling";
export { createProvider, selectBackend, tierResolver, type SelectBackendOptions } from "./backend/select-backend";
export { noProviderHint } from "./backend/no-provider-hint";
export { ollamaAnswers } from "./backend/ollama-answers";
export { assetsFolderFor, bundledAssetsDir, defaultGraphFile } from "./assets/bundled-assets-dir";
export { diagnose, type DoctorCheck } from "./doctor/diagnose";
export { createRuntimeTools, type RuntimeTools } from "./tools/create-runtime-tools";
export * from "./config/index";
export { defaultRunStorePath, openRunStore, type OpenRunStoreOptions, type SqliteRunStore } from "./run-store/index";
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
} from "@tinyllm/core";
export * from "./telemetry/index";
export {
  adoptProposal,
  analyzeGraph,
  evaluateProposal,
  proposeExpansion,
  type NothingToPropose,
  type PreparedExpansion,
  autoExpand,
  type AutoExpandResult,
  type ExpandGraphOptions,
  type ExpandProgress,
  type GraphAnalysis,
  type RouteAnalysis,
  type ProposalEvaluation,
} from "./expansion/expand-graph";
export { readExpansionTarget, type ExpansionTarget } from "./expansion/expansion-target";
export { benchmarkGraph, type BenchmarkGraphOptions } from "./bench/benchmark-graph";
export { createGraphConfiguration, type GraphConfigurationOptions } from "./bench/graph-configuration";
