/**
 * An in-memory precedent index: lexical kNN over past gated runs with minisearch (BM25).
 *
 * @module
 */
import MiniSearch from "minisearch";
import type { Precedent, PrecedentIndex, PrecedentMatch } from "@tinyllm/core";

/** Options of {@link memoryPrecedentIndex}. */
export interface MemoryPrecedentIndexOptions {
  /** Keep at most this many precedents, the newest. Default 50 000. */
  maxPrecedents?: number;
  /** Queries are cut to this many characters. Default 2 000. */
  maxQueryChars?: number;
}

/** BM25 score at which the similarity is 0.5; similarity = score / (score + this). */
const BM25_HALF_SCORE = 5;

/** Maps a BM25 score (≥ 0, unbounded) to a similarity in [0, 1). */
export function bm25Similarity(score: number): number {
  return score <= 0 ? 0 : score / (score + BM25_HALF_SCORE);
}

/** A {@link PrecedentIndex} kept in memory (for benchmarks and tests). */
export function memoryPrecedentIndex({ maxPrecedents = 50_000, maxQueryChars = 2_000 }: MemoryPrecedentIndexOptions = {}): PrecedentIndex {
  const byId = new Map<number, Precedent>();
  let nextId = 0;
  const search = new MiniSearch<{ id: number; query: string }>({ fields: ["query"], idField: "id" });
  return {
    async add(precedent) {
      const stored: Precedent = { ...precedent, query: precedent.query.slice(0, maxQueryChars) };
      const id = nextId++;
      byId.set(id, stored);
      search.add({ id, query: stored.query });
      while (byId.size > maxPrecedents) {
        const oldest = byId.keys().next().value as number;
        search.discard(oldest);
        byId.delete(oldest);
      }
    },
    async nearest(query, k) {
      if (k <= 0) return [];
      const hits = search.search(query.slice(0, maxQueryChars), { combineWith: "OR" });
      const matches: PrecedentMatch[] = [];
      for (const hit of hits.slice(0, k)) {
        const p = byId.get(hit.id as number);
        if (p) matches.push({ ...p, similarity: bm25Similarity(hit.score) });
      }
      return matches;
    },
  };
}
