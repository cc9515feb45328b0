/**
 * Generation rates the simulator uses when a model gives none.
 *
 * @module
 */
import type { PlacementModel } from "./trace";

/** Effective GPU memory bandwidth for decoding, in MB/s (a mid-range card at ~60% of ~300 GB/s). */
export const GPU_DECODE_MB_PER_S = 180_000;
/**
 * Effective CPU memory bandwidth for the offloaded layers of a partly offloaded model, and for a
 * model run on the CPU, in MB/s; shared by the calls of one host that use it at once.
 */
export const CPU_DECODE_MB_PER_S = 20_000;

/** Where a call runs, for {@link tokensPerSecond}. */
export interface DecodeOptions {
  /** The model runs on the CPU from system memory (default false). */
  onCpu?: boolean;
  /** Calls of the host that read system memory at once, this one included: they share its bandwidth (default 1). */
  cpuSharers?: number;
}

/**
 * Tokens per second of `model` on a host with `capacityMB` of usable VRAM. Decoding is
 * memory-bound: each token reads the whole model once, so the time per token is
 * `gpuMB / GPU_DECODE_MB_PER_S + cpuMB / (CPU_DECODE_MB_PER_S / cpuSharers)`, where `cpuMB` is
 * the part that does not fit the host (all of it with `onCpu`). `model.tokensPerSecond`, when
 * given, is the fully-on-GPU rate.
 */
export function tokensPerSecond(model: PlacementModel, capacityMB: number, { onCpu = false, cpuSharers = 1 }: DecodeOptions = {}): number {
  const gpuMB = onCpu ? 0 : Math.min(model.sizeMB, capacityMB);
  const cpuMB = model.sizeMB - gpuMB;
  const gpuSeconds = model.tokensPerSecond === undefined ? gpuMB / GPU_DECODE_MB_PER_S : gpuMB / model.sizeMB / model.tokensPerSecond;
  return 1 / (gpuSeconds + cpuMB / (CPU_DECODE_MB_PER_S / Math.max(1, cpuSharers)));
}
