/**
 * A fleet of loopback Ollama test servers, every model answered by the same real tiny model,
 * and the `tinyllm.yaml` lines that point TinyLLM at it: the set-up of the fleet tests of the
 * runtime, the server and the CLI.
 *
 * @module
 */
import { basename } from "node:path";
import { createLlamaProvider } from "../provider/llama-provider";
import { startOllamaTestServer, type OllamaTestModel, type OllamaTestServer } from "./ollama-test-server";
import { resolveTestModel } from "./test-model";

/** The models of a test fleet, one per tier: T0 `router:0.5b` (300 MB) to T3 `judge:14b` (900 MB). */
export const testFleetModels: readonly (OllamaTestModel & { tier: "T0" | "T1" | "T2" | "T3" })[] = [
  { name: "router:0.5b", sizeMB: 300, loadMs: 30, tier: "T0" },
  { name: "code:3b", sizeMB: 600, loadMs: 60, tier: "T1" },
  { name: "math:3b", sizeMB: 600, loadMs: 60, tier: "T2" },
  { name: "judge:14b", sizeMB: 900, loadMs: 90, tier: "T3" },
];

/** Options of {@link startTestFleet}. */
export interface TestFleetOptions {
  /** How many hosts (default 2), named `gpu0`, `gpu1`, … */
  hosts?: number;
  /** Each host's VRAM, in MB (default 1,000: T0 and one 600 MB model fit together, T3 and T0 do not). */
  vramMB?: number;
  /**
   * How many CPU hosts to add (default 0), named `cpu0`, …: Ollama test servers configured as
   * `vramMB: 0` with `ramMB` (standing for an Ollama with no GPU visible, whose memory is the
   * system's), for the models in `scheduler.cpu`.
   */
  cpuHosts?: number;
  /** Each CPU host's memory for models, in MB (default 1,000). */
  ramMB?: number;
}

/** A running {@link startTestFleet}. */
export interface TestFleet {
  /** The GPU hosts, `gpu0` first. */
  readonly hosts: readonly OllamaTestServer[];
  /** The CPU hosts, `cpu0` first. */
  readonly cpuHosts: readonly OllamaTestServer[];
  /** `tinyllm.yaml` text: `hosts:`, `scheduler:` (no periodic health checks, plus `scheduler` lines given) and `tiers:` mapped to {@link testFleetModels}. */
  config(schedulerLines?: readonly string[]): string;
  /** Stops every host and closes the model. */
  close(): Promise<void>;
}

/** Starts {@link TestFleetOptions.hosts} Ollama test servers serving {@link testFleetModels}. */
export async function startTestFleet({ hosts: count = 2, vramMB = 1000, cpuHosts: cpuCount = 0, ramMB = 1000 }: TestFleetOptions = {}): Promise<TestFleet> {
  const model = await resolveTestModel();
  const provider = createLlamaProvider({ modelPath: model.path, threads: 1 });
  const hosts: OllamaTestServer[] = [];
  const models = testFleetModels.map(({ name, sizeMB, loadMs }) => ({ name, sizeMB, ...(loadMs !== undefined ? { loadMs } : {}) }));
  for (let i = 0; i < count; i++) hosts.push(await startOllamaTestServer({ provider, providerModel: basename(model.path), models, vramMB }));
  const cpuHosts: OllamaTestServer[] = [];
  for (let i = 0; i < cpuCount; i++) cpuHosts.push(await startOllamaTestServer({ provider, providerModel: basename(model.path), models, vramMB: ramMB }));
  return {
    hosts,
    cpuHosts,
    config: (schedulerLines = []) =>
      [
        "hosts:",
        ...hosts.map((host, i) => `  - { name: gpu${i}, url: "${host.url}", kind: ollama, vramMB: ${vramMB} }`),
        ...cpuHosts.map((host, i) => `  - { name: cpu${i}, url: "${host.url}", kind: ollama, vramMB: 0, ramMB: ${ramMB} }`),
        "scheduler:",
        "  healthCheckIntervalMs: 0",
        ...schedulerLines.map((line) => `  ${line}`),
        "tiers:",
        ...testFleetModels.map((m) => `  ${m.tier}: { ollama: ${m.name}, memoryMB: ${m.sizeMB} }`),
        "",
      ].join("\n"),
    async close() {
      await Promise.all([...hosts, ...cpuHosts].map((host) => host.close()));
      await provider.close();
    },
  };
}
