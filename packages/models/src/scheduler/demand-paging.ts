/**
 * The shared core of the LRU and Belady policies: plain demand paging. It is internal; the
 * policies built on it are public.
 *
 * @module
 */
import {
  fitsOn,
  freeMB,
  parallelOf,
  type HostView,
  type LoadedModelView,
  type PlacementDecision,
  type PlacementPolicy,
  type PlacementView,
} from "./placement-policy";

/**
 * Calls start in release order as soon as their model is ready with a free slot; a load never
 * blocks calls to other models. For each waiting call whose model is on no host, in release
 * order, the model is loaded on the host that needs the fewest evictions (then the most free
 * VRAM), evicting idle models in `evictionOrder` until it fits; when nothing idle can make
 * room, the call waits. One load per host at a time.
 *
 * @param evictionOrder - Sorts eviction candidates of one host, first evicted first.
 */
export function createDemandPagingPolicy({
  name,
  evictionOrder,
}: {
  name: string;
  evictionOrder: (candidates: LoadedModelView[], view: PlacementView) => LoadedModelView[];
}): PlacementPolicy {
  return {
    name,
    decide(view) {
      const decisions: PlacementDecision[] = [];
      const hosts: HostView[] = view.hosts.map((h) => ({ ...h, loaded: h.loaded.map((m) => ({ ...m })) }));
      for (const call of view.waiting) {
        const parallel = parallelOf(view.models, call.model);
        for (const host of hosts) {
          const resident = host.loaded.find((m) => m.model === call.model && !m.loading && m.inFlight < parallel);
          if (!resident) continue;
          resident.inFlight++;
          decisions.push({ kind: "start", host: host.name, callId: call.id });
          break;
        }
      }
      const started = new Set(decisions.map((d) => (d.kind === "start" ? d.callId : -1)));
      for (const call of view.waiting) {
        if (started.has(call.id) || hosts.some((h) => h.loaded.some((m) => m.model === call.model))) continue;
        const model = view.models[call.model];
        if (!model) continue;
        let best: { host: HostView; victims: LoadedModelView[] } | undefined;
        for (const host of hosts) {
          const victims: LoadedModelView[] = [];
          const evicting = new Set<string>();
          const candidates = evictionOrder(
            host.loaded.filter((m) => !m.loading && m.inFlight === 0),
            view,
          );
          while (!fitsOn(host, model, evicting) && candidates.length > 0) {
            const victim = candidates.shift() as LoadedModelView;
            victims.push(victim);
            evicting.add(victim.model);
          }
          if (!fitsOn(host, model, evicting)) continue;
          if (!best || victims.length < best.victims.length || (victims.length === best.victims.length && freeMB(host) > freeMB(best.host)))
            best = { host, victims };
        }
        if (!best) continue;
        const { host, victims } = best;
        for (const victim of victims) decisions.push({ kind: "evict", host: host.name, model: victim.model });
        host.loaded = host.loaded.filter((m) => !victims.includes(m));
        host.loaded.push({
          model: call.model,
          usedMB: Math.min(model.sizeMB, host.capacityMB),
          loading: true,
          inFlight: 0,
          loadedAtMs: view.nowMs,
          lastUsedMs: view.nowMs,
        });
        decisions.push({ kind: "load", host: host.name, model: call.model });
      }
      return decisions;
    },
  };
}
