/**
 * TinyLLM's placement policy, written so a live scheduler can ask it for decisions too: it
 * reads a {@link PlacementView} and returns decisions as data; its only memory is the recent
 * call rate of each model, and which batch calls the whole-host loads it started are for.
 *
 * @module
 */
import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";
import {
  fitsOn,
  fitsOnCpu,
  parallelOf,
  type HostView,
  type LoadedModelView,
  type PlacementDecision,
  type PlacementPolicy,
  type PlacementView,
  type WaitingCall,
} from "./placement-policy";

/** Options of {@link createTinyLLMPolicy}. */
export interface TinyLLMPolicyOptions {
  /**
   * Models kept loaded: loaded as soon as they fit without evicting anything, and never
   * evicted, except to make room for a model larger than the host (which needs the host
   * empty), or on a GPU for a model that no host has room for otherwise. Typically the
   * router's T0 model, and the judge when it fits.
   */
  pinned?: readonly string[];
  /** A batch call ranks as if released this much later (default 60 s): interactive calls go first, batch ones are never starved. */
  batchAgingMs?: number;
  /** Window of the recent call rates that estimate each model's next use, in ms (default 5 min). */
  rateWindowMs?: number;
  /** Calls per run of each model from the graph's structure: the prior of the rates (default none). */
  expectedCallsPerRun?: Readonly<Record<string, number>>;
  /** Load the model of a run's announced next call ahead of time (default true). */
  prefetch?: boolean;
  /**
   * A model that needs a whole host (partly offloaded) serves every call waiting for it before
   * it is drained, whatever their rank (default true): each such load is expensive, and costs
   * reloads of everything else.
   */
  batchWholeHost?: boolean;
  /**
   * An interactive call for a model that needs a whole host waits this long before its load
   * starts (default 0), so that one load serves several calls; a batch call waits at least
   * `wholeHostBatchHoldMs`. The policy asks to be woken when the wait ends.
   */
  wholeHostDelayMs?: number;
  /**
   * A batch call for a model that needs a whole host does not load it before it has waited
   * this long (default 2 min), so that it rides a load made for other calls or shares its own
   * with later ones. Not when the model can load partly offloaded beside the others
   * (`offloadHorizonMs`) evicting nothing expected back before the hold would end. (A batch
   * call whose load would evict a model expected back within `batchAgingMs` waits that long,
   * for the same reason.)
   */
  wholeHostBatchHoldMs?: number;
  /**
   * While an interactive call waits or a run announces one, a batch call that has waited less
   * than this (default 5 min; 0: never) gives way: it does not start on a model that needs a
   * whole host (each such call holds the whole host for seconds), nor on a model being drained
   * for a more urgent call, and does not load a model that must evict others. After that it
   * ranks by `batchAgingMs` like any call, so batch calls are never starved.
   */
  batchYieldMs?: number;
  /**
   * Models run on a host's CPU from system memory (a CPU-only Ollama beside the GPU one) on hosts with `ramMB`
   * (on a host without it, on its GPU as usual) (default none). For a small router this costs some speed (its calls read
   * system memory, shared with the offloaded part of a model larger than the card) and gives it
   * VRAM for nothing: it never waits for the GPU, and what it would take there stays free.
   */
  cpuModels?: readonly string[];
  /**
   * Partial offload beside other models (default 0: off). A model larger than a host's VRAM
   * otherwise takes the whole host, as Ollama does by itself. With this set, when taking the
   * whole host would evict a model expected back within this many ms, the model is loaded
   * instead with an explicit GPU share (Ollama's `num_gpu` option): the VRAM left beside the
   * models expected back, if at least `minGpuShare` of the model fits there. Its calls are
   * slower (more of it is read from system memory); the other models stay loaded.
   */
  offloadHorizonMs?: number;
  /** The least share of a model on the GPU for a partial load beside other models (default 0.5). */
  minGpuShare?: number;
}

function invalidOption(message: string, hint: string): TinyLLMError {
  return new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `createTinyLLMPolicy: ${message}`, hint });
}

/** Sorts later times first; safe for Infinity. */
const later = (x: number, y: number) => (x === y ? 0 : x > y ? -1 : 1);

interface Plan {
  host: HostView;
  victims: LoadedModelView[];
  /** The earliest expected next use among the victims (Infinity with none). */
  costMs: number;
  /** The model goes to the host's CPU. */
  onCpu: boolean;
  /** A partial load: this much of the model on the GPU, the rest in system memory. */
  gpuMB?: number;
}

