/**
 * The live scheduler: a {@link ModelProvider} over several Ollama and OpenAI-compatible hosts
 * that decides, for every model call, which host serves it and what to load or evict there,
 * through Ollama's own controls (`keep_alive` per request, preload with an empty generate,
 * unload with `keep_alive: 0`). Decisions come from the same placement policy the simulator
 * measures (`createTinyLLMPolicy`).
 *
 * @module
 */
import {
  ConfigErrorCode,
  ModelErrorCode,
  TinyLLMError,
  type ChatOptions,
  type ChatResult,
  type ChatStreamPart,
  type EmbedOptions,
  type ModelInfo,
  type ModelProvider,
  type ProviderCapabilities,
} from "@tinyllm/core";
import { createOllamaProvider, type OllamaProvider } from "../provider/ollama-provider";
import { createOpenAIProvider } from "../provider/openai-provider";
import type { HostView, PlacementDecision, PlacementPolicy, PlacementView, WaitingCall } from "../scheduler/placement-policy";
import { createTinyLLMPolicy } from "../scheduler/tinyllm-policy";
import type { CallPriority, PlacementModel } from "../scheduler/trace";
import { createCircuitBreaker, type CircuitBreaker } from "./circuit-breaker";
import type { FleetCallContext, FleetEvent, FleetHost, FleetHostStatus, FleetModel, FleetStatus } from "./fleet-types";

