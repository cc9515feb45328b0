import MiniSearch from "minisearch";
import type { Precedent, PrecedentMatch } from "@tinyllm/core";
import { memoryTerms } from "../recall/terms";

/** BM25 score at which the similarity is 0.5; similarity = score / (score + this). */
const BM25_HALF_SCORE = 5;

/** Maps a BM25 score (≥ 0, unbounded) to a similarity in [0, 1). */
export function bm25Similarity(score: number): number {
  return score <= 0 ? 0 : score / (score + BM25_HALF_SCORE);
}

/**
 * Precedents held in memory for lexical kNN: one BM25 index (minisearch, stemmed terms without
 * stop words) per scope, so term weights come from the precedents of the same routing problem.
 * Ids are increasing integers; the oldest are dropped first. @internal
 */
export class PrecedentSearch {
  private readonly byId = new Map<number, Precedent>();
  private readonly indexes = new Map<string, MiniSearch<{ id: number; query: string }>>();

  get size(): number {
    return this.byId.size;
  }

  /** The smallest id held, or undefined when empty (ids are kept in insertion order). */
  get oldestId(): number | undefined {
    return this.byId.keys().next().value;
  }

  add(id: number, precedent: Precedent): void {
    const scope = precedent.scope ?? "";
    let index = this.indexes.get(scope);
    if (!index) {
      index = new MiniSearch<{ id: number; query: string }>({ fields: ["query"], tokenize: memoryTerms, processTerm: (term) => term });
      this.indexes.set(scope, index);
    }
    this.byId.set(id, precedent);
    index.add({ id, query: precedent.query });
  }

  /** Drops every precedent whose id is below `id`. */
  dropBelow(id: number): void {
    for (const [held, precedent] of this.byId) {
      if (held >= id) break;
      this.indexes.get(precedent.scope ?? "")?.discard(held);
      this.byId.delete(held);
    }
  }

  clear(): void {
    this.byId.clear();
    this.indexes.clear();
  }

  nearest(query: string, k: number, scope = ""): PrecedentMatch[] {
    const index = this.indexes.get(scope);
    if (!index || k <= 0) return [];
    const matches: PrecedentMatch[] = [];
    for (const hit of index.search(query, { combineWith: "OR" })) {
      const precedent = this.byId.get(hit.id as number);
      if (precedent) matches.push({ ...precedent, similarity: bm25Similarity(hit.score) });
      if (matches.length === k) break;
    }
    return matches;
  }
}
