/**
 * The Wilson score interval of a proportion: `successes` out of `n`, at `z` standard deviations
 * (default 1.96, a 95% interval). It stays within [0, 1] and behaves at 0 and n successes, unlike
 * the normal approximation. With `n = 0` it is `[0, 1]`.
 */
export function wilsonInterval(successes: number, n: number, options: { z?: number } = {}): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const z = options.z ?? 1.96;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
