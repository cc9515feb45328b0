/**
 * Conformance suites for `@tinyllm/memory`'s store contracts: every backend runs them.
 *
 * @packageDocumentation
 */
export {};
export { describeSessionStoreConformance } from "./session-store-conformance";
export { describeMemoryStoreConformance } from "./memory-store-conformance";
export { describePrecedentIndexConformance } from "./precedent-index-conformance";
