/** One search hit, as a model sees it. */
export interface SearchResult {
  /** The nearest heading or the file name (local search), or the page title (web search). */
  title: string;
  /** A short, trimmed excerpt around the best match (at most ~300 characters). */
  snippet: string;
  /** Where the hit comes from: a path relative to the searched folder plus `#L<line>`, or a URL. */
  source: string;
  /** Relevance as the provider computes it; higher is better. Not comparable across providers. */
  score?: number;
}

/** Options of {@link SearchProvider.search}. */
export interface SearchOptions {
  /** Most results to return. Each provider has its own default (5) and ceiling. */
  limit?: number;
  /** Aborts the search; the promise then rejects with `SEARCH_ABORTED` (or the signal's TinyLLM reason). */
  abortSignal?: AbortSignal;
}

/**
 * Something that answers a text query with ranked {@link SearchResult}s: a local folder
 * (`createLocalSearch`), a SearXNG instance (`createSearxngSearch`) or your own.
 * Failures reject with a `TinyLLMError` whose code is one of `SearchErrorCode`.
 */
export interface SearchProvider {
  search(query: string, options?: SearchOptions): Promise<SearchResult[]>;
}
