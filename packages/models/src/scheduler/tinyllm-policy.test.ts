import { describe, expect, it } from "vitest";
import { createLruPolicy } from "./lru-policy";
import type { PlacementDecision, PlacementPolicy } from "./placement-policy";
import { simulatePlacement } from "./simulate-placement";
import { createTinyLLMPolicy } from "./tinyllm-policy";
import type { PlacementSetup, TraceCall } from "./trace";

/** One host with room for `slots` models of 100 MB; loads take 1 s; 1 token = 1 ms. */
function setupWith(models: string[], slots = 2): PlacementSetup {
  return {
    hosts: [{ name: "gpu0", vramMB: 100 * slots }],
    models: Object.fromEntries(models.map((m) => [m, { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }])),
  };
}

/** Wraps a policy to keep every decision it returns. */
function recording(policy: PlacementPolicy): { policy: PlacementPolicy; decisions: PlacementDecision[] } {
  const decisions: PlacementDecision[] = [];
  return { decisions, policy: { name: policy.name, decide: (view) => policy.decide(view).map((d) => (decisions.push(d), d)) } };
}

const call = (t: number, run: string, model: string, tokens = 100, priority: "interactive" | "batch" = "interactive"): TraceCall => ({
  t,
  run,
  model,
  priority,
  tokens,
});

