/**
 * Belady's offline optimum, the limit the online policies are measured against.
 *
 * @module
 */
import { createDemandPagingPolicy } from "./demand-paging";
import type { PlacementPolicy } from "./placement-policy";
import type { TraceCall } from "./trace";

/**
 * Demand paging that knows the whole trace: it evicts the idle model whose next call (the
 * earliest `t` of its calls not released yet) is farthest away, never-again first. With one
 * host and calls one at a time this is the minimum number of loads (Belady's MIN); with
 * concurrency and several hosts it is a strong reference, not a proven optimum.
 */
export function createBeladyPolicy({ trace }: { trace: readonly TraceCall[] }): PlacementPolicy {
  const byModel = new Map<string, { id: number; t: number }[]>();
  trace.forEach((call, id) => {
    const list = byModel.get(call.model) ?? [];
    list.push({ id, t: call.t });
    byModel.set(call.model, list);
  });
  for (const list of byModel.values()) list.sort((a, b) => a.t - b.t || a.id - b.id);
  const cursor = new Map<string, number>();
  const seen = new Set<number>();
  const nextUseMs = (model: string, nowMs: number): number => {
    const list = byModel.get(model) ?? [];
    let at = cursor.get(model) ?? 0;
    while (at < list.length && seen.has((list[at] as { id: number }).id)) at++;
    cursor.set(model, at);
    const next = list[at];
    return next === undefined ? Number.POSITIVE_INFINITY : Math.max(nowMs, next.t);
  };
  const paging = createDemandPagingPolicy({
    name: "belady",
    evictionOrder: (candidates, view) =>
      [...candidates].sort((a, b) => {
        const [x, y] = [nextUseMs(a.model, view.nowMs), nextUseMs(b.model, view.nowMs)];
        return x === y ? 0 : x > y ? -1 : 1;
      }),
  });
  return {
    name: "belady",
    decide(view) {
      for (const call of view.waiting) seen.add(call.id);
      return paging.decide(view);
    },
  };
}
