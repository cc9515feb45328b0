/**
 * @tinyllm/memory: conversations that persist, short-term memory sized to the model's context,
 * long-term memory recalled by meaning, and routing precedents.
 *
 * @packageDocumentation
 */
export { defaultMemoryStorePath, defaultPrecedentIndexPath, defaultSessionStorePath } from "./sqlite/default-memory-paths";
export { openSessionStore, type OpenSessionStoreOptions, type SqliteSessionStore } from "./sessions/open-session-store";
export { sessionToMarkdown } from "./sessions/session-to-markdown";
export { sessionToJSON } from "./sessions/session-to-json";
export { sessionTitle } from "./sessions/session-title";
export { estimateTokens, tokenCounter, type TokenCounter, type TokenCounterOptions } from "./short-term/token-counter";
export { buildPromptWindow, MEMORIES_HEADING, SUMMARY_HEADING, type PromptWindow, type PromptWindowOptions } from "./short-term/build-prompt-window";
export { summarizeTurns, type SummarizeTurnsOptions, type TurnsSummary } from "./short-term/summarize-turns";
export { extractiveSummary, type ExtractiveSummaryOptions } from "./short-term/extractive-summary";
export { foldOldTurns, type FoldOldTurnsOptions } from "./short-term/fold-old-turns";
export { createMemoryKind, MemoryNodeConfigSchema, type LearnInput, type MemoryKindOptions, type MemoryNodeConfig } from "./graph/create-memory-kind";
export {
  createRememberTool,
  explicitFact,
  rememberInputSchema,
  rememberOutputSchema,
  type RememberTool,
  type RememberToolOptions,
} from "./graph/create-remember-tool";
export { MEMORY_OWNERS_FIELD, memoryOwnersOf, scopesOf, type MemoryOwners } from "./graph/memory-owners";
export { createPromptFitter, type PromptFitterOptions } from "./graph/create-prompt-fitter";
export { prepareConversation, type PrepareConversationOptions } from "./graph/prepare-conversation";
export { openMemoryStore, type EmbedderStatus, type MemoryExport, type OpenMemoryStoreOptions, type SqliteMemoryStore } from "./recall/open-memory-store";
export { providerEmbedder } from "./recall/provider-embedder";
export { memoryPrecedentIndex, termSimilarity, type MemoryPrecedentIndexOptions } from "./precedents/memory-precedent-index";
export { openPrecedentIndex, type OpenPrecedentIndexOptions, type SqlitePrecedentIndex } from "./precedents/open-precedent-index";
export {
  decideMemoryUpdate,
  extractFacts,
  learnFromExchange,
  type AppliedMemoryOp,
  type ExtractedFacts,
  type MemoryDecision,
} from "./facts/learn-from-exchange";
