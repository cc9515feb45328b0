/**
 * Test helpers: the conformance suite every {@link RunStore} backend passes (needs vitest).
 *
 * @module
 */
export { runStoreConformance } from "../run-store/testing/run-store-conformance";
