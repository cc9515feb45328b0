/**
 * Plain LRU placement.
 *
 * @module
 */
import { createDemandPagingPolicy } from "./demand-paging";
import type { PlacementPolicy } from "./placement-policy";

/**
 * Demand paging that evicts the idle model used least recently (last call started or
 * finished). Calls start in release order; a load blocks no other model's calls.
 */
export function createLruPolicy(): PlacementPolicy {
  return createDemandPagingPolicy({
    name: "lru",
    evictionOrder: (candidates) => [...candidates].sort((a, b) => a.lastUsedMs - b.lastUsedMs),
  });
}
