/**
 * A discrete-event simulator that replays a request trace against a placement policy.
 *
 * @module
 */
import {
  fitsOn,
  fitsOnCpu,
  parallelOf,
  type AnnouncedCall,
  type HostView,
  type PlacementDecision,
  type PlacementPolicy,
  type PlacementView,
} from "./placement-policy";
import { tokensPerSecond } from "./tokens-per-second";
import type { CallPriority, PlacementSetup, TraceCall } from "./trace";

/** Options of {@link simulatePlacement}. */
export interface SimulatePlacementOptions {
  trace: readonly TraceCall[];
  setup: PlacementSetup;
  policy: PlacementPolicy;
  /** Times the policy is asked again at one instant before the simulator gives up (default 10,000). */
  maxDecisionRounds?: number;
}

/** What happened to one call. Waits run from release to start, so they include load time. */
export interface CallOutcome {
  id: number;
  run: string;
  model: string;
  priority: CallPriority;
  tokens: number;
  host: string;
  releasedMs: number;
  startedMs: number;
  finishedMs: number;
  waitMs: number;
}

/** The figures of one simulation. */
export interface PlacementSummary {
  policy: string;
  loads: number;
  totalLoadMs: number;
  evictions: number;
  interactiveCalls: number;
  batchCalls: number;
  /** Nearest-rank percentiles of the interactive calls' waits, in ms. */
  interactiveWaitP50Ms: number;
  interactiveWaitP95Ms: number;
  batchWaitP95Ms: number;
  batchWaitMaxMs: number;
  /**
   * Nearest-rank percentiles of the interactive runs' latency, in ms: from the release of a run's
   * first call to the end of its last, so waits and generation both count (a model on a slower
   * device shows here, not in the waits).
   */
  interactiveRunP50Ms: number;
  interactiveRunP95Ms: number;
  /** Batch tokens generated per second, from the first batch release to the last batch finish. */
  batchTokensPerSecond: number;
  /** From 0 to the last call's finish, in ms. */
  makespanMs: number;
}

/** The outcome of {@link simulatePlacement}. */
export interface PlacementResult {
  summary: PlacementSummary;
  calls: CallOutcome[];
}

interface Resident {
  model: string;
  usedMB: number;
  onCpu: boolean;
  readyAtMs: number;
  inFlight: number;
  loadedAtMs: number;
  lastUsedMs: number;
}

/** Nearest-rank percentile (`p` in 0..1) of `values`; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

/**
 * Replays `trace` on `setup` under `policy`. A run's calls are sequential: a call is released
 * at its `t` or when the run's previous call finishes, whichever is later. A call runs for
 * `tokens / rate` ({@link tokensPerSecond}); calls on different models of one host run side by
 * side, at full GPU speed, but the calls that read system memory at once (a model on the CPU,
 * the offloaded part of a partly offloaded model) share its bandwidth, so their rates
 * change as such calls start and end. Every decision is checked: evicting a loading or busy model, loading what does not
 * fit, or starting a call on a model that is not ready throws, as does a policy that leaves
 * calls waiting with nothing left to happen.
 */
