import type { PrecedentMatch } from "@tinyllm/core";

/** When the nearest precedents are enough to decide a route. */
export interface DecideByPrecedentOptions {
  /** Matches below this similarity are ignored. Default 0.5. */
  minSimilarity?: number;
  /** How many passing precedents must back the winning route. Default 2. */
  minAgree?: number;
}

/** A route decided by precedent, with the similarity-weighted share that backs it. */
export interface PrecedentDecision {
  route: string;
  /** Net weight of the route over the total weight of the considered matches, in [0, 1]. */
  confidence: number;
  /** How many passing precedents backed the route. */
  support: number;
}

/**
 * Decides a route from a query's nearest precedents, or `undefined` when they do not agree.
 * Passing precedents vote for their route; failing ones count against it. The route wins only
 * when every considered passing precedent agrees on it and its net weight stays positive.
 */
export function decideByPrecedent(
  matches: readonly PrecedentMatch[],
  { minSimilarity = 0.5, minAgree = 2 }: DecideByPrecedentOptions = {},
): PrecedentDecision | undefined {
  const considered = matches.filter((m) => m.similarity >= minSimilarity);
  const passing = considered.filter((m) => m.pass);
  const routes = new Set(passing.map((m) => m.route));
  if (routes.size !== 1) return undefined;
  const [route] = [...routes] as [string];
  const support = passing.length;
  if (support < minAgree) return undefined;
  const total = considered.reduce((sum, m) => sum + m.similarity, 0);
  const net = considered.reduce((sum, m) => (m.route !== route ? sum : sum + (m.pass ? m.similarity : -m.similarity)), 0);
  if (net <= 0 || total <= 0) return undefined;
  return { route, confidence: net / total, support };
}

/**
 * Whether a query's nearest precedents speak against `route`: at least `minAgree` of them failed
 * on it, and their similarity outweighs the passing ones on it.
 */
export function precedentsAgainst(
  matches: readonly PrecedentMatch[],
  route: string,
  { minSimilarity = 0.5, minAgree = 2 }: DecideByPrecedentOptions = {},
): boolean {
  let failed = 0;
  let net = 0;
  for (const m of matches) {
    if (m.route !== route || m.similarity < minSimilarity) continue;
    if (!m.pass) failed++;
    net += m.pass ? m.similarity : -m.similarity;
  }
  return failed >= minAgree && net < 0;
}