/**
 * TinyLLM's policy:
 * - waiting calls are ranked by release time, batch ones `batchAgingMs` later, and start as
 *   soon as their model is ready with a free slot on any host; a load blocks no other calls;
 * - for each waiting call whose model is on no host, most urgent first, the model loads on the
 *   host where that evicts nothing (the tightest fit), else where the evicted models' expected
 *   next use is farthest; only idle, unpinned models with no waiting or announced call are
 *   evicted, farthest expected next use first;
 * - when the most urgent such call can be placed only by evicting busy models, those models
 *   drain: no new calls start on them, and nothing else loads, until they are idle;
 * - a run's announced next call (the specialist chosen by the router, the judge after an
 *   answer) has its model prefetched when it fits without evicting anything;
 * - a model that needs a whole host (partly offloaded) loads for a batch call only after that
 *   call has waited `wholeHostBatchHoldMs` (for an interactive one, `wholeHostDelayMs`), and
 *   once loaded serves every call waiting for it before it drains: one load, several calls;
 *   a batch call whose load would evict a model expected back within `batchAgingMs` waits
 *   that long for a copy loaded for other calls;
 * - batch work gives way to interactive work (`batchYieldMs`): while an interactive call
 *   waits or is announced, batch calls do not start on a whole-host model (a call there holds
 *   the whole host for seconds), nor on models being drained, and load nothing that evicts;
 *   a whole-host load started for batch work still serves the batch calls it was started for
 *   (that call and those already `batchAgingMs` old): the load cannot be taken back;
 * - a model's expected next use is now when a call waits for it or is announced, else
 *   `1 / rate`, the rate being its calls in the last `rateWindowMs` plus the graph's prior;
 * - pinned models load as soon as they fit without evicting anything, and are evicted only for
 *   a model that needs the whole host, or on a GPU for a model that no host has room for
 *   otherwise (so that pins filling a card never block a call for good);
 * - a model with calls in flight or still loading is never evicted;
 * - with `offloadHorizonMs`, a model larger than the host whose load would evict a model
 *   expected back within it loads partly offloaded into the VRAM beside the models that stay,
 *   for a batch call without the `wholeHostBatchHoldMs` wait when it evicts nothing expected
 *   back before that wait would end.
 */
