/**
 * @tinyllm/memory: conversations that persist, short-term memory sized to the model's context,
 * long-term memory recalled by meaning, and routing precedents.
 *
 * @packageDocumentation
 */
export { defaultMemoryStorePath, defaultSessionStorePath } from "./sqlite/default-memory-paths";
