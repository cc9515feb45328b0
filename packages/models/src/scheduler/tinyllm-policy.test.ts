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

  it("should load a model larger than the host beside a model expected back, with offloadHorizonMs", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    // A is called every 2 s; one Big call at 5 s.
    const trace = [...Array.from({ length: 10 }, (_, i) => call(i * 2000, `a${i}`, "A")), call(5000, "big", "Big")];
    const whole = recording(createTinyLLMPolicy());
    const wholeRun = simulatePlacement({ trace, setup, policy: whole.policy });
    // A's expected next use, from its calls in the last 10 s, is within the horizon.
    const shared = recording(createTinyLLMPolicy({ offloadHorizonMs: 30_000, rateWindowMs: 10_000 }));
    const sharedRun = simulatePlacement({ trace, setup, policy: shared.policy });
    // Without it, Big takes the whole host: A is evicted and loaded again.
    expect(whole.decisions.filter((d) => d.kind === "evict").map((d) => d.kind === "evict" && d.model)).toEqual(["A", "Big"]);
    expect(wholeRun.summary.loads).toBe(3);
    // With it, Big gets the 300 MB left beside A, and A's calls never wait.
    expect(shared.decisions.filter((d) => d.kind === "load")).toEqual([
      { kind: "load", host: "gpu0", model: "A" },
      { kind: "load", host: "gpu0", model: "Big", gpuMB: 300 },
    ]);
    expect(sharedRun.summary.evictions).toBe(0);
    expect(Math.max(...sharedRun.calls.filter((c) => c.model === "A" && c.id > 0).map((c) => c.waitMs))).toBe(0);
    expect(Math.max(...wholeRun.calls.filter((c) => c.model === "A").map((c) => c.waitMs))).toBeGreaterThan(0);
  });

  it("should take the whole host for a model larger than it when nothing expected back would be evicted", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    // A once, then Big long after: A is not expected back within the horizon.
    const tiny = recording(createTinyLLMPolicy({ offloadHorizonMs: 30_000, rateWindowMs: 10_000 }));
    simulatePlacement({ trace: [call(0, "a", "A"), call(60_000, "big", "Big")], setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu0", model: "Big" }]);
  });

  it("should load a model larger than the host beside a pin, however rarely the pin is called", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: { P: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = [call(60_000, "big", "Big"), call(120_000, "p", "P")];
    const plain = recording(createTinyLLMPolicy({ pinned: ["P"] }));
    simulatePlacement({ trace, setup, policy: plain.policy });
    expect(plain.decisions.filter((d) => d.kind === "evict").map((d) => d.kind === "evict" && d.model)).toEqual(["P", "Big"]);
    const shared = recording(createTinyLLMPolicy({ pinned: ["P"], offloadHorizonMs: 30_000 }));
    const { calls } = simulatePlacement({ trace, setup, policy: shared.policy });
    expect(shared.decisions.filter((d) => d.kind === "evict")).toEqual([]);
    expect(shared.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu0", model: "Big", gpuMB: 300 }]);
    expect(calls[1]?.waitMs).toBe(0);
  });

  it("should evict for a partial load only the models not expected back within the horizon", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: Object.fromEntries(
        [
          ["A", 100],
          ["B", 100],
          ["Big", 500],
        ].map(([m, sizeMB]) => [m, { sizeMB: Number(sizeMB), loadMs: 1000, tokensPerSecond: 1000 }]),
      ),
    };
    // B once at the start; A every 2 s; Big at 13 s, when B has had no call for 10 s.
    const trace = [call(0, "b", "B"), ...Array.from({ length: 10 }, (_, i) => call(i * 2000, `a${i}`, "A")), call(13_000, "big", "Big")];
    const tiny = recording(createTinyLLMPolicy({ offloadHorizonMs: 30_000, rateWindowMs: 10_000 }));
    const { calls } = simulatePlacement({ trace, setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "evict")).toEqual([{ kind: "evict", host: "gpu0", model: "B" }]);
    expect(tiny.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu0", model: "Big", gpuMB: 300 }]);
    // Once started, A's calls never wait, neither for Big's load nor after it.
    expect(Math.max(...calls.filter((c) => c.model === "A" && c.releasedMs >= 4000).map((c) => c.waitMs))).toBe(0);
  });

  it("should not make a partial load of a model that cannot have one, nor where a host could hold it whole", () => {
    const trace = [...Array.from({ length: 10 }, (_, i) => call(i * 2000, `a${i}`, "A")), call(5000, "big", "Big")];
    const models = (big: PlacementSetup["models"][string]): PlacementSetup["models"] => ({ A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: big });
    const options = { offloadHorizonMs: 30_000, rateWindowMs: 10_000 };
    const fixed = recording(createTinyLLMPolicy(options));
    simulatePlacement({
      trace,
      setup: { hosts: [{ name: "gpu0", vramMB: 400 }], models: models({ sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000, partialOffload: false }) },
      policy: fixed.policy,
    });
    expect(fixed.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu0", model: "Big" }]);
    // gpu1 holds Big whole: it goes there, not partly onto gpu0.
    const mixed = recording(createTinyLLMPolicy(options));
    simulatePlacement({
      trace,
      setup: {
        hosts: [
          { name: "gpu0", vramMB: 400 },
          { name: "gpu1", vramMB: 600 },
        ],
        models: models({ sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 }),
      },
      policy: mixed.policy,
    });
    expect(mixed.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu1", model: "Big" }]);
  });

  it("should refuse a bad offloadHorizonMs or minGpuShare", () => {
    expect(() => createTinyLLMPolicy({ minGpuShare: 0 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => createTinyLLMPolicy({ offloadHorizonMs: -1 })).toThrow(/offloadHorizonMs must be/);
  });

  it("should not hold a batch call for company when its model can load beside the others", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = [...Array.from({ length: 100 }, (_, i) => call(i * 2000, `a${i}`, "A")), call(5000, "big", "Big", 100, "batch")];
    const big = (options: Parameters<typeof createTinyLLMPolicy>[0]) =>
      simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ rateWindowMs: 10_000, ...options }) }).calls.find((c) => c.model === "Big");
    // Taking the whole host, the batch call waits wholeHostBatchHoldMs (2 min) for company.
    expect(big({})?.startedMs).toBeGreaterThanOrEqual(5000 + 120_000);
    // Loading beside A evicts nothing expected back: it loads at once.
    expect(big({ offloadHorizonMs: 30_000 })?.startedMs).toBeLessThan(5000 + 2000);
  });

  it("should still hold a batch call for company when its partial load would evict a model expected back before the hold ends", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: {
        A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 },
        C: { sizeMB: 200, loadMs: 1000, tokensPerSecond: 1000 },
        Big: { sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 },
      },
    };
    // A every 2 s; C every 30 s (expected back in about 100 s: beyond the 30 s horizon, within
    // the 2 min hold); a batch call for Big at 70 s would evict C for its share.
    const trace = [
      ...Array.from({ length: 150 }, (_, i) => call(i * 2000, `a${i}`, "A")),
      ...Array.from({ length: 10 }, (_, i) => call(i * 30_000, `c${i}`, "C")),
      call(70_000, "big", "Big", 100, "batch"),
    ].sort((x, y) => x.t - y.t);
    const { calls } = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ offloadHorizonMs: 30_000 }) });
    expect(calls.find((c) => c.model === "Big")?.startedMs).toBeGreaterThanOrEqual(70_000 + 120_000);
  });

  it("should not load a partial share below minGpuShare", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 400 }],
      models: { A: { sizeMB: 300, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 500, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = [...Array.from({ length: 10 }, (_, i) => call(i * 2000, `a${i}`, "A")), call(5000, "big", "Big")];
    // 100 MB beside A is 20% of Big: below the default 50%, so Big takes the whole host.
    const tiny = recording(createTinyLLMPolicy({ offloadHorizonMs: 30_000, rateWindowMs: 10_000 }));
    simulatePlacement({ trace, setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu0", model: "Big" }]);
    const low = recording(createTinyLLMPolicy({ offloadHorizonMs: 30_000, rateWindowMs: 10_000, minGpuShare: 0.2 }));
    simulatePlacement({ trace, setup, policy: low.policy });
    expect(low.decisions.filter((d) => d.kind === "load" && d.model === "Big")).toEqual([{ kind: "load", host: "gpu0", model: "Big", gpuMB: 100 }]);
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

  it("should start a whole-host load for a batch call only after it has waited wholeHostBatchHoldMs", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 300, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = [call(0, "r1", "A"), call(2000, "r2", "Big", 100, "batch")];
    const { calls } = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ wholeHostBatchHoldMs: 8000 }) });
    expect(calls[1]?.startedMs).toBe(2000 + 8000 + 1000);
    const interactive = simulatePlacement({
      trace: [trace[0] as TraceCall, call(2000, "r2", "Big")],
      setup,
      policy: createTinyLLMPolicy({ wholeHostBatchHoldMs: 8000 }),
    });
    expect(interactive.calls[1]?.startedMs).toBe(2000 + 1000);
  });
  /**
   * One host of 200 MB: A (100 MB, 1 token = 1 ms) and Big, which needs the whole host and is
   * partly offloaded (its 100 MB on the CPU make 1 token = 5 ms).
   */
  const wholeHostSetup: PlacementSetup = {
    hosts: [{ name: "gpu0", vramMB: 200 }],
    models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 300, loadMs: 1000, tokensPerSecond: 1e9 } },
  };

  it("should not let a batch call hold a whole-host model while an interactive call waits for the host", () => {
    // The interactive Big call runs from 1 s to 6 s; a batch Big call waits from 0.5 s; an
    // interactive A call arrives at 2 s.
    const trace = [call(0, "r1", "Big", 1000), call(500, "r2", "Big", 20, "batch"), call(2000, "r3", "A")];
    const yielding = simulatePlacement({ trace, setup: wholeHostSetup, policy: createTinyLLMPolicy({ wholeHostBatchHoldMs: 0 }) });
    // Big is drained at 6 s, A loads and runs; the batch call then loads Big again.
    expect(yielding.calls[2]?.startedMs).toBeCloseTo(7000);
    expect(yielding.calls[1]?.startedMs).toBeGreaterThan(yielding.calls[2]?.finishedMs ?? Infinity);
    // Without giving way, the batch call rides the loaded Big first and A waits for it.
    const riding = simulatePlacement({ trace, setup: wholeHostSetup, policy: createTinyLLMPolicy({ wholeHostBatchHoldMs: 0, batchYieldMs: 0 }) });
    expect(riding.calls[1]?.startedMs).toBeCloseTo(6000);
    expect(riding.calls[2]?.startedMs).toBeCloseTo(7100);
  });

  it("should give way to interactive calls for at most batchYieldMs", () => {
    // Interactive A calls of 1 s arrive every 0.9 s from 0: one always waits. A batch Big call
    // waits from 0.1 s; it ranks as if released 2 s later.
    const trace = [call(100, "b", "Big", 20, "batch"), ...Array.from({ length: 40 }, (_, i) => call(i * 900, `i${i}`, "A", 1000))].sort((x, y) => x.t - y.t);
    const batchId = trace.findIndex((c) => c.run === "b");
    const options = { wholeHostBatchHoldMs: 0, batchAgingMs: 2000 };
    const bounded = simulatePlacement({ trace, setup: wholeHostSetup, policy: createTinyLLMPolicy({ ...options, batchYieldMs: 5000 }) });
    // It gives way until 5.1 s, then drains the host (the A call in flight ends) and loads Big.
    expect(bounded.calls[batchId]?.startedMs).toBeGreaterThanOrEqual(5100 + 1000);
    expect(bounded.calls[batchId]?.startedMs).toBeLessThanOrEqual(5100 + 1000 + 1000);
    const unbounded = simulatePlacement({ trace, setup: wholeHostSetup, policy: createTinyLLMPolicy({ ...options, batchYieldMs: 1e9 }) });
    expect(unbounded.calls[batchId]?.startedMs).toBeGreaterThan(36_000);
  });

  it("should serve the batch call a whole-host load was started for, even if an interactive call arrives during the load", () => {
    // Big loads from 0 s to 1 s for a batch call; an interactive A call arrives at 0.5 s.
    const trace = [call(0, "b", "Big", 20, "batch"), call(500, "i", "A")];
    const tiny = recording(createTinyLLMPolicy({ wholeHostBatchHoldMs: 0 }));
    const { calls, summary } = simulatePlacement({ trace, setup: wholeHostSetup, policy: tiny.policy });
    expect(calls[0]?.startedMs).toBe(1000);
    expect(calls[1]?.startedMs).toBeCloseTo(1100 + 1000);
    expect(summary.loads).toBe(2);
  });

  it("should not start a batch call on a model being drained for an interactive call", () => {
    // One slot. A is busy until 5 s; a batch A call waits from 0.5 s and (aged 0.1 s) ranks
    // before the interactive B call that waits from 1 s and needs A's room.
    const trace = [call(0, "r1", "A", 4000), call(500, "r2", "A", 100, "batch"), call(1000, "r3", "B")];
    const setup = setupWith(["A", "B"], 1);
    const yielding = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchAgingMs: 100 }) });
    expect(yielding.calls[2]?.startedMs).toBe(6000);
    expect(yielding.calls[1]?.startedMs).toBeGreaterThan(yielding.calls[2]?.finishedMs ?? Infinity);
    const old = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchAgingMs: 100, batchYieldMs: 0 }) });
    expect(old.calls[1]?.startedMs).toBe(5000);
    expect(old.calls[2]?.startedMs).toBe(6100);
  });

  it("should let a batch call wait for a ride rather than evict a model that is expected back", () => {
    // Two slots. Interactive A and B calls alternate every second; a batch C call arrives at
    // 0.5 s and an interactive C call at 4.2 s. Evicting A or B for the batch call would cost
    // a reload at the next call; waiting lets it ride the load made for the interactive one.
    const trace = [
      ...Array.from({ length: 12 }, (_, i) => call(i * 1000, `i${i}`, i % 2 === 0 ? "A" : "B")),
      call(500, "b", "C", 100, "batch"),
      call(4200, "ic", "C"),
    ].sort((x, y) => x.t - y.t);
    const setup = setupWith(["A", "B", "C"]);
    const batchId = trace.findIndex((c) => c.run === "b");
    const icId = trace.findIndex((c) => c.run === "ic");
    // A 5 s rate window: A and B, called every 2 s, are expected back within batchAgingMs.
    const waiting = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchYieldMs: 0, rateWindowMs: 5000 }) });
    const eager = simulatePlacement({ trace, setup, policy: createTinyLLMPolicy({ batchYieldMs: 0, rateWindowMs: 5000, batchAgingMs: 0 }) });
    expect(waiting.calls[batchId]?.startedMs).toBeGreaterThanOrEqual(waiting.calls[icId]?.startedMs ?? Infinity);
    expect(eager.calls[batchId]?.startedMs).toBeLessThanOrEqual(2000);
    expect(waiting.summary.loads).toBeLessThan(eager.summary.loads);
  });

  it("should run cpuModels on the host's CPU, where a model larger than the card does not displace them", () => {
    // 200 MB of VRAM, 100 MB of system memory for models. R (the router) runs on the CPU; J
    // (300 MB) needs the whole card; S fits the card.
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200, ramMB: 100 }],
      models: { R: { sizeMB: 100, loadMs: 100 }, S: { sizeMB: 100, loadMs: 1000 }, J: { sizeMB: 300, loadMs: 1000 } },
    };
    const trace = [call(0, "r1", "S", 100), call(2000, "r2", "J", 2000), call(3500, "r3", "R", 10), call(3600, "r4", "S", 10)];
    const tiny = recording(createTinyLLMPolicy({ pinned: ["R"], cpuModels: ["R"] }));
    const { calls } = simulatePlacement({ trace, setup, policy: tiny.policy });
    const loads = tiny.decisions.filter((d) => d.kind === "load");
    expect(loads.filter((d) => d.model === "R")).toEqual([{ kind: "load", host: "gpu0", model: "R", onCpu: true }]);
    expect(tiny.decisions.some((d) => d.kind === "evict" && d.model === "R")).toBe(false);
    // J evicts S, not R; the router call runs on the CPU while J holds the card ...
    expect(tiny.decisions).toContainEqual({ kind: "evict", host: "gpu0", model: "S" });
    const j = calls[1] as NonNullable<(typeof calls)[number]>;
    const r = calls[2] as NonNullable<(typeof calls)[number]>;
    expect(r.waitMs).toBe(0);
    expect(r.startedMs).toBeLessThan(j.finishedMs);
    // ... and the S call waits for the card.
    expect(calls[3]?.startedMs).toBeGreaterThanOrEqual(j.finishedMs);
    // On a host without system memory for models, R runs on the GPU, and J must evict it.
    const noRam = recording(createTinyLLMPolicy({ pinned: ["R"], cpuModels: ["R"] }));
    simulatePlacement({ trace, setup: { ...setup, hosts: [{ name: "gpu0", vramMB: 200 }] }, policy: noRam.policy });
    expect(noRam.decisions).toContainEqual({ kind: "load", host: "gpu0", model: "R" });
    expect(noRam.decisions).toContainEqual({ kind: "evict", host: "gpu0", model: "R" });
  });

  it("should run a CPU model on the host's GPU when it cannot fit the CPU beside the pins there", () => {
    // 100 MB of system memory, held by the pinned router R: C (a CPU model too) goes to the GPU
    // of the same host instead of waiting for memory that never frees.
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200, ramMB: 100 }],
      models: { R: { sizeMB: 100, loadMs: 100 }, C: { sizeMB: 100, loadMs: 100 } },
    };
    const trace = [call(0, "r1", "R", 10), call(1000, "r2", "C", 10)];
    const tiny = recording(createTinyLLMPolicy({ pinned: ["R"], cpuModels: ["R", "C"] }));
    const { calls } = simulatePlacement({ trace, setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "load")).toEqual([
      { kind: "load", host: "gpu0", model: "R", onCpu: true },
      { kind: "load", host: "gpu0", model: "C" },
    ]);
    expect(calls[1]?.waitMs).toBe(100);
  });

  it("should wait for a CPU host busy loading rather than put a CPU model on a GPU", () => {
    // cpu0 (system memory only) takes both CPU models, one load at a time; gpu0 has room too.
    const setup: PlacementSetup = {
      hosts: [
        { name: "gpu0", vramMB: 1000 },
        { name: "cpu0", vramMB: 0, ramMB: 1000 },
      ],
      models: { R: { sizeMB: 100, loadMs: 100 }, C: { sizeMB: 100, loadMs: 100 } },
    };
    const trace = [call(0, "r1", "R", 10), call(0, "r2", "C", 10)];
    const tiny = recording(createTinyLLMPolicy({ cpuModels: ["R", "C"] }));
    const { calls } = simulatePlacement({ trace, setup, policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "load")).toEqual([
      { kind: "load", host: "cpu0", model: "R", onCpu: true },
      { kind: "load", host: "cpu0", model: "C", onCpu: true },
    ]);
    expect(calls.map((c) => c.host)).toEqual(["cpu0", "cpu0"]);
  });

  it("should evict a pin on a GPU when no host has room for a call otherwise, instead of leaving it waiting for good", () => {
    // Two pins fill the only host; A can only run if one of them goes.
    const trace = [call(0, "r0", "P"), call(5000, "r1", "A"), call(10_000, "r2", "Q")];
    const tiny = recording(createTinyLLMPolicy({ pinned: ["P", "Q"] }));
    const { calls } = simulatePlacement({ trace, setup: setupWith(["P", "Q", "A"]), policy: tiny.policy });
    expect(calls[1]?.finishedMs).toBeGreaterThan(0);
    expect(tiny.decisions.filter((d) => d.kind === "evict")).toHaveLength(2);
    expect(calls[1]?.waitMs).toBe(1000);
  });

  it("should wait for a busy model to drain rather than evict a pin", () => {
    // P (pinned) and B fill the host; A can go once B's long call is done, so P stays.
    const trace = [call(0, "r0", "B", 5000), call(1000, "r1", "A")];
    const tiny = recording(createTinyLLMPolicy({ pinned: ["P"] }));
    const { calls } = simulatePlacement({ trace, setup: setupWith(["P", "B", "A"]), policy: tiny.policy });
    expect(tiny.decisions.filter((d) => d.kind === "evict")).toEqual([{ kind: "evict", host: "gpu0", model: "B" }]);
    expect(calls[1]?.startedMs).toBeGreaterThanOrEqual(calls[0]?.finishedMs ?? Number.POSITIVE_INFINITY);
  });

  it("should not evict a pin while another host is loading a model that could make room", () => {
    const resident = (model: string, usedMB: number, loading = false) => ({ model, usedMB, loading, inFlight: 0, loadedAtMs: 0, lastUsedMs: 0 });
    const view = {
      nowMs: 1000,
      hosts: [
        { name: "A", capacityMB: 8000, loaded: [resident("T1", 5000, true)] },
        { name: "B", capacityMB: 8000, loaded: [resident("T0", 1000), resident("T3", 7000)] },
      ],
      waiting: [
        { id: 1, run: "r1", model: "T1", priority: "interactive" as const, tokens: 10, releasedMs: 900 },
        { id: 2, run: "r2", model: "T2", priority: "interactive" as const, tokens: 10, releasedMs: 1000 },
      ],
      announced: [],
      models: {
        T0: { sizeMB: 1000, loadMs: 1000 },
        T1: { sizeMB: 5000, loadMs: 3000 },
        T2: { sizeMB: 5000, loadMs: 3000 },
        T3: { sizeMB: 7000, loadMs: 8000 },
      },
    };
    // T2 waits for A's load (T1 can go once its call is done) instead of evicting the pinned T3.
    expect(createTinyLLMPolicy({ pinned: ["T0", "T3"] }).decide(view)).toEqual([]);
  });
});
