/** One past gated run: what was asked, where the router sent it, and whether the answer passed. */
export interface Precedent {
  query: string;
  /** The route the run took (the router's decision, e.g. `math` or `code+math`). */
  route: string;
  pass: boolean;
  /** The gate's score in [0, 1], when it had one. */
  score?: number | null;
  /**
   * Which routing problem the precedent belongs to, so that routers with other routes never
   * consult it (the runtime uses the router's route names, see `routerScope` in `@tinyllm/models`).
   * Unscoped precedents are only found by unscoped searches.
   */
  scope?: string;
}

/** Options of {@link PrecedentIndex.nearest}. */
export interface NearestPrecedentsOptions {
  /** Only precedents of this scope; default: only unscoped ones. */
  scope?: string;
}

/** A precedent near a query, with its similarity in [0, 1]. */
export interface PrecedentMatch extends Precedent {
  similarity: number;
}

/**
 * Past gated runs the router consults: the K nearest precedents of a query. When they agree
 * and passed, they decide the route on the fast path; precedents that failed on a route count
 * against it.
 */
export interface PrecedentIndex {
  /** Records a gated run. */
  add(precedent: Precedent): Promise<void>;
  /** The `k` most similar precedents of `query` in one scope, most similar first. */
  nearest(query: string, k: number, options?: NearestPrecedentsOptions): Promise<PrecedentMatch[]>;
}
