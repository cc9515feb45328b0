import MiniSearch from "minisearch";
import type { Precedent, PrecedentMatch } from "@tinyllm/core";
import { memoryTerms } from "../recall/terms";

/**
 * How alike two texts are, from 0 to 1: the Jaccard index of their distinct terms (lower case,
 * stop words left out, lightly stemmed). It does not depend on what else is indexed, so a
 * threshold such as "at least half the words in common" means the same with 5 precedents or
 * 50 000.
 */
export function termSimilarity(a: string, b: string): number {
  return jaccard(new Set(memoryTerms(a)), new Set(memoryTerms(b)));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Precedents held in memory for lexical kNN: one BM25 index (minisearch, stemmed terms without
 * stop words) per scope finds the candidates, ranked then by {@link termSimilarity}. Ids are
 * increasing integers; the oldest are dropped first. @internal
 */
export class PrecedentSearch {
  private readonly byId = new Map<number, Precedent>();
  private readonly termsById = new Map<number, ReadonlySet<string>>();
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
    this.termsById.set(id, new Set(memoryTerms(precedent.query)));
    index.add({ id, query: precedent.query });
  }

  /** Drops every precedent whose id is below `id`. */
  dropBelow(id: number): void {
    for (const [held, precedent] of this.byId) {
      if (held >= id) break;
      this.indexes.get(precedent.scope ?? "")?.discard(held);
      this.byId.delete(held);
      this.termsById.delete(held);
    }
  }

  clear(): void {
    this.byId.clear();
    this.termsById.clear();
    this.indexes.clear();
  }

  nearest(query: string, k: number, scope = ""): PrecedentMatch[] {
    const index = this.indexes.get(scope);
    if (!index || k <= 0) return [];
    const terms = new Set(memoryTerms(query));
    const matches: PrecedentMatch[] = [];
    // BM25 finds the candidates that share the rarer words; the term overlap ranks them.
    for (const hit of index.search(query, { combineWith: "OR" }).slice(0, Math.max(4 * k, 32))) {
      const precedent = this.byId.get(hit.id as number);
      const similarity = jaccard(terms, this.termsById.get(hit.id as number) ?? new Set());
      if (precedent && similarity > 0) matches.push({ ...precedent, similarity });
    }
    return matches.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }
}
