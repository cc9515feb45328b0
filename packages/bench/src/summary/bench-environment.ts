import { execFileSync } from "node:child_process";
import os from "node:os";
import type { BenchEnvironment } from "../bench-summary";

function firstLine(command: string, args: string[], cwd?: string): string | undefined {
  try {
    const out = execFileSync(command, args, { cwd, encoding: "utf8", timeout: 5_000, stdio: ["ignore", "pipe", "ignore"] });
    return out.split("\n")[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link benchEnvironment}. */
export interface BenchEnvironmentOptions {
  provider: string;
  models: Record<string, string>;
  seed: number;
  /** Where to read the git commit from. Default: the working directory. */
  cwd?: string;
}

/**
 * Where the benchmark ran: date, git commit (when in a checkout), provider, models, seed, and the
 * machine (CPU, cores, memory, the first NVIDIA GPU when `nvidia-smi` answers, OS, Node).
 */
export function benchEnvironment({ provider, models, seed, cwd }: BenchEnvironmentOptions): BenchEnvironment {
  const commit = firstLine("git", ["rev-parse", "HEAD"], cwd);
  const gpu = firstLine("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader"]);
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    ...(commit && /^[0-9a-f]{40}$/.test(commit) ? { commit } : {}),
    provider,
    models,
    machine: {
      cpu: cpus[0]?.model.trim() || "unknown",
      cores: cpus.length,
      memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      ...(gpu ? { gpu } : {}),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
    },
    seed,
  };
}
