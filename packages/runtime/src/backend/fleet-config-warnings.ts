import { isTierId, type ModelsConfig } from "@tinyllm/models";

/**
 * What is likely wrong in a fleet's `hosts:` and `scheduler:` settings, one sentence each, with
 * what to do: `scheduler.cpu` with no CPU host to run on, a CPU host with no `scheduler.cpu`
 * (its `ramMB` then means nothing), a CPU model larger than every CPU host's `ramMB`, and a
 * fleet of CPU hosts only (the other models have nowhere to run). Empty when nothing is.
 * `nameOf` maps a tier (`T0`) to the model name the fleet uses.
 */
export function fleetConfigWarnings(config: ModelsConfig, nameOf: (ref: string) => string): string[] {
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
    for (const ref of cpuRefs) {
      const tier = isTierId(ref.trim().toUpperCase()) ? config.tiers[ref.trim().toUpperCase() as keyof typeof config.tiers] : undefined;
      const sizeMB = tier?.memoryMB;
      if (sizeMB !== undefined && sizeMB > largestRamMB)
        warnings.push(
          `${ref} (${nameOf(ref)}, ${sizeMB} MB) in scheduler.cpu is larger than every CPU host's ramMB (at most ${largestRamMB} MB): it ${others.length > 0 ? "runs on another host" : "has no host to run on"} (raise ramMB, or take it out of scheduler.cpu)`,
        );
    }
    if (others.length === 0)
      warnings.push(
        `every host is a CPU host: only the models in scheduler.cpu (${cpuRefs.join(", ")}) can run, and calls to the others fail with FLEET_NO_HOST (add a GPU host, or an Ollama host with vramMB: 0 and no ramMB that runs any model)`,
      );
  }
  return warnings;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
