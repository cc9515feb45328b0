import { createHash } from "node:crypto";
import type { EvaluationItem } from "./evaluation-item";

/** Options of {@link splitEvaluationSet}. */
export interface SplitEvaluationSetOptions {
  /** Share of the node's stored queries held out for judging, 0 to 1. Default 0.5. */
  heldOutShare?: number;
  /** Changes which queries fall on which side. Default `"expansion"`. */
  salt?: string;
}

/** The two parts of an evaluation set. */
export interface EvaluationSplit {
  /** Queries strategies may learn from (failing examples, demonstrations). */
  propose: EvaluationItem[];
  /** Queries both versions are judged on, never shown to a strategy. */
  heldOut: EvaluationItem[];
}

/**
 * Splits a node's stored queries into a part for proposing and a held-out part for judging, by a
 * hash of each query (so the same query always falls on the same side, whatever else is in the
 * set), and adds every `extra` query (`--queries`) to the held-out part. Duplicate queries are
 * kept once. With at least two stored queries, each part gets at least one.
 */
export function splitEvaluationSet(
  stored: readonly EvaluationItem[],
  extra: readonly EvaluationItem[] = [],
  options: SplitEvaluationSetOptions = {},
): EvaluationSplit {
  const share = Math.min(1, Math.max(0, options.heldOutShare ?? 0.5));
  const salt = options.salt ?? "expansion";
  const seen = new Set<string>();
  const unique = stored.filter((item) => !seen.has(item.query) && seen.add(item.query));
  const ranked = unique
    .map((item) => ({ item, rank: createHash("sha256").update(`${salt}\0${item.query}`).digest().readUInt32BE(0) / 2 ** 32 }))
    .sort((a, b) => a.rank - b.rank);
  let heldCount = Math.round(ranked.length * share);
  if (ranked.length >= 2) heldCount = Math.min(ranked.length - 1, Math.max(1, heldCount));
  const heldOut = ranked.slice(0, heldCount).map((entry) => entry.item);
  const propose = ranked.slice(heldCount).map((entry) => entry.item);
  for (const item of extra) {
    if (seen.has(item.query)) continue;
    seen.add(item.query);
    heldOut.push(item);
  }
  return { propose, heldOut };
}
