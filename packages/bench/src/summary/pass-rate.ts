import type { PassRate } from "../bench-summary";

/**
 * The share `passed / scored` with its Wilson score interval (95% by default): unlike the
 * normal approximation it stays within 0–1 and is sound for small counts.
 */
export function passRate(passed: number, scored: number, z = 1.959964): PassRate {
  if (scored <= 0) return { passed: 0, scored: 0, rate: 0, low: 0, high: 1 };
  const p = passed / scored;
  const z2 = z * z;
  const denominator = 1 + z2 / scored;
  const centre = (p + z2 / (2 * scored)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / scored + z2 / (4 * scored * scored))) / denominator;
  return { passed, scored, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
