import { describe, expect, it } from "vitest";
import { createBeladyPolicy } from "./belady-policy";
import { createLruPolicy } from "./lru-policy";
import { createOllamaPolicy } from "./ollama-policy";
import type { PlacementDecision, PlacementPolicy } from "./placement-policy";
import { percentile, simulatePlacement } from "./simulate-placement";
import type { PlacementSetup, TraceCall } from "./trace";

/** One host with room for `slots` models of 100 MB; loads take 1 s; 1 token = 1 ms. */
function setupWith(models: string[], { slots = 2, hosts = 1 } = {}): PlacementSetup {
  return {
    hosts: Array.from({ length: hosts }, (_, i) => ({ name: `gpu${i}`, vramMB: 100 * slots })),
    models: Object.fromEntries(models.map((m) => [m, { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }])),
  };
}

/** One call per model name, 10 s apart, each its own run. */
function sequence(models: string[], { gapMs = 10_000, tokens = 100 } = {}): TraceCall[] {
  return models.map((model, i) => ({ t: i * gapMs, run: `r${i}`, model, priority: "interactive", tokens }));
}

describe("simulatePlacement", () => {
  it("should beat LRU with Belady on the classic cyclic sequence", () => {
    const trace = sequence(["A", "B", "C", "A", "B", "C"]);
    const setup = setupWith(["A", "B", "C"]);
    const lru = simulatePlacement({ trace, setup, policy: createLruPolicy() }).summary;
    const belady = simulatePlacement({ trace, setup, policy: createBeladyPolicy({ trace }) }).summary;
    expect(lru.loads).toBe(6);
    expect(belady.loads).toBe(4);
    expect(belady.totalLoadMs).toBe(4000);
  });

  it("should release a run's next call when its previous call finishes", () => {
    const trace: TraceCall[] = [
      { t: 0, run: "r", model: "A", priority: "interactive", tokens: 500 },
      { t: 100, run: "r", model: "A", priority: "interactive", tokens: 100 },
    ];
    const { calls, summary } = simulatePlacement({ trace, setup: setupWith(["A"]), policy: createLruPolicy() });
    expect(calls[0]).toMatchObject({ startedMs: 1000, finishedMs: 1500, waitMs: 1000 });
    expect(calls[1]).toMatchObject({ releasedMs: 1500, startedMs: 1500, waitMs: 0 });
    // The run: from its first call's release to its last call's end.
    expect(summary.interactiveRunP95Ms).toBe(1600);
  });

  it("should reject a policy that evicts a model with a call in flight", () => {
    const evictBusy: PlacementPolicy = {
      name: "bad",
      decide(view) {
        const host = view.hosts[0];
        const busy = host?.loaded.find((m) => m.inFlight > 0);
        if (host && busy) return [{ kind: "evict", host: host.name, model: busy.model }];
        return createLruPolicy().decide(view);
      },
    };
    expect(() => simulatePlacement({ trace: sequence(["A"]), setup: setupWith(["A"]), policy: evictBusy })).toThrow("1 call(s) in flight");
  });

  it("should report a policy that leaves calls waiting forever", () => {
    const idle: PlacementPolicy = { name: "idle", decide: () => [] };
    expect(() => simulatePlacement({ trace: sequence(["A"]), setup: setupWith(["A"]), policy: idle })).toThrow("stalled: 1 call(s) wait");
  });

  it("should load a model larger than the host only on an empty host, slower", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 400, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    const trace = sequence(["A", "Big"]);
    const { calls, summary } = simulatePlacement({ trace, setup, policy: createLruPolicy() });
    expect(summary.evictions).toBe(1);
    // Half on the GPU at 1000 tok/s for the whole model, half on the CPU at 20 GB/s.
    const perTokenS = 0.5 / 1000 + 200 / 20_000;
    expect(calls[1]?.finishedMs).toBeCloseTo(10_000 + 1000 + 100 * perTokenS * 1000, 6);
  });

  it("should load a model larger than the host beside others with an explicit GPU share, slower still", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { A: { sizeMB: 100, loadMs: 1000, tokensPerSecond: 1000 }, Big: { sizeMB: 400, loadMs: 1000, tokensPerSecond: 1000 } },
    };
    // A stays; Big gets the 100 MB left beside it (Ollama's num_gpu).
    const sharing: PlacementPolicy = {
      name: "sharing",
      decide: (view) => {
        const host = view.hosts[0];
        const waiting = view.waiting[0];
        if (!host || !waiting) return [];
        const here = host.loaded.find((m) => m.model === waiting.model);
        if (here) return here.loading || here.inFlight > 0 ? [] : [{ kind: "start", host: "gpu0", callId: waiting.id }];
        if (host.loaded.some((m) => m.loading)) return [];
        return [{ kind: "load", host: "gpu0", model: waiting.model, ...(waiting.model === "Big" ? { gpuMB: 100 } : {}) }];
      },
    };
    const { calls, summary } = simulatePlacement({ trace: sequence(["A", "Big", "A"]), setup, policy: sharing });
    expect(summary).toMatchObject({ loads: 2, evictions: 0 });
    expect(calls[2]?.waitMs).toBe(0);
    // A quarter on the GPU at 1000 tok/s for the whole model, 300 MB from system memory at 20 GB/s.
    const perTokenS = 0.25 / 1000 + 300 / 20_000;
    expect(calls[1]?.finishedMs).toBeCloseTo(10_000 + 1000 + 100 * perTokenS * 1000, 6);
  });

  it("should reject a partial load whose GPU share does not fit, or is not a share", () => {
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 200 }],
      models: { A: { sizeMB: 100, loadMs: 1000 }, Big: { sizeMB: 400, loadMs: 1000 } },
    };
    const loading = (gpuMB: number): PlacementPolicy => ({
      name: `share ${gpuMB}`,
      decide: (view) => {
        const host = view.hosts[0];
        if (!host || host.loaded.some((m) => m.loading)) return [];
        if (!host.loaded.some((m) => m.model === "A")) return [{ kind: "load", host: "gpu0", model: "A" }];
        return host.loaded.some((m) => m.model === "Big") ? [] : [{ kind: "load", host: "gpu0", model: "Big", gpuMB }];
      },
    });
    const trace = sequence(["A"]);
    expect(() => simulatePlacement({ trace, setup, policy: loading(150) })).toThrow("load Big: does not fit gpu0 now");
    expect(() => simulatePlacement({ trace, setup, policy: loading(0) })).toThrow("gpuMB 0 must be more than 0");
    expect(() => simulatePlacement({ trace, setup, policy: loading(500) })).toThrow("at most its size, 400 MB");
  });

  it("should give nearest-rank percentiles", () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([], 0.95)).toBe(0);
  });
});