export function createTinyLLMPolicy({
  pinned = [],
  batchAgingMs = 60_000,
  rateWindowMs = 5 * 60_000,
  expectedCallsPerRun = {},
  prefetch = true,
  batchWholeHost = true,
  wholeHostDelayMs = 0,
  wholeHostBatchHoldMs = 2 * 60_000,
  batchYieldMs = 5 * 60_000,
  cpuModels = [],
  offloadHorizonMs = 0,
  minGpuShare = 0.5,
}: TinyLLMPolicyOptions = {}): PlacementPolicy {
  if (!(offloadHorizonMs >= 0))
    throw invalidOption(`offloadHorizonMs must be a number of ms ≥ 0, got ${offloadHorizonMs}`, "use 0 to turn partial offload off");
  if (!(minGpuShare > 0 && minGpuShare <= 1))
    throw invalidOption(`minGpuShare must be more than 0 and at most 1, got ${minGpuShare}`, "use a share such as 0.5");
  const pins = new Set(pinned);
  const onCpu = new Set(cpuModels);
  const seen = new Set<number>();
  const arrivals: { model: string; atMs: number }[] = [];
  /**
   * The batch calls each whole-host load started for batch work (`host/model`) is for: they are
   * served even if interactive work arrives while it loads.
   */
  const loadedForBatch = new Map<string, Set<number>>();
  /** Whether `model` goes to the CPU of `host`. */
  const cpuOf = (host: HostView, model: string) => onCpu.has(model) && (host.ramMB ?? 0) > 0;
  /** System memory of `host` that `model` could ever have: its `ramMB` less the pinned models on its CPU (pins stay). */
  const cpuRoomBesidePinsMB = (host: HostView, model: string) =>
    (host.ramMB ?? 0) - host.loaded.filter((m) => m.onCpu && m.model !== model && pins.has(m.model)).reduce((sum, m) => sum + m.usedMB, 0);
  const needsWholeHost = (view: PlacementView, model: string) => view.hosts.every((h) => !cpuOf(h, model) && (view.models[model]?.sizeMB ?? 0) > h.capacityMB);
  const delayOf = (call: WaitingCall) => (call.priority === "batch" ? Math.max(wholeHostDelayMs, wholeHostBatchHoldMs) : wholeHostDelayMs);
  const deferred = (view: PlacementView, call: WaitingCall) => needsWholeHost(view, call.model) && view.nowMs < call.releasedMs + delayOf(call);
  const rank = (call: WaitingCall) => call.releasedMs + (call.priority === "batch" ? batchAgingMs : 0);

  return {
    name: "tinyllm",
    decide(view) {
      for (const call of view.waiting) {
        if (seen.has(call.id)) continue;
        seen.add(call.id);
        arrivals.push({ model: call.model, atMs: call.releasedMs });
      }
      while (arrivals.length > 0 && (arrivals[0] as { atMs: number }).atMs < view.nowMs - rateWindowMs) arrivals.shift();

      const decisions: PlacementDecision[] = [];
      const hosts: HostView[] = view.hosts.map((h) => ({ ...h, loaded: h.loaded.map((m) => ({ ...m })) }));
      const ranked = [...view.waiting].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
      const wanted = new Set([...view.waiting.map((w) => w.model), ...view.announced.map((a) => a.model)]);
      const expectedNextUseMs = (model: string): number => {
        if (wanted.has(model)) return view.nowMs;
        const recent = arrivals.filter((a) => a.model === model).length + (expectedCallsPerRun[model] ?? 0);
        return recent > 0 ? view.nowMs + rateWindowMs / recent : Number.POSITIVE_INFINITY;
      };
      const onSomeHost = (model: string) => hosts.some((h) => h.loaded.some((m) => m.model === model));
      for (const key of loadedForBatch.keys()) if (!view.hosts.some((h) => h.loaded.some((m) => `${h.name}/${m.model}` === key))) loadedForBatch.delete(key);
      const interactiveActive = view.waiting.some((w) => w.priority === "interactive") || view.announced.some((a) => a.priority === "interactive");
      /** Whether a batch call gives way to interactive work now. */
      const givesWay = (call: WaitingCall) => call.priority === "batch" && interactiveActive && view.nowMs < call.releasedMs + batchYieldMs;

      /** The best way to load `model`, evicting only models `mayEvict` allows, or none. */
      const plan = (model: string, mayEvict: (m: LoadedModelView) => boolean): Plan | undefined => {
        const spec = view.models[model];
        if (!spec) return undefined;
        /** Memory left on the device (`cpu`: the host's CPU) once `model` is loaded there without `gone`. */
        const slackOf = (host: HostView, cpu: boolean, gone: readonly LoadedModelView[]) => {
          const used = host.loaded.filter((m) => !gone.includes(m) && (m.onCpu ?? false) === cpu).reduce((s, m) => s + m.usedMB, 0);
          return (cpu ? (host.ramMB ?? 0) : host.capacityMB) - used - spec.sizeMB;
        };
        const mayLoad = (host: HostView) => !host.canLoad || host.canLoad.has(model);
        /** The best host for `model` on the CPU (`cpu`) or the GPU of `candidates`, evicting what `may` allows; `evictPins`: pins may go too. */
        const bestOn = (candidates: readonly HostView[], cpu: boolean, may = mayEvict, evictPins = false): Plan | undefined => {
          let best: Plan | undefined;
          for (const host of candidates) {
            if (!mayLoad(host)) continue;
            const fits = cpu ? fitsOnCpu : fitsOn;
            const oversize = !cpu && spec.sizeMB > host.capacityMB;
            const evictable = host.loaded
              .filter((m) => !m.loading && (m.onCpu ?? false) === cpu && (oversize || evictPins || !pins.has(m.model)) && may(m))
              .sort((a, b) => later(expectedNextUseMs(a.model), expectedNextUseMs(b.model)) || b.usedMB - a.usedMB);
            const victims: LoadedModelView[] = [];
            const evicting = new Set<string>();
            while (!fits(host, spec, evicting) && evictable.length > 0) {
              const victim = evictable.shift() as LoadedModelView;
              victims.push(victim);
              evicting.add(victim.model);
            }
            if (!fits(host, spec, evicting)) continue;
            const costMs = Math.min(Number.POSITIVE_INFINITY, ...victims.map((v) => expectedNextUseMs(v.model)));
            const slackMB = slackOf(host, cpu, victims);
            const bestSlackMB = best ? slackOf(best.host, cpu, best.victims) : 0;
            const better =
              !best ||
              costMs > best.costMs ||
              (costMs === best.costMs && victims.length < best.victims.length) ||
              (costMs === best.costMs && victims.length === best.victims.length && slackMB < bestSlackMB);
            if (better) best = { host, victims, costMs, onCpu: cpu };
          }
          return best;
        };
        /**
         * The best partial load of `model` (larger than every one of `candidates`) on one of
         * their GPUs: all the VRAM left once the models that may go and are not expected back
         * within the horizon are gone (never a pin); the largest share wins.
         */
        const partialOn = (candidates: readonly HostView[]): Plan | undefined => {
          if (spec.partialOffload === false || candidates.some((h) => mayLoad(h) && spec.sizeMB <= h.capacityMB)) return undefined;
          let best: Plan | undefined;
          for (const host of candidates) {
            if (!mayLoad(host) || host.loaded.some((m) => m.loading)) continue;
            const victims = host.loaded.filter(
              (m) => !m.onCpu && !pins.has(m.model) && mayEvict(m) && expectedNextUseMs(m.model) >= view.nowMs + offloadHorizonMs,
            );
            const gpuMB = Math.floor(host.capacityMB - host.loaded.filter((m) => !m.onCpu && !victims.includes(m)).reduce((sum, m) => sum + m.usedMB, 0));
            if (gpuMB < spec.sizeMB * minGpuShare || (best && (best.gpuMB ?? 0) >= gpuMB)) continue;
            best = { host, victims, costMs: Math.min(Number.POSITIVE_INFINITY, ...victims.map((v) => expectedNextUseMs(v.model))), onCpu: false, gpuMB };
          }
          return best;
        };
        // A CPU model goes to CPU memory where some host has room for it. It waits for a CPU
        // host that could hold it beside that host's pins (one busy loading, or with models in
        // use); only when none could, it goes to a GPU (a host with VRAM, its own included).
        const cpuHosts = hosts.filter((h) => cpuOf(h, model));
        const onCpuPlan = bestOn(cpuHosts, true);
        if (onCpuPlan) return onCpuPlan;
        if (cpuHosts.some((h) => mayLoad(h) && cpuRoomBesidePinsMB(h, model) >= spec.sizeMB)) return undefined;
        // On a GPU a pin gives way only when nothing else could ever make room (not even models
        // in use, once they are done): pins never block a call for good.
        const gpuHosts = hosts.filter((h) => !cpuOf(h, model) || h.capacityMB > 0);
        const fullPlan = bestOn(gpuHosts, false);
        // A model larger than the host shares it instead when taking all of it would evict a pin or a model expected back soon.
        const share =
          offloadHorizonMs > 0 && !(fullPlan && fullPlan.costMs >= view.nowMs + offloadHorizonMs && !fullPlan.victims.some((v) => pins.has(v.model)));
        const gpuPlan = (share ? partialOn(gpuHosts) : undefined) ?? fullPlan;
        // A host busy loading may make room once its load is done: the policy is asked again then.
        if (gpuPlan || gpuHosts.some((h) => h.loaded.some((m) => m.loading)) || bestOn(gpuHosts, false, () => true)) return gpuPlan;
        return bestOn(gpuHosts, false, mayEvict, true);
      };
      const place = (model: string, { host, victims, onCpu: cpu, gpuMB }: Plan) => {
        const spec = view.models[model];
        if (!spec) return;
        for (const victim of victims) decisions.push({ kind: "evict", host: host.name, model: victim.model });
        host.loaded = host.loaded.filter((m) => !victims.includes(m));
        host.loaded.push({
          model,
          usedMB: cpu ? spec.sizeMB : (gpuMB ?? Math.min(spec.sizeMB, host.capacityMB)),
          loading: true,
          inFlight: 0,
          loadedAtMs: view.nowMs,
          lastUsedMs: view.nowMs,
          ...(cpu ? { onCpu: true } : {}),
        });
        decisions.push({
          kind: "load",
          host: host.name,
          model,
          ...(cpu ? { onCpu: true } : {}),
          ...(gpuMB !== undefined && gpuMB < spec.sizeMB ? { gpuMB } : {}),
        });
      };
      const unused = (m: LoadedModelView) => m.inFlight === 0 && !wanted.has(m.model);
      /** Whether a call whose model is on no host may not load it yet. */
      const held = (call: WaitingCall): boolean => {
        // The hold for company saves reloads of what a load evicts: a partial load that evicts
        // nothing expected back before the hold would end has nothing to save.
        if (needsWholeHost(view, call.model)) {
          const beside = plan(call.model, unused);
          const nothingToSave = beside?.gpuMB !== undefined && beside.costMs >= view.nowMs + wholeHostBatchHoldMs;
          return (deferred(view, call) && !nothingToSave) || givesWay(call);
        }
        if (call.priority !== "batch" || plan(call.model, () => false)) return false;
        if (givesWay(call)) return true;
        // Evicting a model expected back before `batchAgingMs` is over costs a reload: wait
        // that long for a copy loaded for other calls instead.
        const holdEndMs = call.releasedMs + batchAgingMs;
        return view.nowMs < holdEndMs && (plan(call.model, () => true)?.costMs ?? Number.POSITIVE_INFINITY) < holdEndMs;
      };
      const load = (model: string, how: Plan, call?: WaitingCall) => {
        // A whole-host load for batch work is for that call and the batch calls already due
        // (waited `batchAgingMs`): one load, several calls, even if interactive work arrives.
        if (call?.priority === "batch" && needsWholeHost(view, model)) {
          const due = view.waiting.filter((w) => w.model === model && w.priority === "batch" && view.nowMs >= w.releasedMs + batchAgingMs);
          loadedForBatch.set(`${how.host.name}/${model}`, new Set([call.id, ...due.map((w) => w.id)]));
        }
        place(model, how);
      };

      // The head: the most urgent call whose model is on no host. When it cannot be placed
      // without evicting models in use, those models drain: calls ranked after the head do not
      // start on them.
      const headAt = ranked.findIndex((c) => !onSomeHost(c.model) && !held(c));
      const head = ranked[headAt];
      const headDrain = head && !plan(head.model, unused) ? plan(head.model, () => true) : undefined;
      const drainVictims = new Set((headDrain?.victims ?? []).map((v) => `${headDrain?.host.name}/${v.model}`));
      ranked.forEach((call, at) => {
        const parallel = parallelOf(view.models, call.model);
        for (const host of hosts) {
          const resident = host.loaded.find((m) => m.model === call.model && !m.loading && m.inFlight < parallel);
          if (!resident) continue;
          const key = `${host.name}/${resident.model}`;
          const wholeHost = !resident.onCpu && (view.models[resident.model]?.sizeMB ?? 0) > host.capacityMB;
          const drained = drainVictims.has(key);
          if (at > headAt && drained && !(wholeHost && batchWholeHost)) continue;
          const loadedForIt = loadedForBatch.get(key)?.has(call.id) ?? false;
          if ((wholeHost || drained) && givesWay(call) && !loadedForIt) continue;
          loadedForBatch.get(key)?.delete(call.id);
          resident.inFlight++;
          decisions.push({ kind: "start", host: host.name, callId: call.id });
          break;
        }
      });
      // Loads for waiting calls, most urgent first.
      let draining = false;
      for (const call of ranked) {
        if (onSomeHost(call.model) || held(call)) continue;
        const found = plan(call.model, unused);
        if (found) {
          load(call.model, found, call);
          continue;
        }
        if (call !== head) continue;
        const drain = plan(call.model, () => true);
        if (!drain) continue;
        if (drain.victims.every((v) => v.inFlight === 0)) load(call.model, drain, call);
        else draining = true;
        break;
      }
      if (draining) return decisions;
      // Prefetch for announced next calls, interactive runs first; then pins.
      const announced = prefetch ? [...view.announced].sort((a, b) => (a.priority === b.priority ? 0 : a.priority === "interactive" ? -1 : 1)) : [];
      for (const next of announced) {
        if (onSomeHost(next.model)) continue;
        const found = plan(next.model, () => false);
        if (found) load(next.model, found);
      }
      for (const model of pins) {
        if (onSomeHost(model)) continue;
        const found = plan(model, () => false);
        if (found) load(model, found);
      }
      return decisions;
    },
    wakeAtMs(view) {
      const times = view.waiting.filter((c) => deferred(view, c)).map((c) => c.releasedMs + delayOf(c));
      // Batch calls that give way or hold their load are asked about again when that ends.
      for (const c of view.waiting) {
        if (c.priority !== "batch") continue;
        for (const endMs of [c.releasedMs + batchYieldMs, c.releasedMs + batchAgingMs]) if (endMs > view.nowMs) times.push(endMs);
      }
      return times.length > 0 ? Math.min(...times) : undefined;
    },
  };
}
