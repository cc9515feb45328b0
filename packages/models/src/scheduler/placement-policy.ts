/**
 * What a placement policy sees and what it decides. Decisions are data (evict this model from
 * that host, load that model there, start that call there); whoever applies them (the
 * simulator, or a live scheduler) owns the clock and checks that they are possible.
 *
 * @module
 */
import type { CallPriority, PlacementModel } from "./trace";

/** A model resident on a host, or being loaded there. */
export interface LoadedModelView {
  model: string;
  /** VRAM it holds on this host, in MB (the whole host for a model larger than the host). */
  usedMB: number;
  /** True until the load has finished; a loading model can neither serve nor be evicted. */
  loading: boolean;
  /** Calls running on it now. */
  inFlight: number;
  /** When its load started, in ms. */
  loadedAtMs: number;
  /** When it last started or finished a call (or finished loading), in ms. */
  lastUsedMs: number;
  /** It runs on the host's CPU from system memory (a CPU-only Ollama beside the GPU one): `usedMB` counts against `ramMB`, not VRAM. */
  onCpu?: boolean;
}

/** One host: its usable memory and what is on it. */
export interface HostView {
  name: string;
  /** Usable VRAM: `vramMB - reservedMB`. */
  capacityMB: number;
  /** System memory for models run on its CPU, in MB (absent or 0: none). */
  ramMB?: number;
  loaded: LoadedModelView[];
  /**
   * The models that may be loaded on this host; absent: any. Empty for a host whose models are
   * fixed (an OpenAI-compatible server): its `loaded` models serve calls, and nothing is loaded
   * or evicted there.
   */
  canLoad?: ReadonlySet<string>;
}

/** A released call waiting to start. `id` is the call's index in the trace. */
export interface WaitingCall {
  id: number;
  run: string;
  model: string;
  priority: CallPriority;
  tokens: number;
  /** When it was released (its `t`, or when its run's previous call finished if later), in ms. */
  releasedMs: number;
}

/**
 * The next call of a run whose current call is waiting or running: what the graph tells a
 * scheduler (after the router call comes the chosen specialist). Not calls of other runs.
 */
export interface AnnouncedCall {
  run: string;
  model: string;
  priority: CallPriority;
  /** The id of the run's current call, which must finish first. */
  afterCallId: number;
}

/** Everything a policy may look at when it decides. */
export interface PlacementView {
  nowMs: number;
  hosts: HostView[];
  /** Released calls not started yet, in release order. */
  waiting: WaitingCall[];
  announced: AnnouncedCall[];
  models: Readonly<Record<string, PlacementModel>>;
}

/**
 * One decision. Evictions are applied before the loads and starts of the same batch. A load
 * with `onCpu` puts the model on the host's CPU (system memory), not its GPU. A load with
 * `gpuMB` below the model's size is partly offloaded: that much of it on the GPU, the rest in
 * system memory (Ollama's `num_gpu` option, which lets such a model load beside others).
 */
export type PlacementDecision =
  | { kind: "evict"; host: string; model: string }
  | { kind: "load"; host: string; model: string; onCpu?: boolean; gpuMB?: number }
  | { kind: "start"; host: string; callId: number };

/**
 * A model-placement policy: given the state, what to evict, load and start now. It is asked
 * again after every change (a call released or finished, a load finished) and after its own
 * decisions were applied, until it returns none.
 */
export interface PlacementPolicy {
  readonly name: string;
  decide(view: PlacementView): PlacementDecision[];
  /** When the policy wants to be asked again even if nothing happens (a timer it set), in ms. */
  wakeAtMs?(view: PlacementView): number | undefined;
}

/** Free VRAM of a host, in MB (models on its CPU take none). */
export function freeMB(host: HostView): number {
  return host.capacityMB - host.loaded.reduce((sum, m) => sum + (m.onCpu ? 0 : m.usedMB), 0);
}

/** Calls one copy of `model` serves at once. */
export function parallelOf(models: Readonly<Record<string, PlacementModel>>, model: string): number {
  return models[model]?.parallel ?? 1;
}

/**
 * Whether `model` can be loaded on `host` once `evicting` are gone. A model larger than the
 * host is partly offloaded to the CPU, as Ollama does by itself for the first model only: the
 * host must then be empty. With `gpuMB` (a load with an explicit GPU share, Ollama's
 * `num_gpu`), that much VRAM must be free. Only one load at a time per host (one disk).
 */
export function fitsOn(host: HostView, model: PlacementModel, evicting: ReadonlySet<string> = new Set(), gpuMB?: number): boolean {
  if (host.canLoad && host.canLoad.size === 0) return false;
  const staying = host.loaded.filter((m) => !evicting.has(m.model));
  if (staying.some((m) => m.loading)) return false;
  const onGpu = staying.filter((m) => !m.onCpu);
  const freeMB = host.capacityMB - onGpu.reduce((sum, m) => sum + m.usedMB, 0);
  if (gpuMB !== undefined && gpuMB < model.sizeMB) return gpuMB > 0 && freeMB >= gpuMB;
  if (model.sizeMB > host.capacityMB) return onGpu.length === 0;
  return freeMB >= model.sizeMB;
}

/**
 * Whether `model` can be loaded on the CPU of `host` (in its `ramMB`) once `evicting` are gone.
 * Loads share the host's disk with its GPU loads: one at a time.
 */
export function fitsOnCpu(host: HostView, model: PlacementModel, evicting: ReadonlySet<string> = new Set()): boolean {
  if (host.canLoad && host.canLoad.size === 0) return false;
  const staying = host.loaded.filter((m) => !evicting.has(m.model));
  if (staying.some((m) => m.loading)) return false;
  return (host.ramMB ?? 0) - staying.reduce((sum, m) => sum + (m.onCpu ? m.usedMB : 0), 0) >= model.sizeMB;
}

/** The host and entry where `model` is loaded and ready with a free slot, if any. */
export function readySlot(view: PlacementView, model: string): HostView | undefined {
  const parallel = parallelOf(view.models, model);
  return view.hosts.find((h) => h.loaded.some((m) => m.model === model && !m.loading && m.inFlight < parallel));
}