describe("createTinyLLMPolicy", () => {
  it("should never evict a pinned model, which LRU does", () => {
    const trace = [call(0, "r0", "P"), ...["A", "B", "A", "B", "A"].map((m, i) => call(10_000 * (i + 1), `r${i + 1}`, m))];
    const setup = setupWith(["P", "A", "B"]);
    const tiny = recording(createTinyLLMPolicy({ pinned: ["P"] }));
    simulatePlacement({ trace, setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "evict" && d.model === "P")).toEqual([]);
    expect(tiny.decisions.filter((d) => d.kind === "load" && d.model === "P")).toHaveLength(1);
    const lru = recording(createLruPolicy());
    simulatePlacement({ trace, setup, policy: lru.policy });
    expect(lru.decisions.some((d) => d.kind === "evict" && d.model === "P")).toBe(true);
  });

  it("should load pinned models before any call asks for them", () => {
    const { calls } = simulatePlacement({ trace: [call(5000, "r", "P")], setup: setupWith(["P"]), policy: createTinyLLMPolicy({ pinned: ["P"] }) });
    expect(calls[0]?.waitMs).toBe(0);
  });

  it("should evict the idle model, not the one with a call in flight", () => {
    // A runs from 1 s to 11 s; B was used and is idle; C arrives at 5 s.
    const trace = [call(0, "r1", "A", 10_000), call(0, "r2", "B", 100), call(5000, "r3", "C")];
    const tiny = recording(createTinyLLMPolicy());
    const { calls } = simulatePlacement({ trace, setup: setupWith(["A", "B", "C"]), policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "evict")).toEqual([{ kind: "evict", host: "gpu0", model: "B" }]);
    expect(calls[2]?.startedMs).toBe(6000);
  });

  it("should drain a busy model for the most urgent call: no new calls start on it meanwhile", () => {
    // One slot. A is busy until 6 s; B waits from 1.5 s; another A call arrives at 2 s.
    const trace = [call(0, "r1", "A", 5000), call(1500, "r2", "B"), call(2000, "r3", "A")];
    const { calls } = simulatePlacement({ trace, setup: setupWith(["A", "B"], 1), policy: createTinyLLMPolicy() });
    expect(calls[1]?.startedMs).toBe(7000);
    expect(calls[2]?.startedMs).toBeGreaterThan(calls[1]?.finishedMs ?? Infinity);
  });

  it("should serve interactive calls before batch ones released earlier", () => {
    const trace = [call(0, "r1", "A", 2000), call(100, "r2", "A", 100, "batch"), call(200, "r3", "A")];
    const { calls } = simulatePlacement({ trace, setup: setupWith(["A"]), policy: createTinyLLMPolicy() });
    expect(calls[2]?.startedMs).toBe(3000);
    expect(calls[1]?.startedMs).toBe(3100);
  });

  it("should serve a batch call after bounded waiting under a steady stream of interactive calls", () => {
    // Interactive calls of 1 s arrive every 0.9 s: the queue never empties.
    const trace = [call(0, "b", "A", 1000, "batch"), ...Array.from({ length: 60 }, (_, i) => call(1 + i * 900, `i${i}`, "A", 1000))];
    const setup = setupWith(["A"]);
    const aged = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchAgingMs: 5000 }) });
    const unaged = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchAgingMs: 1e9 }) });
    expect(aged.calls[0]?.waitMs).toBeLessThanOrEqual(5000 + 1000 + 1000);
    expect(unaged.calls[0]?.waitMs).toBeGreaterThan(30_000);
  });

  it("should prefetch the model of a run's announced next call", () => {
    // The router call (R, 2 s) announces the specialist call (S) of the same run.
    const trace = [call(0, "r", "R", 2000), call(0, "r", "S")];
    const setup = setupWith(["R", "S"]);
    const withPrefetch = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy() });
    const without = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ prefetch: false }) });
    expect(withPrefetch.calls[1]?.waitMs).toBe(0);
    expect(without.calls[1]?.waitMs).toBe(1000);
  });

  it("should evict the model used least often recently, by its expected next use", () => {
    // A is called often, B once; C needs room: TinyLLM evicts B, LRU evicts A (used before B).
    const trace = [call(0, "a1", "A"), call(1200, "a2", "A"), call(1400, "a3", "A"), call(1600, "b1", "B"), call(20_000, "c1", "C")];
    const setup = setupWith(["A", "B", "C"]);
    const tiny = recording(createTinyLLMPolicy());
    simulatePlacement({ trace, setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "evict").map((d) => d.kind === "evict" && d.model)).toEqual(["B"]);
    const lru = recording(createLruPolicy());
    simulatePlacement({ trace, setup, policy: lru.policy });
    expect(lru.decisions.filter((d) => d.kind === "evict").map((d) => d.kind === "evict" && d.model)).toEqual(["A"]);
  });

  it("should evict a pinned model only for a model larger than the host", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { P: { sizeMB: 100, loadMs: 1000 }, Big: { sizeMB: 300, loadMs: 1000 } },
    };
    const tiny = recording(createTinyLLMPolicy({ pinned: ["P"] }));
    const { summary } = simulatePlacement({ trace: [call(0, "r1", "P"), call(10_000, "r2", "Big"), call(30_000, "r3", "P")], setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "evict").map((d) => d.kind === "evict" && d.model)).toEqual(["P", "Big"]);
    expect(summary.loads).toBe(3);
  });

  it("should hold a call for a whole-host model until others can share its load", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 300, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = [call(0, "r1", "A"), call(2000, "r2", "Big"), call(3000, "r3", "A"), call(6000, "r4", "Big"), call(12_000, "r5", "A")];
    const eager = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy() });
    const held = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ wholeHostDelayMs: 5000 }) });
    expect(eager.summary.loads).toBe(5);
    expect(held.summary.loads).toBe(3);
    expect(held.calls[3]?.startedMs).toBeGreaterThan(8000);
    expect(held.calls[3]?.startedMs).toBeLessThan(9000);
    // The first Big call waits the 5 s hold plus the load; the simulator woke the policy then.
    expect(held.calls[1]?.startedMs).toBe(2000 + 5000 + 1000);
  });

  it("should start a whole-host load for a batch call only after it has waited batchAgingMs", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 300, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = [call(0, "r1", "A"), call(2000, "r2", "Big", 100, "batch")];
    const { calls } = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchAgingMs: 8000 }) });
    expect(calls[1]?.startedMs).toBe(2000 + 8000 + 1000);
    const interactive = simulatePlacement({
      trace: [trace[0] as TraceCall, call(2000, "r2", "Big")],
      setup,
      policy: createTinyLLMPolicy({ batchAgingMs: 8000 }),
    });
    expect(interactive.calls[1]?.startedMs).toBe(2000 + 1000);
  });
});
