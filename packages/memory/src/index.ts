/**
 * @tinyllm/memory: conversations that persist, short-term memory sized to the model's context,
 * long-term memory recalled by meaning, and routing precedents.
 *
 * @packageDocumentation
 */
export { defaultMemoryStorePath, defaultSessionStorePath } from "./sqlite/default-memory-paths";
export { createMemoryKind, MemoryNodeConfigSchema, type LearnInput, type MemoryKindOptions, type MemoryNodeConfig } from "./graph/create-memory-kind";
export { createRememberTool, rememberInputSchema, rememberOutputSchema, type RememberTool, type RememberToolOptions } from "./graph/create-remember-tool";
export { MEMORY_OWNERS_FIELD, memoryOwnersOf, scopesOf, type MemoryOwners } from "./graph/memory-owners";