/** Options of {@link createFleetProvider}. */
export interface FleetProviderOptions {
  hosts: readonly FleetHost[];
  /** Sizes, load times and concurrency of known models, by name (e.g. from the tiers' `memoryMB`). */
  models?: Readonly<Record<string, FleetModel>>;
  /** Models kept loaded (loaded as soon as they fit, evicted only for a model that needs a whole host, or on a GPU for a call no host has room for otherwise). Typically the router's T0 model, and the judge when it fits. */
  pinned?: readonly string[];
  /** Models loaded at start when they fit, without being pinned. */
  preload?: readonly string[];
  /**
   * Models run on the fleet's CPU hosts (Ollama hosts with `vramMB: 0` and `ramMB`) when one has
   * room, else on a GPU as usual: typically the router's T0 model, which is quick enough on a
   * CPU and then never waits for a GPU, nor takes VRAM there. CPU hosts run only these models
   * (with none given, a host without VRAM serves any model, one at a time).
   */
  cpuModels?: readonly string[];
  /** A batch call ranks as if it had arrived this much later, in ms (default 60,000): interactive first, batch never starved. */
  batchAgingMs?: number;
  /** Calls per run of each model from the graph's structure: the prior of each model's expected next use. */
  expectedCallsPerRun?: Readonly<Record<string, number>>;
  /** Load the model of a run's announced next call ahead of time (default true). */
  prefetch?: boolean;
  /**
   * Partial offload beside other models (default 0: off): a model larger than a host's VRAM
   * whose load would evict a model expected back within this many ms loads instead with the
   * VRAM left beside the models that stay, sent to Ollama as `num_gpu` (layers on the GPU,
   * from the model's `block_count` in `/api/show`) with the load and every call. Its calls are
   * slower; the others are not reloaded.
   */
  offloadHorizonMs?: number;
  /** The least share of a model on the GPU for such a partial load (default 0.5). */
  minGpuShare?: number;
  /** The `keep_alive` sent with loads and calls of models that are not pinned (default `"30m"`); the scheduler evicts explicitly, this bounds what a crashed client leaves behind. */
  keepAlive?: string | number;
  /** How often each host is checked, in ms (default 5,000; 0: only when a call fails). */
  healthCheckIntervalMs?: number;
  /** How long a health check may take, in ms (default 2,000). */
  healthCheckTimeoutMs?: number;
  /** The circuit breaker of each host. */
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  /** The size assumed for a model nothing is known of, in MB (default 4,096). */
  defaultModelSizeMB?: number;
  /** The fetch the host clients use (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** A {@link createFleetProvider}: a model provider whose calls the scheduler places. */
export interface FleetProvider extends ModelProvider {
  readonly id: "fleet";
  /** The same provider, with its calls attributed to a run and a priority. */
  forCall(context: FleetCallContext): ModelProvider;
  /**
   * Says that `run`'s next call will use `model` (the router chose a specialist), so the model
   * can be loaded while the run is still busy. Cleared when the run calls it, or by {@link endRun}.
   */
  announce(announcement: { run: string; model: string; priority?: CallPriority }): void;
  /** Forgets a run's announcements. */
  endRun(run: string): void;
  /** Adds a graph's calls per run of each model to the prior of their expected next use (the larger figure per model is kept). */
  expectCalls(callsPerRun: Readonly<Record<string, number>>): void;
  /** Checks every host, learns what each holds and serves, and loads the pinned and preloaded models. Calls wait for it. */
  start(): Promise<void>;
  /** What is loaded where, queues and pins, as the scheduler sees it. */
  status(): FleetStatus;
  /** Asks every host what it holds now (`/api/ps`), corrects the scheduler's view, and returns the status. Loads nothing. */
  refresh(options?: { abortSignal?: AbortSignal }): Promise<FleetStatus>;
  /** Listens to what the fleet does; returns the function that stops listening. */
  on(listener: (event: FleetEvent) => void): () => void;
  /** Stops health checks, fails waiting calls, and closes the host clients. */
  close(): Promise<void>;
}

interface Entry {
  model: string;
  usedMB: number;
  /** On a CPU host: `usedMB` is system memory. */
  onCpu?: boolean;
  /** A partial load: the layers on the GPU (`num_gpu`), sent with every call. */
  gpuLayers?: number;
  loading: boolean;
  inFlight: number;
  loadedAtMs: number;
  lastUsedMs: number;
  expiresAtMs?: number;
}

interface HostState {
  config: FleetHost;
  name: string;
  url: string;
  kind: "ollama" | "openai";
  capacityMB: number;
  /** A CPU host (Ollama, `vramMB: 0`, `ramMB` > 0): the memory for its models, in MB; 0 for the others. */
  ramMB: number;
  labels: Readonly<Record<string, string>>;
  provider: ModelProvider;
  ollama?: OllamaProvider;
  breaker: CircuitBreaker;
  loaded: Map<string, Entry>;
  /** Ollama: models it has (undefined until listed); OpenAI: logical name → host model id. */
  has: Map<string, string> | undefined;
  /** Serialises loads and unloads on this host. */
  ops: Promise<void>;
}

interface Waiter extends WaitingCall {
  resolve(host: HostState): void;
  reject(error: unknown): void;
}

const defaultLoadMs = 5_000;
const bytesPerMB = 1024 * 1024;

/**
 * Creates the fleet scheduler. Every call waits until the policy starts it on a host that has
 * its model loaded; loads and evictions go to the hosts as Ollama requests. A host that fails is
 * taken out (its circuit opens) and its calls move to another host that can serve the model;
 * when none can, the call fails at once with `FLEET_NO_HOST`. Health checks bring hosts back.
 *
 * @example
 * ```ts
 * const fleet = createFleetProvider({
 *   hosts: [
 *     { url: "http://gpu0:11434", kind: "ollama", vramMB: 12288 },
 *     { url: "http://gpu1:11434", kind: "ollama", vramMB: 12288 },
 *   ],
 *   pinned: ["qwen2.5:0.5b"],
 * });
 * await fleet.start();
 * const { text } = await fleet.forCall({ runId: "r1" }).chat({ model: "qwen2.5:3b", messages });
 * ```
 */
export function createFleetProvider(options: FleetProviderOptions): FleetProvider {
  if (options.hosts.length === 0) {
    throw new TinyLLMError({
      code: ModelErrorCode.NoProvider,
      message: "the fleet has no hosts",
      hint: "list at least one host under `hosts:` in tinyllm.yaml, such as { url: http://127.0.0.1:11434, kind: ollama, vramMB: 8192 }",
    });
  }
  const pinned = new Set((options.pinned ?? []).map(canonical));
  const cpuModels = new Set((options.cpuModels ?? []).map(canonical));
  const knownModels = new Map(Object.entries(options.models ?? {}).map(([name, model]) => [canonical(name), model]));
  const expectedCallsPerRun: Record<string, number> = Object.fromEntries(
    Object.entries(options.expectedCallsPerRun ?? {}).map(([name, calls]) => [canonical(name), calls]),
  );
  const keepAlive = options.keepAlive ?? "30m";
  if (options.offloadHorizonMs !== undefined && !(options.offloadHorizonMs >= 0 && Number.isFinite(options.offloadHorizonMs)))
    throw configError(
      `offloadHorizonMs must be a number of ms ≥ 0, got ${String(options.offloadHorizonMs)}`,
      "use 0 to turn partial offload off, or e.g. 30000",
    );
  if (options.minGpuShare !== undefined && !(options.minGpuShare > 0 && options.minGpuShare <= 1))
    throw configError(`minGpuShare must be more than 0 and at most 1, got ${String(options.minGpuShare)}`, "use a share of the model such as 0.5");
  const defaultSizeMB = options.defaultModelSizeMB ?? 4096;
  const policy: PlacementPolicy = createTinyLLMPolicy({
    pinned: [...pinned],
    ...(options.batchAgingMs !== undefined ? { batchAgingMs: options.batchAgingMs } : {}),
    expectedCallsPerRun,
    ...(options.prefetch !== undefined ? { prefetch: options.prefetch } : {}),
    cpuModels: [...cpuModels],
    ...(options.offloadHorizonMs !== undefined ? { offloadHorizonMs: options.offloadHorizonMs } : {}),
    ...(options.minGpuShare !== undefined ? { minGpuShare: options.minGpuShare } : {}),
  });
  const listeners = new Set<(event: FleetEvent) => void>();
  const emit = (event: FleetEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is not the fleet's.
      }
    }
  };
  const learnedSizeMB = new Map<string, number>();
  const learnedLoadMs = new Map<string, number>();
  const fileSizeMB = new Map<string, number>();
  const hosts: HostState[] = options.hosts.map((host, index) => createHostState(host, index, options));
  const names = new Set<string>();
  for (const host of hosts) {
    if (names.has(host.name)) throw configError(`two hosts are named ${host.name}`, "give each host its own `name`");
    names.add(host.name);
  }
  const waiting: Waiter[] = [];
  const announced = new Map<string, { run: string; model: string; priority: CallPriority }>();
  let nextCallId = 0;
  let closed = false;
  let started: Promise<void> | undefined;
  let ready = false;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  let healthTimer: ReturnType<typeof setInterval> | undefined;

  const isUp = (host: HostState) => host.breaker.state !== "open";
  const specOf = (model: string): PlacementModel => {
    const known = knownModels.get(model);
    return {
      sizeMB: learnedSizeMB.get(model) ?? known?.sizeMB ?? fileSizeMB.get(model) ?? defaultSizeMB,
      loadMs: learnedLoadMs.get(model) ?? known?.loadMs ?? defaultLoadMs,
      ...(known?.parallel !== undefined ? { parallel: known.parallel } : {}),
      ...(layersUnknown(model) ? { partialOffload: false } : {}),
    };
  };
  /** Pinned models on a CPU host, other than `model`: they stay, so their memory is never free. */
  const pinnedOnCpu = (host: HostState, model: string) => [...host.loaded.values()].filter((entry) => entry.model !== model && pinned.has(entry.model));
  /** The memory of a CPU host that `model` could ever have: its `ramMB` less its pinned models. */
  const cpuRoomMB = (host: HostState, model: string) => host.ramMB - pinnedOnCpu(host, model).reduce((sum, entry) => sum + entry.usedMB, 0);
  const canServe = (host: HostState, model: string) => {
    if (!isUp(host)) return false;
    // A CPU host runs only the CPU models, and only those that fit its memory beside its pins.
    if (host.ramMB > 0 && (!cpuModels.has(model) || specOf(model).sizeMB > cpuRoomMB(host, model))) return false;
    if (host.kind === "openai") return host.has?.has(model) ?? false;
    return host.has === undefined || host.has.has(model);
  };
  const hostModel = (host: HostState, model: string) => host.has?.get(model) ?? model;

  const view = (): PlacementView => {
    const nowMs = performance.now();
    const up = hosts.filter(isUp);
    const hostViews: HostView[] = up.map((host) => {
      const has = host.has ? [...host.has.keys()] : undefined;
      // A CPU host loads only the CPU models (those it has).
      const canLoad = host.kind === "openai" ? [] : host.ramMB > 0 ? [...cpuModels].filter((m) => !has || has.includes(m)) : has;
      return {
        name: host.name,
        capacityMB: host.kind === "openai" ? 0 : host.capacityMB,
        ...(host.ramMB > 0 ? { ramMB: host.ramMB } : {}),
        loaded: [...host.loaded.values()].map((entry) => ({ ...entry })),
        ...(canLoad ? { canLoad: new Set(canLoad) } : {}),
      };
    });
    const models: Record<string, PlacementModel> = {};
    const mention = (model: string) => (models[model] ??= specOf(model));
    for (const call of waiting) mention(call.model);
    for (const next of announced.values()) mention(next.model);
    for (const model of pinned) mention(model);
    for (const host of up) for (const model of host.loaded.keys()) mention(model);
    return {
      nowMs,
      hosts: hostViews,
      waiting: waiting.map(({ resolve: _resolve, reject: _reject, ...call }) => call),
      announced: [...announced.values()].map((next) => ({ ...next, afterCallId: -1 })),
      models,
    };
  };

  let pumping = false;
  let again = false;
  /** Asks the policy until it has nothing more to do, and applies what it decides. */
  const pump = () => {
    if (closed) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (let round = 0; round < 64; round++) {
          const decisions = policy.decide(view());
          if (decisions.length === 0) break;
          let applied = 0;
          for (const decision of decisions) applied += apply(decision) ? 1 : 0;
          if (applied === 0) break;
        }
      } while (again);
    } finally {
      pumping = false;
    }
    // What changed may leave a waiting call no host at all (a pin that loaded since it came in
    // holds the memory it needed): it fails now instead of waiting for good.
    failUnservable();
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const wakeAtMs = policy.wakeAtMs?.(view());
    if (wakeAtMs !== undefined) {
      wakeTimer = setTimeout(pump, Math.max(0, wakeAtMs - performance.now()));
      wakeTimer.unref?.();
    }
  };

  const apply = (decision: PlacementDecision): boolean => {
    const host = hosts.find((h) => h.name === decision.host);
    if (!host || !isUp(host)) return false;
    if (decision.kind === "start") {
      const at = waiting.findIndex((w) => w.id === decision.callId);
      const call = waiting[at];
      const entry = call && host.loaded.get(call.model);
      if (!call || !entry || entry.loading) return false;
      waiting.splice(at, 1);
      entry.inFlight += 1;
      entry.lastUsedMs = performance.now();
      for (const [key, next] of announced) if (next.run === call.run && next.model === call.model) announced.delete(key);
      emit({
        type: "call-start",
        host: host.name,
        model: call.model,
        priority: call.priority,
        ...(call.run.startsWith("\0") ? {} : { run: call.run }),
        waitMs: performance.now() - call.releasedMs,
      });
      call.resolve(host);
      return true;
    }
    if (decision.kind === "evict") {
      const entry = host.loaded.get(decision.model);
      // Never evict a model that has a call in flight or is still loading.
      if (!entry || entry.inFlight > 0 || entry.loading || host.kind === "openai") return false;
      host.loaded.delete(decision.model);
      emit({ type: "evict", host: host.name, model: decision.model });
      const ollama = host.ollama;
      if (ollama) host.ops = host.ops.then(() => ollama.keepLoaded(hostModel(host, decision.model), { keepAlive: 0 }).catch(() => undefined));
      return true;
    }
    // load
    if (host.loaded.has(decision.model) || !host.ollama) return false;
    const spec = specOf(decision.model);
    // A partial load needs the model's layers: ask the host first, then the policy again.
    const shareMB = decision.onCpu ? undefined : decision.gpuMB;
    const layers = shareMB !== undefined ? layerCounts.get(decision.model) : undefined;
    if (shareMB !== undefined && layers?.layers === undefined) {
      if (!layers) void learnLayers(host, host.ollama, decision.model);
      return false;
    }
    const nowMs = performance.now();
    const onCpu = decision.onCpu === true;
    const entry: Entry = {
      model: decision.model,
      usedMB: onCpu ? spec.sizeMB : (shareMB ?? Math.min(spec.sizeMB, host.capacityMB)),
      ...(onCpu ? { onCpu } : {}),
      ...(shareMB !== undefined && layers?.layers !== undefined ? { gpuLayers: gpuLayersOf(layers.layers, shareMB / spec.sizeMB) } : {}),
      loading: true,
      inFlight: 0,
      loadedAtMs: nowMs,
      lastUsedMs: nowMs,
    };
    host.loaded.set(decision.model, entry);
    const reason = waiting.some((w) => w.model === decision.model) ? "call" : pinned.has(decision.model) ? "pin" : "prefetch";
    emit({ type: "load-start", host: host.name, model: decision.model, reason });
    const ollama = host.ollama;
    host.ops = host.ops.then(() => load(host, ollama, entry));
    return true;
  };

  const load = async (host: HostState, ollama: OllamaProvider, entry: Entry): Promise<void> => {
    const startedMs = performance.now();
    try {
      await ollama.keepLoaded(hostModel(host, entry.model), {
        keepAlive: pinned.has(entry.model) ? -1 : keepAlive,
        ...(entry.gpuLayers !== undefined ? { gpuLayers: entry.gpuLayers } : {}),
      });
    } catch (error) {
      if (host.loaded.get(entry.model) === entry) host.loaded.delete(entry.model);
      const message = messageOf(error);
      emit({ type: "load-failed", host: host.name, model: entry.model, message });
      if (codeOf(error) === ModelErrorCode.ModelNotFound) host.has?.delete(entry.model);
      else hostFailed(host, error);
      failUnservable();
      pump();
      return;
    }
    if (host.loaded.get(entry.model) !== entry) return;
    const loadMs = performance.now() - startedMs;
    const previous = learnedLoadMs.get(entry.model);
    learnedLoadMs.set(entry.model, previous === undefined ? loadMs : previous * 0.7 + loadMs * 0.3);
    entry.loading = false;
    entry.lastUsedMs = performance.now();
    if (!pinned.has(entry.model)) entry.expiresAtMs = Date.now() + keepAliveMs(keepAlive);
    host.breaker.success();
    emit({ type: "load-end", host: host.name, model: entry.model, loadMs });
    // What the host really holds: the model's size in memory, once; after a partial load also
    // whether the host made room by itself (its estimate of the layers' memory is its own).
    if (!learnedSizeMB.has(entry.model) || entry.gpuLayers !== undefined) {
      const askedAtMs = performance.now();
      await ollama
        .ps({ abortSignal: AbortSignal.timeout(options.healthCheckTimeoutMs ?? 2_000) })
        .then((running) => {
          const isModel = (name: string, model: string) => name === hostModel(host, model) || name === `${hostModel(host, model)}:latest`;
          const found = running.find((m) => isModel(m.name, entry.model));
          if (found?.sizeBytes) learnedSizeMB.set(entry.model, Math.ceil(found.sizeBytes / bytesPerMB));
          const heldBytes = entry.onCpu ? found?.sizeBytes : found?.vramBytes;
          if (heldBytes && host.loaded.get(entry.model) === entry) entry.usedMB = Math.ceil(heldBytes / bytesPerMB);
          if (entry.gpuLayers === undefined) return;
          for (const other of [...host.loaded.values()]) {
            // A model used since the question was asked may have been loaded again since.
            const usedSince = other.lastUsedMs >= askedAtMs;
            if (other === entry || other.loading || other.inFlight > 0 || usedSince || running.some((m) => isModel(m.name, other.model))) continue;
            host.loaded.delete(other.model);
            emit({ type: "evict", host: host.name, model: other.model });
          }
        })
        .catch(() => undefined);
    }
    pump();
  };

  /**
   * Layers of each model (`<arch>.block_count`, plus the output layer), from `/api/show`:
   * `layers` once known; without it, asked (`pending`) or not known since `atMs` (the host
   * failed to say, or the model has no block count), asked again after a minute.
   */
  const layerCounts = new Map<string, { layers?: number; pending?: boolean; atMs: number }>();
  const layersUnknown = (model: string) => {
    const known = layerCounts.get(model);
    if (!known || known.layers !== undefined || known.pending) return false;
    if (performance.now() - known.atMs < 60_000) return true;
    layerCounts.delete(model);
    return false;
  };
  /** Asks `host`, then any other Ollama host up that has `model`, for its layers; the first answer wins. */
  const learnLayers = async (host: HostState, ollama: OllamaProvider, model: string): Promise<void> => {
    layerCounts.set(model, { pending: true, atMs: performance.now() });
    const others = hosts.filter((h) => h !== host && h.ollama && isUp(h) && h.has?.has(model));
    let layers: number | undefined;
    for (const [asked, client] of [[host, ollama] as const, ...others.map((h) => [h, h.ollama as OllamaProvider] as const)]) {
      const info = await client
        .show(hostModel(asked, model), { abortSignal: AbortSignal.timeout(options.healthCheckTimeoutMs ?? 2_000) })
        .then((shown) => shown.modelInfo)
        .catch(() => undefined);
      const blocks = info?.[`${String(info["general.architecture"])}.block_count`];
      if (typeof blocks === "number" && blocks > 0) {
        layers = blocks + 1;
        break;
      }
    }
    layerCounts.set(model, { ...(layers !== undefined ? { layers } : {}), atMs: performance.now() });
    pump();
  };
  /**
   * The layers to put on the GPU for `share` of a model of `layers` layers: one fewer than the
   * share holds (at least 1), for the compute buffers Ollama also places there.
   */
  const gpuLayersOf = (layers: number, share: number) => Math.max(1, Math.min(layers, Math.floor(layers * share) - 1));

  /** Takes a failed host out: its circuit opens, what it held is forgotten. */
  const hostFailed = (host: HostState, error: unknown, { fatal = true } = {}) => {
    const opened = host.breaker.failure(messageOf(error), { fatal });
    if (!opened) return;
    for (const entry of host.loaded.values()) entry.inFlight = 0;
    if (host.kind === "ollama") host.loaded.clear();
    emit({ type: "host-down", host: host.name, message: messageOf(error) });
  };

  const hostCameBack = async (host: HostState) => {
    emit({ type: "host-up", host: host.name });
    await learn(host).catch(() => undefined);
    pump();
  };

  /** Fails every waiting call that no host up can serve. */
  const failUnservable = () => {
    for (const call of [...waiting]) {
      if (hosts.some((host) => canServe(host, call.model))) continue;
      waiting.splice(waiting.indexOf(call), 1);
      call.reject(noHostError(call.model));
    }
  };

  const noHostError = (model: string) => {
    let tooSmall = false;
    const why = hosts
      .map((host) => {
        if (!isUp(host)) return `${host.name} is down (${host.breaker.lastError ?? "unreachable"})`;
        if (host.ramMB > 0 && !cpuModels.has(model)) return `${host.name} runs only the CPU models (scheduler.cpu)`;
        const roomMB = host.ramMB > 0 ? cpuRoomMB(host, model) : Number.POSITIVE_INFINITY;
        if (specOf(model).sizeMB <= roomMB) return `${host.name} does not have ${model}`;
        tooSmall = true;
        const pins = pinnedOnCpu(host, model);
        const held = pins.length > 0 ? `, ${host.ramMB - roomMB} MB of them held by the pinned ${pins.map((entry) => entry.model).join(", ")},` : "";
        return `${host.name} has ${host.ramMB} MB for CPU models${held} and ${model} needs ${specOf(model).sizeMB} MB`;
      })
      .join("; ");
    return new TinyLLMError({
      code: ModelErrorCode.FleetNoHost,
      message: `no host of the fleet can serve ${model} now: ${why}`,
      hint: tooSmall
        ? "raise the CPU host's ramMB, take the model out of scheduler.cpu (or its pin out of scheduler.pin), or add a GPU host under `hosts:`"
        : "start the hosts that are down, pull the model on one of them (`ollama pull`), or add a host that serves it under `hosts:`",
      isRetryable: true,
    });
  };

  /** What a host has and holds: Ollama's model list and `/api/ps`, or the OpenAI models. */
  const learn = async (host: HostState, abortSignal?: AbortSignal): Promise<void> => {
    if (host.kind === "openai") {
      const listed = await host.provider.listModels(abortSignal ? { abortSignal } : {});
      const has = new Map<string, string>();
      for (const model of listed) has.set(canonical(model.name), model.name);
      for (const [name, id] of Object.entries(host.config.models ?? {})) {
        if (listed.length === 0 || listed.some((m) => m.name === id)) has.set(canonical(name), id);
      }
      host.has = has;
      const nowMs = performance.now();
      host.loaded = new Map(
        [...has.keys()].map((model) => [
          model,
          host.loaded.get(model) ?? { model, usedMB: 0, loading: false, inFlight: 0, loadedAtMs: nowMs, lastUsedMs: nowMs },
        ]),
      );
      return;
    }
    const ollama = host.ollama as OllamaProvider;
    const [tags, running] = await Promise.all([ollama.listModels(abortSignal ? { abortSignal } : {}), ollama.ps(abortSignal ? { abortSignal } : {})]);
    const has = new Map<string, string>();
    for (const model of tags) {
      has.set(canonical(model.name), model.name);
      if (model.sizeBytes) fileSizeMB.set(canonical(model.name), Math.ceil(model.sizeBytes / bytesPerMB));
    }
    host.has = has;
    const nowMs = performance.now();
    const next = new Map<string, Entry>();
    for (const model of running) {
      const name = canonical(model.name);
      const mine = host.loaded.get(name);
      if (model.sizeBytes) learnedSizeMB.set(name, Math.ceil(model.sizeBytes / bytesPerMB));
      const partial = host.ramMB === 0 && model.vramBytes !== undefined && model.sizeBytes !== undefined && model.vramBytes < model.sizeBytes;
      next.set(name, {
        model: name,
        usedMB: Math.ceil(((host.ramMB > 0 ? undefined : model.vramBytes) ?? model.sizeBytes ?? 0) / bytesPerMB),
        ...(host.ramMB > 0 ? { onCpu: true } : {}),
        // Partly offloaded when less of it is in VRAM than its size; its layers are known only if the fleet loaded it so.
        ...(partial && mine?.gpuLayers !== undefined ? { gpuLayers: mine.gpuLayers } : {}),
        loading: false,
        inFlight: mine?.inFlight ?? 0,
        loadedAtMs: mine?.loadedAtMs ?? nowMs,
        lastUsedMs: mine?.lastUsedMs ?? nowMs,
        ...(model.expiresAt ? { expiresAtMs: Date.parse(model.expiresAt) } : {}),
      });
    }
    // Loads in progress and models with calls in flight stay, whatever /api/ps says now.
    for (const [name, entry] of host.loaded) if ((entry.loading || entry.inFlight > 0) && !next.has(name)) next.set(name, entry);
    host.loaded = next;
  };

  const check = async (host: HostState): Promise<void> => {
    const timeout = AbortSignal.timeout(options.healthCheckTimeoutMs ?? 2_000);
    try {
      if (host.kind === "ollama") await (host.ollama as OllamaProvider).ps({ abortSignal: timeout });
      else await host.provider.listModels({ abortSignal: timeout });
      if (host.breaker.success()) await hostCameBack(host);
    } catch (error) {
      hostFailed(host, error);
      failUnservable();
    }
  };

  const probes = new Map<HostState, Promise<void>>();
  const probe = (host: HostState): Promise<void> => {
    let running = probes.get(host);
    if (!running) {
      running = check(host).finally(() => probes.delete(host));
      probes.set(host, running);
    }
    return running;
  };

  const start = (): Promise<void> =>
    (started ??= (async () => {
      await Promise.all(
        hosts.map(async (host) => {
          try {
            await learn(host, AbortSignal.timeout(options.healthCheckTimeoutMs ?? 2_000));
            host.breaker.success();
          } catch (error) {
            hostFailed(host, error);
          }
        }),
      );
      for (const model of (options.preload ?? []).map(canonical))
        if (!pinned.has(model)) announced.set(`\0preload/${model}`, { run: "\0preload", model, priority: "batch" });
      const interval = options.healthCheckIntervalMs ?? 5_000;
      if (interval > 0 && !closed) {
        healthTimer = setInterval(() => {
          for (const host of hosts) void check(host);
        }, interval);
        healthTimer.unref?.();
      }
      ready = true;
      pump();
    })());

  /** Waits until the policy starts the call on a host. */
  const acquire = async (model: string, context: FleetCallContext, abortSignal: AbortSignal | undefined): Promise<HostState> => {
    // Once started, a call joins the queue at once (no await before it), so the order of calls is the order of arrival.
    if (!ready) await start();
    if (closed) throw closedError();
    if (abortSignal?.aborted) throw abortedError(abortSignal);
    // A preloaded model's announcement ends when a call uses it.
    announced.delete(`\0preload/${model}`);
    if (!hosts.some((host) => canServe(host, model))) {
      // Every host that could serve it is down: ask them now (one probe per host at a time), as one may be back.
      await Promise.all(hosts.filter((host) => !isUp(host)).map(probe));
      if (!hosts.some((host) => canServe(host, model))) throw noHostError(model);
    }
    return await new Promise<HostState>((resolve, reject) => {
      const onAbort = () => {
        const at = waiting.indexOf(call);
        if (at >= 0) waiting.splice(at, 1);
        reject(abortedError(abortSignal as AbortSignal));
        pump();
      };
      const call: Waiter = {
        id: nextCallId++,
        run: context.runId ?? `\0call-${nextCallId}`,
        model,
        priority: context.priority ?? "interactive",
        tokens: 0,
        releasedMs: performance.now(),
        resolve: (host) => {
          abortSignal?.removeEventListener("abort", onAbort);
          resolve(host);
        },
        reject: (error) => {
          abortSignal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      waiting.push(call);
      pump();
    });
  };

  const release = (host: HostState, model: string) => {
    const entry = host.loaded.get(model);
    if (entry && entry.inFlight > 0) {
      entry.inFlight -= 1;
      entry.lastUsedMs = performance.now();
      if (!pinned.has(model) && host.kind === "ollama") entry.expiresAtMs = Date.now() + keepAliveMs(keepAlive);
    }
    pump();
  };

  /** Whether a failed call should move to another host: the host, not the request, failed. */
  const hostFault = (error: unknown): { fatal: boolean } | undefined => {
    const code = codeOf(error);
    if (code === ModelErrorCode.ModelUnavailable) return { fatal: true };
    if (code === ModelErrorCode.ModelRequestFailed) return { fatal: false };
    return undefined;
  };

  /** After a call that succeeded: the host answered, so a host that was down is back. */
  const succeeded = (host: HostState) => {
    if (host.breaker.success()) void hostCameBack(host);
  };

  /**
   * After a call that failed: when the host, not the request, failed, and the call may still
   * move (`movable`) and has attempts left, takes the host out and returns true (try again
   * elsewhere); otherwise returns false (the caller rethrows).
   */
  const failedOver = (host: HostState, model: string, error: unknown, { movable, attempt }: { movable: boolean; attempt: number }): boolean => {
    const fault = hostFault(error);
    if (!fault) return false;
    if (!movable || attempt >= hosts.length) {
      hostFailed(host, error, fault);
      return false;
    }
    emit({ type: "failover", host: host.name, model, message: messageOf(error) });
    hostFailed(host, error, fault);
    failUnservable();
    return true;
  };

  /** Ends a call on its host: the event, and its slot freed. */
  const ended = (host: HostState, model: string, context: FleetCallContext, ok: boolean) => {
    emit({ type: "call-end", host: host.name, model, priority: context.priority ?? "interactive", ok });
    release(host, model);
  };

  const callOn = async <T>(
    model: string,
    context: FleetCallContext,
    abortSignal: AbortSignal | undefined,
    call: (host: HostState, hostModelName: string) => Promise<T>,
  ): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const host = await acquire(model, context, abortSignal);
      let ok = false;
      try {
        const result = await call(host, hostModel(host, model));
        ok = true;
        succeeded(host);
        return result;
      } catch (error) {
        if (abortSignal?.aborted || !failedOver(host, model, error, { movable: true, attempt })) throw error;
      } finally {
        ended(host, model, context, ok);
      }
    }
  };

  const keepAliveFor = (model: string) => (pinned.has(model) ? -1 : keepAlive);
  /**
   * The layers of `model` on `host` when the fleet loaded it partly offloaded: every call sends
   * them, so that a host that dropped the model loads it the same way again. A caller's own
   * `gpuLayers` is never passed on: another value would make Ollama load the model again.
   */
  const layersOn = (host: HostState, model: string) => {
    const gpuLayers = host.loaded.get(model)?.gpuLayers;
    return gpuLayers !== undefined ? { gpuLayers } : {};
  };

  const provider = (context: FleetCallContext): ModelProvider => ({
    specificationVersion: "v1",
    id: "fleet",
    capabilities,
    chat: (chat: ChatOptions): Promise<ChatResult> =>
      callOn(canonical(chat.model), context, chat.abortSignal, (host, model) =>
        host.provider.chat({ ...withoutLayers(chat), model, keepAlive: keepAliveFor(canonical(chat.model)), ...layersOn(host, canonical(chat.model)) }),
      ),
    streamChat: (chat: ChatOptions): AsyncIterable<ChatStreamPart> => streamOn(chat, context),
    embed: (embed: EmbedOptions) =>
      callOn(canonical(embed.model), context, embed.abortSignal, (host, model) =>
        host.provider.embed({ ...withoutLayers(embed), model, ...layersOn(host, canonical(embed.model)) }),
      ),
    listModels: async ({ abortSignal } = {}): Promise<ModelInfo[]> => {
      await start();
      const seen = new Map<string, ModelInfo>();
      await Promise.all(
        hosts.filter(isUp).map(async (host) => {
          const models = await host.provider.listModels(abortSignal ? { abortSignal } : {}).catch(() => []);
          for (const model of models) if (!seen.has(model.name)) seen.set(model.name, model);
        }),
      );
      return [...seen.values()];
    },
  });

  async function* streamOn(chat: ChatOptions, context: FleetCallContext): AsyncGenerator<ChatStreamPart> {
    const model = canonical(chat.model);
    for (let attempt = 0; ; attempt++) {
      const host = await acquire(model, context, chat.abortSignal);
      let ok = false;
      let sent = false;
      try {
        for await (const part of host.provider.streamChat({
          ...withoutLayers(chat),
          model: hostModel(host, model),
          keepAlive: keepAliveFor(model),
          ...layersOn(host, model),
        })) {
          if (part.type === "text-delta") sent = true;
          yield part;
        }
        ok = true;
        succeeded(host);
        return;
      } catch (error) {
        // Once text has gone out, the call cannot move without repeating it: the caller retries.
        if (chat.abortSignal?.aborted || !failedOver(host, model, error, { movable: !sent, attempt })) throw error;
      } finally {
        ended(host, model, context, ok);
      }
    }
  }

  const capabilities: ProviderCapabilities = {
    nativeToolCalls: hosts.every((h) => h.provider.capabilities.nativeToolCalls),
    jsonSchema: hosts.every((h) => h.provider.capabilities.jsonSchema),
    embeddings: hosts.some((h) => h.provider.capabilities.embeddings),
    streaming: hosts.every((h) => h.provider.capabilities.streaming),
  };

  const status = (): FleetStatus => {
    const queueOf = (calls: readonly Waiter[]) => ({
      interactive: calls.filter((c) => c.priority === "interactive").length,
      batch: calls.filter((c) => c.priority === "batch").length,
    });
    const hostStatus = (host: HostState): FleetHostStatus => {
      const loaded = [...host.loaded.values()];
      const usedMB = loaded.reduce((sum, entry) => sum + entry.usedMB, 0);
      const capacityMB = host.ramMB > 0 ? host.ramMB : host.capacityMB;
      return {
        name: host.name,
        url: host.url,
        kind: host.kind,
        state: host.breaker.state,
        ...(host.breaker.lastError && host.breaker.state !== "closed" ? { lastError: host.breaker.lastError } : {}),
        vramMB: host.capacityMB,
        ...(host.ramMB > 0 ? { ramMB: host.ramMB } : {}),
        usedMB,
        freeMB: Math.max(0, capacityMB - usedMB),
        labels: host.labels,
        loaded: loaded
          .map((entry) => ({
            model: entry.model,
            usedMB: entry.usedMB,
            ...(entry.onCpu ? { onCpu: true } : {}),
            ...(entry.gpuLayers !== undefined ? { gpuLayers: entry.gpuLayers } : {}),
            loading: entry.loading,
            inFlight: entry.inFlight,
            pinned: pinned.has(entry.model),
            ...(entry.expiresAtMs !== undefined && Number.isFinite(entry.expiresAtMs) && !pinned.has(entry.model)
              ? { expiresAt: new Date(entry.expiresAtMs).toISOString() }
              : {}),
          }))
          .sort((a, b) => a.model.localeCompare(b.model)),
        queue: queueOf(waiting.filter((call) => host.loaded.has(call.model))),
      };
    };
    return { hosts: hosts.map(hostStatus), queue: queueOf(waiting), pinned: [...pinned] };
  };

  const base = provider({});
  return {
    ...base,
    id: "fleet",
    forCall: (context) => provider(context),
    announce({ run, model: name, priority = "interactive" }) {
      const model = canonical(name);
      if (closed || !hosts.some((host) => canServe(host, model))) return;
      announced.set(`${run}/${model}`, { run, model, priority });
      pump();
    },
    endRun(run) {
      for (const [key, next] of announced) if (next.run === run) announced.delete(key);
    },
    expectCalls(callsPerRun) {
      for (const [name, calls] of Object.entries(callsPerRun))
        expectedCallsPerRun[canonical(name)] = Math.max(expectedCallsPerRun[canonical(name)] ?? 0, calls);
    },
    start,
    status,
    async refresh({ abortSignal } = {}) {
      // Only asks; loads nothing (the pins load once the fleet starts).
      await Promise.all(
        hosts.map(async (host) => {
          try {
            await learn(host, abortSignal);
            if (host.breaker.success()) emit({ type: "host-up", host: host.name });
          } catch (error) {
            if (abortSignal?.aborted) throw abortedError(abortSignal);
            hostFailed(host, error);
          }
        }),
      );
      if (ready) pump();
      return status();
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      if (healthTimer) clearInterval(healthTimer);
      for (const call of waiting.splice(0)) call.reject(closedError());
      await Promise.all(hosts.map((host) => host.provider.close?.()));
    },
  };
}