export function simulatePlacement({ trace, setup, policy, maxDecisionRounds = 10_000 }: SimulatePlacementOptions): PlacementResult {
  const hosts = setup.hosts.map((h) => ({ name: h.name, capacityMB: h.vramMB - (h.reservedMB ?? 0), ramMB: h.ramMB ?? 0, loaded: [] as Resident[] }));
  const runCalls = new Map<string, number[]>();
  trace.forEach((call, id) => {
    if (!Object.hasOwn(setup.models, call.model)) throw new Error(`trace call ${id + 1}: model "${call.model}" is not in the set-up`);
    const ids = runCalls.get(call.run) ?? [];
    ids.push(id);
    runCalls.set(call.run, ids);
  });
  const positionInRun = new Map<number, number>();
  for (const ids of runCalls.values()) ids.forEach((id, i) => positionInRun.set(id, i));

  const pending: { id: number; atMs: number }[] = [...runCalls.values()].map((ids) => ({
    id: ids[0] as number,
    atMs: (trace[ids[0] as number] as TraceCall).t,
  }));
  const waiting: { id: number; releasedMs: number }[] = [];
  /** Running calls: tokens left at `sinceMs`, generated at `rate` tokens/s since then. */
  const running: { id: number; host: string; tokensLeft: number; rate: number; sinceMs: number; doneMs: number }[] = [];
  const current = new Map<string, number>();
  const outcomes: (CallOutcome | undefined)[] = Array.from({ length: trace.length });
  let loads = 0;
  let totalLoadMs = 0;
  let evictions = 0;
  let now = 0;

  const fail = (message: string): never => {
    throw new Error(`policy ${policy.name} at ${now} ms: ${message}`);
  };
  const hostNamed = (name: string) => hosts.find((h) => h.name === name) ?? fail(`no host "${name}"`);
  const hostView = (h: (typeof hosts)[number]): HostView => ({
    name: h.name,
    capacityMB: h.capacityMB,
    ...(h.ramMB > 0 ? { ramMB: h.ramMB } : {}),
    loaded: h.loaded.map((m) => ({
      ...(m.onCpu ? { onCpu: true } : {}),
      model: m.model,
      usedMB: m.usedMB,
      loading: m.readyAtMs > now,
      inFlight: m.inFlight,
      loadedAtMs: m.loadedAtMs,
      lastUsedMs: m.lastUsedMs,
    })),
  });
  const view = (): PlacementView => {
    const announced: AnnouncedCall[] = [];
    for (const [run, id] of current) {
      const next = runCalls.get(run)?.[(positionInRun.get(id) as number) + 1];
      if (next !== undefined) {
        const call = trace[next] as TraceCall;
        announced.push({ run, model: call.model, priority: call.priority, afterCallId: id });
      }
    }
    return {
      nowMs: now,
      hosts: hosts.map(hostView),
      waiting: waiting.map(({ id, releasedMs }) => {
        const call = trace[id] as TraceCall;
        return { id, run: call.run, model: call.model, priority: call.priority, tokens: call.tokens, releasedMs };
      }),
      announced,
      models: setup.models,
    };
  };

  /** Whether calls on `resident` read system memory: it runs on the CPU, or is partly offloaded. */
  const readsRam = (resident: Resident) =>
    resident.onCpu || (setup.models[resident.model] as NonNullable<(typeof setup.models)[string]>).sizeMB > resident.usedMB;
  const residentOf = (r: (typeof running)[number]) => {
    const host = hostNamed(r.host);
    return { host, resident: host.loaded.find((m) => m.model === (trace[r.id] as TraceCall).model) as Resident };
  };
  /**
   * A call's rate on `resident` now, counting the models of the host whose running calls read
   * system memory (`extra`: a call about to start on `resident`). Calls on one model share its
   * reads (they decode in one batch), so the bandwidth is shared per model, not per call.
   */
  const rateOf = (host: (typeof hosts)[number], resident: Resident, extra = 1) => {
    let sharers = 1;
    if (readsRam(resident)) {
      const reading = new Set<string>();
      for (const r of running) if (r.host === host.name && readsRam(residentOf(r).resident)) reading.add((trace[r.id] as TraceCall).model);
      if (extra > 0) reading.add(resident.model);
      sharers = Math.max(1, reading.size);
    }
    // The VRAM it holds is its part on the GPU (all of it, the host's whole capacity, or the share of a partial load).
    return tokensPerSecond(setup.models[resident.model] as NonNullable<(typeof setup.models)[string]>, resident.onCpu ? host.capacityMB : resident.usedMB, {
      onCpu: resident.onCpu,
      cpuSharers: sharers,
    });
  };
  /** Brings every running call's progress to `now` and re-rates those whose share of system memory changed. */
  const reprice = () => {
    for (const r of running) {
      const { host, resident } = residentOf(r);
      const rate = rateOf(host, resident, 0);
      if (rate === r.rate) continue;
      r.tokensLeft -= (r.rate * (now - r.sinceMs)) / 1000;
      r.sinceMs = now;
      r.rate = rate;
      r.doneMs = now + (Math.max(0, r.tokensLeft) / rate) * 1000;
      (outcomes[r.id] as CallOutcome).finishedMs = r.doneMs;
    }
  };

  const apply = (decision: PlacementDecision) => {
    const host = hostNamed(decision.host);
    if (decision.kind === "evict") {
      const at = host.loaded.findIndex((m) => m.model === decision.model);
      const resident = host.loaded[at] ?? fail(`evict ${decision.model}: not on ${host.name}`);
      if (resident.readyAtMs > now) fail(`evict ${decision.model}: still loading on ${host.name}`);
      if (resident.inFlight > 0) fail(`evict ${decision.model}: ${resident.inFlight} call(s) in flight on ${host.name}`);
      host.loaded.splice(at, 1);
      evictions++;
    } else if (decision.kind === "load") {
      const model = setup.models[decision.model] ?? fail(`load ${decision.model}: not in the set-up`);
      if (host.loaded.some((m) => m.model === decision.model)) fail(`load ${decision.model}: already on ${host.name}`);
      const onCpu = decision.onCpu === true;
      const { gpuMB } = decision;
      if (gpuMB !== undefined && (onCpu || !Number.isFinite(gpuMB) || gpuMB <= 0 || gpuMB > model.sizeMB))
        fail(`load ${decision.model}: gpuMB ${gpuMB} must be more than 0 and at most its size, ${model.sizeMB} MB, on a GPU`);
      const fits = onCpu ? fitsOnCpu(hostView(host), model) : fitsOn(hostView(host), model, new Set(), gpuMB);
      if (!fits) fail(`load ${decision.model}: does not fit ${host.name}${onCpu ? "'s CPU" : ""} now`);
      host.loaded.push({
        model: decision.model,
        usedMB: onCpu ? model.sizeMB : (gpuMB ?? Math.min(model.sizeMB, host.capacityMB)),
        onCpu,
        readyAtMs: now + model.loadMs,
        inFlight: 0,
        loadedAtMs: now,
        lastUsedMs: now,
      });
      loads++;
      totalLoadMs += model.loadMs;
    } else {
      const at = waiting.findIndex((w) => w.id === decision.callId);
      const entry = waiting[at] ?? fail(`start call ${decision.callId}: not waiting`);
      const call = trace[entry.id] as TraceCall;
      const resident = host.loaded.find((m) => m.model === call.model) ?? fail(`start call ${entry.id}: ${call.model} is not on ${host.name}`);
      if (resident.readyAtMs > now) fail(`start call ${entry.id}: ${call.model} is still loading on ${host.name}`);
      if (resident.inFlight >= parallelOf(setup.models, call.model)) fail(`start call ${entry.id}: ${call.model} on ${host.name} has no free slot`);
      waiting.splice(at, 1);
      resident.inFlight++;
      resident.lastUsedMs = now;
      const rate = rateOf(host, resident);
      const doneMs = now + (call.tokens / rate) * 1000;
      running.push({ id: entry.id, host: host.name, tokensLeft: call.tokens, rate, sinceMs: now, doneMs });
      outcomes[entry.id] = {
        id: entry.id,
        run: call.run,
        model: call.model,
        priority: call.priority,
        tokens: call.tokens,
        host: host.name,
        releasedMs: entry.releasedMs,
        startedMs: now,
        finishedMs: doneMs,
        waitMs: now - entry.releasedMs,
      };
    }
  };

  const decideAll = () => {
    let rounds = 0;
    for (;;) {
      const decisions = policy.decide(view());
      if (decisions.length === 0) break;
      if (++rounds > maxDecisionRounds) fail(`still deciding after ${maxDecisionRounds} rounds`);
      for (const d of decisions) if (d.kind === "evict") apply(d);
      for (const d of decisions) if (d.kind !== "evict") apply(d);
      reprice();
    }
  };

  // Before the first call: pins and preloads.
  decideAll();
  for (;;) {
    const times = [
      ...pending.map((p) => p.atMs),
      ...running.map((r) => r.doneMs),
      ...hosts.flatMap((h) => h.loaded.filter((m) => m.readyAtMs > now).map((m) => m.readyAtMs)),
    ];
    const wake = policy.wakeAtMs?.(view());
    if (times.length === 0 && wake === undefined) break;
    if (wake !== undefined && wake > now) times.push(wake);
    if (times.length === 0) break;
    now = Math.min(...times);
    for (let i = running.length - 1; i >= 0; i--) {
      const done = running[i] as (typeof running)[number];
      if (done.doneMs > now) continue;
      running.splice(i, 1);
      const call = trace[done.id] as TraceCall;
      const resident = hostNamed(done.host).loaded.find((m) => m.model === call.model) as Resident;
      resident.inFlight--;
      resident.lastUsedMs = now;
      current.delete(call.run);
      const next = runCalls.get(call.run)?.[(positionInRun.get(done.id) as number) + 1];
      if (next !== undefined) pending.push({ id: next, atMs: Math.max(now, (trace[next] as TraceCall).t) });
    }
    reprice();
    for (const h of hosts) for (const m of h.loaded) if (m.readyAtMs === now) m.lastUsedMs = now;
    for (let i = 0; i < pending.length;) {
      const p = pending[i] as (typeof pending)[number];
      if (p.atMs > now) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      waiting.push({ id: p.id, releasedMs: p.atMs });
      current.set((trace[p.id] as TraceCall).run, p.id);
    }
    waiting.sort((a, b) => a.releasedMs - b.releasedMs || a.id - b.id);
    decideAll();
  }
  if (waiting.length > 0) fail(`stalled: ${waiting.length} call(s) wait and nothing is running or loading`);

  const calls = outcomes as CallOutcome[];
  const interactive = calls.filter((c) => c.priority === "interactive");
  const batch = calls.filter((c) => c.priority === "batch");
  const runSpans = new Map<string, { fromMs: number; toMs: number; interactive: boolean }>();
  for (const c of calls) {
    const span = runSpans.get(c.run);
    if (span) span.toMs = Math.max(span.toMs, c.finishedMs);
    else runSpans.set(c.run, { fromMs: c.releasedMs, toMs: c.finishedMs, interactive: c.priority === "interactive" });
  }
  const runLatencies = [...runSpans.values()].filter((r) => r.interactive).map((r) => r.toMs - r.fromMs);
  const batchSpanMs = batch.length === 0 ? 0 : Math.max(...batch.map((c) => c.finishedMs)) - Math.min(...batch.map((c) => c.releasedMs));
  return {
    calls,
    summary: {
      policy: policy.name,
      loads,
      totalLoadMs,
      evictions,
      interactiveCalls: interactive.length,
      batchCalls: batch.length,
      interactiveWaitP50Ms: percentile(
        interactive.map((c) => c.waitMs),
        0.5,
      ),
      interactiveWaitP95Ms: percentile(
        interactive.map((c) => c.waitMs),
        0.95,
      ),
      batchWaitP95Ms: percentile(
        batch.map((c) => c.waitMs),
        0.95,
      ),
      batchWaitMaxMs: Math.max(0, ...batch.map((c) => c.waitMs)),
      interactiveRunP50Ms: percentile(runLatencies, 0.5),
      interactiveRunP95Ms: percentile(runLatencies, 0.95),
      batchTokensPerSecond: batchSpanMs > 0 ? batch.reduce((sum, c) => sum + c.tokens, 0) / (batchSpanMs / 1000) : 0,
      makespanMs: Math.max(0, ...calls.map((c) => c.finishedMs)),
    },
  };
}