describe("createOllamaPolicy", () => {
  it("should block a loaded model's request while another model loads (ollama#5724)", () => {
    const trace: TraceCall[] = [
      { t: 0, run: "r1", model: "A", priority: "interactive", tokens: 100 },
      { t: 2000, run: "r2", model: "B", priority: "interactive", tokens: 100 },
      { t: 2100, run: "r3", model: "A", priority: "interactive", tokens: 100 },
    ];
    const setup = setupWith(["A", "B"], { slots: 3 });
    const ollama = simulatePlacement({ trace, setup, policy: createOllamaPolicy() }).calls;
    const lru = simulatePlacement({ trace, setup, policy: createLruPolicy() }).calls;
    expect(ollama[2]).toMatchObject({ startedMs: 3000, waitMs: 900 });
    expect(lru[2]).toMatchObject({ startedMs: 2100, waitMs: 0 });
  });

  it("should unload a model idle for longer than keep-alive", () => {
    const trace = sequence(["A", "A"], { gapMs: 6 * 60_000 });
    const setup = setupWith(["A"]);
    expect(simulatePlacement({ trace, setup, policy: createOllamaPolicy() }).summary.loads).toBe(2);
    expect(simulatePlacement({ trace, setup, policy: createOllamaPolicy({ keepAliveMs: 10 * 60_000 }) }).summary.loads).toBe(1);
  });

  it("should keep at most three models loaded per GPU even when more fit", () => {
    const trace = sequence(["A", "B", "C", "D", "A", "B", "C", "D"]);
    const setup = setupWith(["A", "B", "C", "D"], { slots: 10 });
    expect(simulatePlacement({ trace, setup, policy: createLruPolicy() }).summary.loads).toBe(4);
    expect(simulatePlacement({ trace, setup, policy: createOllamaPolicy() }).summary.loads).toBeGreaterThan(4);
    expect(simulatePlacement({ trace, setup, policy: createOllamaPolicy({ maxLoadedPerHost: 4 }) }).summary.loads).toBe(4);
  });

  it("should serve each model's requests one at a time, in order", () => {
    const trace: TraceCall[] = [
      { t: 0, run: "r1", model: "A", priority: "batch", tokens: 1000 },
      { t: 10, run: "r2", model: "A", priority: "interactive", tokens: 100 },
    ];
    const { calls } = simulatePlacement({ trace, setup: setupWith(["A"]), policy: createOllamaPolicy() });
    expect(calls[0]?.startedMs).toBe(1000);
    expect(calls[1]?.startedMs).toBe(2000);
  });

  it("should wait for a busy model to drain before evicting it", () => {
    const decisions: PlacementDecision[] = [];
    const ollama = createOllamaPolicy();
    const recording: PlacementPolicy = { name: "ollama", decide: (view) => ollama.decide(view).map((d) => (decisions.push(d), d)) };
    const trace: TraceCall[] = [
      { t: 0, run: "r1", model: "A", priority: "interactive", tokens: 5000 },
      { t: 1500, run: "r2", model: "B", priority: "interactive", tokens: 100 },
    ];
    const { calls } = simulatePlacement({ trace, setup: setupWith(["A", "B"], { slots: 1 }), policy: recording });
    expect(decisions.filter((d) => d.kind === "evict")).toEqual([{ kind: "evict", host: "gpu0", model: "A" }]);
    expect(calls[1]?.startedMs).toBe(6000 + 1000);
  });

  it("should keep a model on the CPU out of VRAM, and share system memory bandwidth between calls that read it", () => {
    // 100 MB of VRAM: B (100 MB) fits beside A only because A runs on the CPU. Rates from the
    // bandwidths: A on the CPU alone 20,000 MB/s / 100 MB = 200 tokens/s; while the 150 MB model
    // C (partly offloaded: 50 MB in system memory) runs too, each gets half of that bandwidth.
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 100, ramMB: 100 }],
      models: { A: { sizeMB: 100, loadMs: 0 }, B: { sizeMB: 100, loadMs: 0 }, C: { sizeMB: 150, loadMs: 0 } },
    };
    const cpuA: PlacementPolicy = {
      name: "cpu-a",
      decide(view) {
        const host = view.hosts[0] as NonNullable<(typeof view.hosts)[number]>;
        const decisions: PlacementDecision[] = [];
        const has = (m: string) => host.loaded.some((l) => l.model === m);
        if (!has("A")) return [{ kind: "load", host: "gpu0", model: "A", onCpu: true }];
        const waitingFor = view.waiting.find((w) => w.model !== "A" && !has(w.model));
        if (waitingFor && !host.loaded.some((l) => l.loading)) {
          const gpu = host.loaded.find((l) => !l.onCpu);
          if (gpu && gpu.inFlight === 0) decisions.push({ kind: "evict", host: "gpu0", model: gpu.model });
          if (!gpu || gpu.inFlight === 0) decisions.push({ kind: "load", host: "gpu0", model: waitingFor.model });
        }
        for (const w of view.waiting) {
          const m = host.loaded.find((l) => l.model === w.model && !l.loading && l.inFlight === 0);
          if (m && !decisions.some((d) => d.kind === "start" && view.waiting.find((x) => x.id === d.callId)?.model === w.model))
            decisions.push({ kind: "start", host: "gpu0", callId: w.id });
        }
        return decisions;
      },
    };
    const trace: TraceCall[] = [
      { t: 0, run: "a", model: "A", priority: "interactive", tokens: 100 },
      { t: 0, run: "b", model: "B", priority: "interactive", tokens: 100 },
      { t: 1000, run: "c", model: "C", priority: "interactive", tokens: 10 },
      { t: 1000, run: "a2", model: "A", priority: "interactive", tokens: 100 },
    ];
    const { calls, summary } = simulatePlacement({ trace, setup, policy: cpuA });
    // A and B start together: A did not take B's VRAM.
    expect(calls[0]).toMatchObject({ startedMs: 0, finishedMs: 500 });
    expect(calls[1]?.startedMs).toBe(0);
    expect(summary.loads).toBe(3);
    // C (150 MB, 100 on the GPU, 50 read from system memory) and the second A call share the
    // CPU bandwidth: C alone would take 10 × (100/180,000 + 50/20,000) s ≈ 30.6 ms.
    const alone = 10 * (100 / 180_000 + 50 / 20_000) * 1000;
    const c = calls[2] as NonNullable<(typeof calls)[number]>;
    const a2 = calls[3] as NonNullable<(typeof calls)[number]>;
    expect(c.startedMs).toBe(a2.startedMs);
    expect(c.finishedMs - c.startedMs).toBeGreaterThan(alone * 1.5);
    // Once C is done, A has system memory to itself again: faster than sharing throughout
    // (1,000 ms for 100 tokens at 100 tokens/s), slower than alone (500 ms).
    expect(a2.finishedMs - a2.startedMs).toBeGreaterThan(500);
    expect(a2.finishedMs - a2.startedMs).toBeLessThan(1000);
  });

  it("should share system memory bandwidth per model: calls that decode together on one model read it once", () => {
    // A on the CPU serves two calls at once (parallel 2): each runs at A's full CPU rate
    // (20,000 MB/s / 100 MB = 200 tokens/s), as one call alone does.
    const setup: PlacementSetup = {
      hosts: [{ name: "gpu0", vramMB: 100, ramMB: 100 }],
      models: { A: { sizeMB: 100, loadMs: 0, parallel: 2 } },
    };
    const policy: PlacementPolicy = {
      name: "cpu-a",
      decide(view) {
        const host = view.hosts[0] as NonNullable<(typeof view.hosts)[number]>;
        const a = host.loaded.find((l) => l.model === "A");
        if (!a) return [{ kind: "load", host: "gpu0", model: "A", onCpu: true }];
        if (a.loading) return [];
        return view.waiting.slice(0, 2 - a.inFlight).map((w) => ({ kind: "start", host: "gpu0", callId: w.id }) as PlacementDecision);
      },
    };
    const trace: TraceCall[] = [
      { t: 0, run: "a", model: "A", priority: "interactive", tokens: 100 },
      { t: 0, run: "b", model: "A", priority: "interactive", tokens: 100 },
    ];
    const { calls } = simulatePlacement({ trace, setup, policy });
    expect(calls.map((c) => [c.startedMs, c.finishedMs])).toEqual([
      [0, 500],
      [0, 500],
    ]);
  });

  it("should reject a load on the CPU of a host without system memory for it", () => {
    const setup: PlacementSetup = { hosts: [{ name: "gpu0", vramMB: 100 }], models: { A: { sizeMB: 100, loadMs: 0 } } };
    const policy: PlacementPolicy = {
      name: "cpu",
      decide: (view) => (view.hosts[0]?.loaded.length ? [] : [{ kind: "load", host: "gpu0", model: "A", onCpu: true }]),
    };
    expect(() => simulatePlacement({ trace: sequence(["A"]), setup, policy })).toThrow("does not fit gpu0's CPU");
  });
});