/** One name per model: Ollama's `name` and `name:latest` are the same model. */
function canonical(model: string): string {
  return model.endsWith(":latest") ? model.slice(0, -":latest".length) : model;
}

function nameOf(host: FleetHost, index: number): string {
  if (host.name) return host.name;
  try {
    return new URL(host.url).host;
  } catch {
    return `host${index}`;
  }
}

function createHostState(host: FleetHost, index: number, options: FleetProviderOptions): HostState {
  const name = nameOf(host, index);
  if (!/^https?:\/\//.test(host.url))
    throw configError(`host ${name}: url must start with http:// or https://, got "${host.url}"`, "e.g. url: http://127.0.0.1:11434");
  if (!(host.vramMB >= 0))
    throw configError(`host ${name}: vramMB must be a number of MB, 0 or more`, "e.g. vramMB: 8192 for an 8 GB GPU, 0 for a CPU-only host");
  const breaker = createCircuitBreaker({ ...(options.breaker ?? {}) });
  const common = {
    config: host,
    name,
    url: host.url,
    kind: host.kind,
    capacityMB: host.vramMB,
    // A CPU host when there are CPU models to run; without, a host with no VRAM serves as before.
    ramMB: host.kind === "ollama" && host.vramMB === 0 && (host.ramMB ?? 0) > 0 && (options.cpuModels ?? []).length > 0 ? (host.ramMB as number) : 0,
    labels: host.labels ?? {},
    breaker,
    loaded: new Map<string, Entry>(),
    ops: Promise.resolve(),
  };
  if (host.kind === "ollama") {
    const ollama = createOllamaProvider({ host: host.url, ...(options.fetch ? { fetch: options.fetch } : {}) });
    return { ...common, provider: ollama, ollama, has: undefined };
  }
  const provider = createOpenAIProvider({
    baseURL: host.url,
    ...(host.apiKey ? { apiKey: host.apiKey } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { ...common, provider, has: new Map(Object.entries(host.models ?? {}).map(([name, id]) => [canonical(name), id])) };
}

function configError(message: string, hint: string): TinyLLMError {
  return new TinyLLMError({ code: ConfigErrorCode.ConfigInvalid, message: `fleet: ${message}`, hint });
}

function closedError(): TinyLLMError {
  return new TinyLLMError({
    code: ModelErrorCode.ModelUnavailable,
    message: "the fleet provider is closed",
    hint: "create a new one with createFleetProvider()",
  });
}

function abortedError(signal: AbortSignal): TinyLLMError {
  return new TinyLLMError({ code: ModelErrorCode.ModelAborted, message: "the call was aborted while it waited for a host", cause: signal.reason });
}

function codeOf(error: unknown): string | undefined {
  return TinyLLMError.isInstance(error) ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `options` without a caller's `gpuLayers`: only the fleet decides where a model's layers go. */
function withoutLayers<T extends { gpuLayers?: number }>(options: T): Omit<T, "gpuLayers"> {
  const { gpuLayers: _theFleetDecides, ...rest } = options;
  return rest;
}

/** Ollama's keep_alive in ms (negative: forever, as Infinity). */
function keepAliveMs(value: string | number): number {
  if (typeof value === "number") return value < 0 ? Number.POSITIVE_INFINITY : value * 1000;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) < 0 ? Number.POSITIVE_INFINITY : Number(text) * 1000;
  if (text.startsWith("-")) return Number.POSITIVE_INFINITY;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(match[1]) * (units[match[2] as string] as number);
  return total;
}
