/**
 * An in-memory precedent index: lexical kNN over past gated runs (BM25 candidates, ranked by term overlap).
 *
 * @module
 */
import type { PrecedentIndex } from "@tinyllm/core";
import { checkPrecedent } from "./check-precedent";
import { PrecedentSearch } from "./precedent-search";

export { termSimilarity } from "./precedent-search";

/** Options of {@link memoryPrecedentIndex}. */
export interface MemoryPrecedentIndexOptions {
  /** Keep at most this many precedents, the newest. Default 50 000. */
  maxPrecedents?: number;
  /** Queries are cut to this many characters. Default 2 000. */
  maxQueryChars?: number;
}

/**
 * A {@link PrecedentIndex} kept in memory, gone when the process ends (for benchmarks and
 * tests; {@link openPrecedentIndex} keeps them in SQLite).
 *
 * @throws TinyLLMError `MEMORY_INPUT_INVALID` from `add` when a precedent is malformed.
 */
export function memoryPrecedentIndex({ maxPrecedents = 50_000, maxQueryChars = 2_000 }: MemoryPrecedentIndexOptions = {}): PrecedentIndex {
  const search = new PrecedentSearch();
  let nextId = 0;
  return {
    async add(precedent) {
      search.add(nextId++, checkPrecedent(precedent, maxQueryChars));
      if (search.size > maxPrecedents) search.dropBelow(nextId - maxPrecedents);
    },
    async nearest(query, k, options = {}) {
      return search.nearest(String(query).slice(0, maxQueryChars), k, options.scope);
    },
  };
}
