/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `task` `warmup` times, then `rounds` rounds of `iterations`, and returns ms per iteration for each round. */
export async function measure(
  task: () => Promise<unknown>,
  { warmup, rounds, iterations }: { warmup: number; rounds: number; iterations: number },
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await task();
  const perIteration: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await task();
    perIteration.push((performance.now() - start) / iterations);
  }
  return perIteration;
}

/** Reads `--name value` from argv. */
export function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * True in smoke mode (`--smoke` or `BENCH_SMOKE=1`): few rounds and few items, to prove the
 * benchmark runs end to end and prints its JSON line. Its figures are not the published ones.
 */
export const smoke = process.argv.includes("--smoke") || process.env.BENCH_SMOKE === "1";

/** Like {@link flag}, but `smokeFallback` is the default in smoke mode. An explicit `--name` wins in both. */
export function sizeFlag(name: string, fallback: number, smokeFallback: number): number {
  return flag(name, smoke ? smokeFallback : fallback);
}
