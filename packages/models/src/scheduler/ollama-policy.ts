/**
 * Ollama's scheduler (server/sched.go) as a placement policy: the behaviour to beat.
 *
 * @module
 */
import { fitsOn, freeMB, parallelOf, type HostView, type LoadedModelView, type PlacementDecision, type PlacementPolicy } from "./placement-policy";

/** Options of {@link createOllamaPolicy}. */
export interface OllamaPolicyOptions {
  /** `OLLAMA_MAX_LOADED_MODELS` per GPU (default 3); the limit is this times the hosts. */
  maxLoadedPerHost?: number;
  /** `keep_alive` of every request (default 5 min): an idle model unloads after this long. */
  keepAliveMs?: number;
}

/** A fixed, arbitrary order of model names: the stand-in for the blob path (`sha256-…`) Ollama sorts by. */
function modelPath(model: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < model.length; i++) hash = Math.imul(hash ^ model.charCodeAt(i), 0x01000193);
  return `sha256-${(hash >>> 0).toString(16).padStart(8, "0")}`;
}

/**
 * Ollama's policy, with `OLLAMA_NUM_PARALLEL` 1:
 * - one FIFO queue of requests, taken in order; a request for a loaded model goes to that
 *   model's runner (which serves one call at a time, in order) and the queue moves on;
 * - a request for a model that is not loaded blocks the queue until its model has loaded,
 *   also for requests to models already loaded (ollama/ollama#5724);
 * - the model loads on the host with the most free VRAM where it fits, when fewer than
 *   `maxLoadedPerHost` × hosts are loaded; otherwise loaded models are sorted by keep-alive
 *   duration (all equal here) then path, and the first idle one (no call running or queued at
 *   its runner) is unloaded, repeatedly; with none idle, the queue waits for one to drain;
 * - an idle model unloads `keepAliveMs` after its last use.
 * A model larger than every host loads only on an empty host (partly offloaded, as Ollama
 * allows for the first model).
 */
export function createOllamaPolicy({ maxLoadedPerHost = 3, keepAliveMs = 5 * 60_000 }: OllamaPolicyOptions = {}): PlacementPolicy {
  /** Calls handed to a runner, in hand-over order. */
  let dispatched: { id: number; model: string }[] = [];
  return {
    name: "ollama",
    decide(view) {
      const decisions: PlacementDecision[] = [];
      const waitingIds = new Set(view.waiting.map((w) => w.id));
      dispatched = dispatched.filter((d) => waitingIds.has(d.id));
      const hosts: HostView[] = view.hosts.map((h) => ({ ...h, loaded: h.loaded.map((m) => ({ ...m })) }));
      const queuedAt = (model: string) => dispatched.filter((d) => d.model === model).length;
      const idle = (m: LoadedModelView) => !m.loading && m.inFlight === 0 && queuedAt(m.model) === 0;
      const evict = (host: HostView, m: LoadedModelView) => {
        decisions.push({ kind: "evict", host: host.name, model: m.model });
        host.loaded = host.loaded.filter((x) => x !== m);
      };
      const runnerStarts = () => {
        for (const d of [...dispatched]) {
          const parallel = parallelOf(view.models, d.model);
          const host = hosts.find((h) => h.loaded.some((m) => m.model === d.model && !m.loading));
          const resident = host?.loaded.find((m) => m.model === d.model);
          // A runner serves its own queue in order.
          if (!host || !resident || resident.inFlight >= parallel || dispatched.find((x) => x.model === d.model) !== d) continue;
          resident.inFlight++;
          resident.lastUsedMs = view.nowMs;
          dispatched = dispatched.filter((x) => x !== d);
          decisions.push({ kind: "start", host: host.name, callId: d.id });
        }
      };

      for (const host of hosts) for (const m of [...host.loaded]) if (idle(m) && view.nowMs - m.lastUsedMs >= keepAliveMs) evict(host, m);
      runnerStarts();
      const handed = new Set([...dispatched.map((d) => d.id), ...decisions.map((d) => (d.kind === "start" ? d.callId : -1))]);
      for (const call of view.waiting) {
        if (handed.has(call.id)) continue;
        if (hosts.some((h) => h.loaded.some((m) => m.loading))) break;
        if (hosts.some((h) => h.loaded.some((m) => m.model === call.model))) {
          dispatched.push({ id: call.id, model: call.model });
          runnerStarts();
          continue;
        }
        const model = view.models[call.model];
        if (!model) break;
        for (;;) {
          const loadedCount = hosts.reduce((n, h) => n + h.loaded.length, 0);
          const fitting = hosts.filter((h) => fitsOn(h, model)).sort((a, b) => freeMB(b) - freeMB(a));
          const target = fitting[0];
          if (target && loadedCount < maxLoadedPerHost * hosts.length) {
            target.loaded.push({
              model: call.model,
              usedMB: Math.min(model.sizeMB, target.capacityMB),
              loading: true,
              inFlight: 0,
              loadedAtMs: view.nowMs,
              lastUsedMs: view.nowMs,
            });
            decisions.push({ kind: "load", host: target.name, model: call.model });
            break;
          }
          const runners = hosts
            .flatMap((host) => host.loaded.map((m) => ({ host, m })))
            .sort((a, b) => (modelPath(a.m.model) < modelPath(b.m.model) ? -1 : modelPath(a.m.model) > modelPath(b.m.model) ? 1 : 0));
          const victim = runners.find(({ m }) => idle(m));
          // None idle: the queue waits for the first one to drain.
          if (!victim) break;
          evict(victim.host, victim.m);
        }
        // The queue is blocked until that load finishes (or a runner drains).
        break;
      }
      return decisions;
    },
  };
}
