import type { TokensByTier } from "./bench-configuration";

/**
 * Default cost per 1,000 tokens (read or written) by tier: the tier's typical size in billions of
 * parameters (T0 about 0.5B, T1 3B, T2 8B, T3 14B), since a local model's compute per token grows
 * about linearly with its size. Override per tier with `--cost T1=2.5,T3=20`.
 */
export const DEFAULT_COST_WEIGHTS: Readonly<Record<string, number>> = { T0: 0.5, T1: 3, T2: 8, T3: 14 };

/** The cost of tokens by tier; tokens of an unknown tier are charged at `fallbackTier`'s weight (else T1's). */
export function costOf(tokens: TokensByTier, weights: Readonly<Record<string, number>>, fallbackTier?: string): number {
  let cost = 0;
  for (const [tier, { input, output }] of Object.entries(tokens)) {
    const weight = weights[tier] ?? (fallbackTier ? weights[fallbackTier] : undefined) ?? weights["T1"] ?? 1;
    cost += ((input + output) / 1000) * weight;
  }
  return cost;
}
