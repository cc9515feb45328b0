import type { ModelsConfig } from "@tinyllm/models";

/**
 * What is likely wrong in a fleet's `hosts:` and `scheduler:` settings, one sentence each, with
 * what to do: `scheduler.cpu` with no CPU host to run on, a CPU host with no `scheduler.cpu`
 * (its `ramMB` then means nothing), a CPU model larger than every CPU host's `ramMB` (alone, or
 * beside the pinned CPU models, which stay), and a fleet of CPU hosts only (the other models have
 * nowhere to run). Empty when nothing is. `nameOf` maps a tier (`T0`) to the model name the
 * fleet uses; `pinned` are the fleet's pins, as model names.
 */
export function fleetConfigWarnings(config: ModelsConfig, nameOf: (ref: string) => string, pinned: readonly string[] = []): string[] {
  const hosts = config.hosts ?? [];
  if (hosts.length === 0) return [];
  const warnings: string[] = [];
  const cpuRefs = config.scheduler?.cpu ?? [];
  const cpuHosts = hosts.filter((host) => host.kind === "ollama" && host.vramMB === 0 && (host.ramMB ?? 0) > 0);
  const hostName = (host: (typeof hosts)[number]) => host.name ?? hostOf(host.url);
  if (cpuRefs.length > 0 && cpuHosts.length === 0)
    warnings.push(
      `scheduler.cpu has no effect: no host is a CPU host, so ${cpuRefs.join(", ")} run on the GPUs (a CPU host is an Ollama host with vramMB: 0 and ramMB, such as a second \`ollama serve\` with CUDA_VISIBLE_DEVICES= on another port)`,
    );
  if (cpuRefs.length === 0 && cpuHosts.length > 0)
    warnings.push(
      `${cpuHosts.map(hostName).join(", ")} ${cpuHosts.length === 1 ? "has" : "have"} ramMB but scheduler.cpu lists no models: ${cpuHosts.length === 1 ? "it runs" : "they run"} any model, one at a time, and ramMB is not used (list the models to run there under scheduler.cpu, such as [T0])`,
    );
  if (cpuRefs.length > 0 && cpuHosts.length > 0) {
    const largestRamMB = Math.max(...cpuHosts.map((host) => host.ramMB ?? 0));
    const others = hosts.filter((host) => !cpuHosts.includes(host));
    const elsewhere = others.length > 0 ? "it does not run on the CPU hosts" : "it has no host to run on";
    const sizeOf = modelSizes(config);
    const cpuModels = cpuRefs.map((ref) => nameOf(ref));
    const pinnedOnCpu = pinned.filter((model) => cpuModels.includes(model));
    cpuRefs.forEach((ref, index) => {
      const model = cpuModels[index] as string;
      const sizeMB = sizeOf.get(model);
      if (sizeMB === undefined) return;
      const pins = pinnedOnCpu.filter((pin) => pin !== model && sizeOf.get(pin) !== undefined);
      const pinsMB = pins.reduce((sum, pin) => sum + (sizeOf.get(pin) ?? 0), 0);
      if (sizeMB > largestRamMB)
        warnings.push(
          `${ref} (${model}, ${sizeMB} MB) in scheduler.cpu is larger than every CPU host's ramMB (at most ${largestRamMB} MB): ${elsewhere} (raise ramMB, or take it out of scheduler.cpu)`,
        );
      else if (sizeMB + pinsMB > largestRamMB)
        warnings.push(
          `${ref} (${model}, ${sizeMB} MB) in scheduler.cpu does not fit beside the pinned ${pins.join(", ")} (${pinsMB} MB) on any CPU host (at most ${largestRamMB} MB): ${elsewhere} (raise ramMB, or take it out of scheduler.cpu or the pin out of scheduler.pin)`,
        );
    });
    if (others.length === 0)
      warnings.push(
        `every host is a CPU host: only the models in scheduler.cpu (${cpuRefs.join(", ")}) can run, and calls to the others fail with FLEET_NO_HOST (add a GPU host, or an Ollama host with vramMB: 0 and no ramMB that runs any model)`,
      );
  }
  return warnings;
}

/** Each tier's model name (Ollama's, else the OpenAI one) with its `memoryMB`, where given. */
function modelSizes(config: ModelsConfig): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const tier of Object.values(config.tiers)) {
    const name = tier?.ollama ?? tier?.openai;
    if (name && tier?.memoryMB !== undefined) sizes.set(name, tier.memoryMB);
  }
  return sizes;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
