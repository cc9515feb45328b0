/**
 * The fleet's configuration, status and events.
 *
 * @module
 */
import type { CallPriority } from "../scheduler/trace";
import type { CircuitState } from "./circuit-breaker";

/** One inference server of a fleet. */
export interface FleetHost {
  /** A short name for logs and `models ps` (default: the URL's `host:port`). */
  name?: string;
  /** Ollama: the server URL (`http://gpu0:11434`). OpenAI-compatible: the base URL (`http://gpu1:8080/v1`). */
  url: string;
  /** `ollama` loads and unloads models on demand; `openai` (vLLM, llama-server, LM Studio) serves fixed models. */
  kind: "ollama" | "openai";
  /** The GPU memory models may use on this host, in MB. */
  vramMB: number;
  /**
   * System memory for models, in MB. On a CPU host (an Ollama host with `vramMB: 0`, such as a
   * second `ollama serve` with no GPU visible beside the GPU one), the memory the fleet's
   * `cpuModels` may use there; on a GPU host, informational (what a partly offloaded model may use).
   */
  ramMB?: number;
  /** Free-form labels, such as `{ gpu: "rtx3060" }`. */
  labels?: Readonly<Record<string, string>>;
  /** The API key of an OpenAI-compatible host. */
  apiKey?: string;
  /**
   * OpenAI-compatible hosts: the models they serve, by the name the graph's tiers use (the
   * Ollama tag) → the host's model id. Models the host lists under the same name are served too.
   */
  models?: Readonly<Record<string, string>>;
}

/** What the scheduler knows of a model before it has seen it loaded. */
export interface FleetModel {
  /** Memory the loaded model takes, in MB (default: learned from the host, else the file size). */
  sizeMB?: number;
  /** Load time, in ms (default: learned from the loads seen, else 5,000). */
  loadMs?: number;
  /** Calls one loaded copy serves at once (default 1, like `OLLAMA_NUM_PARALLEL`). */
  parallel?: number;
}

/** One model on a host, as {@link FleetStatus} shows it. */
export interface FleetLoadedModel {
  model: string;
  /** VRAM it holds, in MB (system memory on a CPU host). */
  usedMB: number;
  /** It runs on a CPU host, from system memory. */
  onCpu?: boolean;
  /** Partly offloaded: this many of its layers are on the GPU (`num_gpu`), the rest in system memory. */
  gpuLayers?: number;
  /** True while its load is in progress. */
  loading: boolean;
  /** Calls running on it now. */
  inFlight: number;
  /** Whether the scheduler keeps it loaded. */
  pinned: boolean;
  /** When the host will unload it by itself, ISO 8601; absent when never or unknown. */
  expiresAt?: string;
}

/** One host, as {@link FleetStatus} shows it. */
export interface FleetHostStatus {
  name: string;
  url: string;
  kind: "ollama" | "openai";
  /** `closed`: healthy; `open`: down (no calls go there); `half-open`: a probe will decide. */
  state: CircuitState;
  /** Why it is down, while it is. */
  lastError?: string;
  vramMB: number;
  /** A CPU host: the system memory for its models, in MB (then `usedMB` and `freeMB` are of it). */
  ramMB?: number;
  usedMB: number;
  freeMB: number;
  labels: Readonly<Record<string, string>>;
  loaded: FleetLoadedModel[];
  /** Calls waiting for a model loaded or loading on this host. */
  queue: { interactive: number; batch: number };
}

/** The whole fleet, now. */
export interface FleetStatus {
  hosts: FleetHostStatus[];
  /** Every call waiting for a host. */
  queue: { interactive: number; batch: number };
  pinned: string[];
}

/** What the fleet does, as it happens: a tagged union. */
export type FleetEvent =
  | { type: "load-start"; host: string; model: string; reason: "call" | "prefetch" | "pin" }
  | { type: "load-end"; host: string; model: string; loadMs: number }
  | { type: "load-failed"; host: string; model: string; message: string }
  | { type: "evict"; host: string; model: string }
  | { type: "call-start"; host: string; model: string; priority: CallPriority; run?: string; waitMs: number }
  | { type: "call-end"; host: string; model: string; priority: CallPriority; ok: boolean }
  | { type: "failover"; host: string; model: string; message: string }
  | { type: "host-down"; host: string; message: string }
  | { type: "host-up"; host: string };

/** Who a call is for: its run, and whether someone waits for the answer. */
export interface FleetCallContext {
  /** The run the call belongs to (its calls are sequential). */
  runId?: string;
  /** `interactive` (default) goes before `batch`; batch calls age so they are never starved. */
  priority?: CallPriority;
}
