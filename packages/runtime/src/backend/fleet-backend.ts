import type { CompiledGraph } from "@tinyllm/core";
import {
  createFleetProvider,
  isTierId,
  modelNodeRef,
  resolveModelRef,
  type FleetModel,
  type FleetProvider,
  type ModelsConfig,
  type Prompt,
} from "@tinyllm/models";
import type { Backend } from "./backend";
import { fleetConfigWarnings } from "./fleet-config-warnings";
import { nodeRefOf } from "./route-announcer";
import { currentRunPlacement } from "./run-placement";

/** Options of {@link createFleetBackend}. */
export interface FleetBackendOptions {
  config: ModelsConfig;
  /** The fetch the host clients use (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * The backend of a configured fleet (`hosts:` in tinyllm.yaml): one scheduler over every host.
 * Tiers resolve to their Ollama names, which are the fleet's model names; an OpenAI-compatible
 * host serves a tier's `openai` model under that name. Pins default to the router's T0 model
 * and the T3 judge when it fits on a GPU and still leaves T1 and T2 room. The fleet starts (checks the
 * hosts, loads the pins) on its first call, or when `fleet.start()` is called.
 */
export async function createFleetBackend({ config, fetch }: FleetBackendOptions): Promise<Backend & { fleet: FleetProvider }> {
  const hosts = config.hosts ?? [];
  const scheduler = config.scheduler ?? {};
  const nameOf = (ref: string): string => {
    try {
      return resolveModelRef(ref, "ollama", config).model;
    } catch {
      return resolveModelRef(ref, "openai", config).model;
    }
  };
  const models: Record<string, FleetModel> = {};
  const openaiNames: Record<string, string> = {};
  for (const tier of Object.values(config.tiers)) {
    const name = tier.ollama ?? tier.openai;
    if (!name) continue;
    if (tier.memoryMB !== undefined) models[name] = { sizeMB: tier.memoryMB };
    if (tier.openai) openaiNames[name] = tier.openai;
  }
  const resolveList = (refs: readonly string[]) => refs.map((ref) => (isTierId(ref.trim().toUpperCase()) ? nameOf(ref) : ref));
  const cpuModels = scheduler.cpu ? resolveList(scheduler.cpu) : undefined;
  const pinned = scheduler.pin ? resolveList(scheduler.pin) : defaultPins(config, nameOf, cpuModels ?? []);
  const fleet = createFleetProvider({
    hosts: hosts.map((host) => (host.kind === "openai" ? { ...host, models: { ...openaiNames, ...host.models } } : host)),
    models,
    pinned,
    ...(scheduler.preload ? { preload: resolveList(scheduler.preload) } : {}),
    ...(cpuModels ? { cpuModels } : {}),
    ...(scheduler.batchAgingMs !== undefined ? { batchAgingMs: scheduler.batchAgingMs } : {}),
    ...(scheduler.prefetch !== undefined ? { prefetch: scheduler.prefetch } : {}),
    ...(scheduler.offloadHorizonMs !== undefined ? { offloadHorizonMs: scheduler.offloadHorizonMs } : {}),
    ...(scheduler.minGpuShare !== undefined ? { minGpuShare: scheduler.minGpuShare } : {}),
    ...(scheduler.healthCheckIntervalMs !== undefined ? { healthCheckIntervalMs: scheduler.healthCheckIntervalMs } : {}),
    ...(scheduler.keepAlive !== undefined ? { keepAlive: scheduler.keepAlive } : {}),
    ...(fetch ? { fetch } : {}),
  });
  return {
    kind: "fleet",
    provider: fleet,
    fleet,
    resolveModel: (ref) => {
      const resolved = resolveModelRef(ref.model ?? ref.tier ?? "T1", "ollama", config);
      return { provider: fleet.forCall(currentRunPlacement() ?? {}), model: resolved.model, ...(resolved.tier ? { tier: resolved.tier } : {}) };
    },
    description: `a fleet of ${hosts.length} host${hosts.length === 1 ? "" : "s"} (${fleet
      .status()
      .hosts.map((h) => `${h.name} ${h.kind} ${h.ramMB !== undefined ? `CPU, ${h.ramMB} MB RAM` : `${h.vramMB} MB`}${h.state === "closed" ? "" : ", down"}`)
      .join("; ")})`,
    warnings: fleetConfigWarnings(config, nameOf, pinned),
    close: () => fleet.close(),
  };
}

/**
 * The router's T0 model always; the T3 judge when it fits on a GPU host beside T0 (unless T0
 * runs on a CPU host, `scheduler.cpu`) and the largest of T1 and T2 still fits beside them or
 * on another GPU host: a pinned judge must not leave the specialists no room.
 */
function defaultPins(config: ModelsConfig, nameOf: (ref: string) => string, cpuModels: readonly string[]): string[] {
  const hosts = config.hosts ?? [];
  const pins: string[] = [];
  const { T0: t0, T1: t1, T2: t2, T3: t3 } = config.tiers;
  const hasT0 = Boolean(t0?.ollama || t0?.openai);
  if (hasT0) pins.push(nameOf("T0"));
  const judgeMB = t3?.memoryMB;
  if (!(t3?.ollama || t3?.openai) || judgeMB === undefined) return pins;
  // T0 is off the GPUs when it is a CPU model and a CPU host can hold it.
  const t0OnCpu = cpuModels.includes(nameOf("T0")) && hosts.some((h) => h.kind === "ollama" && h.vramMB === 0 && (h.ramMB ?? 0) >= (t0?.memoryMB ?? 1));
  const t0OnGpuMB = hasT0 && !t0OnCpu ? (t0?.memoryMB ?? 0) : 0;
  const othersMB = Math.max(0, t1?.memoryMB ?? 0, t2?.memoryMB ?? 0);
  // Only Ollama hosts load models; an OpenAI-compatible host serves fixed ones.
  const gpus = hosts.filter((h) => h.kind === "ollama" && h.vramMB > 0);
  const judgeFits = gpus.some((host) => {
    const leftMB = host.vramMB - judgeMB - t0OnGpuMB;
    return leftMB >= 0 && (leftMB >= othersMB || gpus.some((other) => other !== host && other.vramMB >= othersMB));
  });
  if (judgeFits) pins.push(nameOf("T3"));
  return pins;
}

/**
 * How many calls a run of `graph` makes to each model, from its structure: the router's model
 * once; a model node reached through one of a router's conditional edges, one over the number of
 * such edges; other model nodes once (a model node's model: its own, else its prompt's, else its
 * tier). The scheduler's prior of each model's next use.
 */
export function expectedCallsOf(
  graph: CompiledGraph,
  modelOf: (ref: { tier?: string; model?: string }) => string | undefined,
  promptOf: (id: string) => Pick<Prompt, "model" | "tier"> | undefined = () => undefined,
): Record<string, number> {
  const expected: Record<string, number> = {};
  const add = (model: string | undefined, calls: number) => {
    if (model) expected[model] = (expected[model] ?? 0) + calls;
  };
  const share = new Map<string, number>();
  for (const node of graph.nodeList) {
    if (node.kind !== "router") continue;
    const branches = graph.edges.filter((edge) => edge.from === node.id && edge.condition);
    for (const edge of branches) share.set(edge.to, Math.min(share.get(edge.to) ?? 1, 1 / branches.length));
  }
  for (const node of graph.nodeList) {
    const config = (node.config ?? {}) as { tier?: unknown; model?: unknown };
    const ref = {
      ...(typeof config.tier === "string" ? { tier: config.tier } : {}),
      ...(typeof config.model === "string" ? { model: config.model } : {}),
    };
    if (node.kind === "router" && (ref.tier || ref.model)) add(modelOf(ref), 1);
    else if (node.kind === "model") add(modelOf(modelNodeRef(...nodeRefOf(node.config, promptOf))), share.get(node.id) ?? 1);
    // The judge answers when the cheap checks cannot decide: about every other answer.
    else if (node.kind === "gate") add(modelOf({ tier: "T3" }), 0.5);
  }
  return expected;
}
