/** Stable error codes of the search providers; they travel in `TinyLLMError.code`. */
export const SearchErrorCode = {
  /** The local search folder does not exist or is not a folder. */
  SearchSourceMissing: "SEARCH_SOURCE_MISSING",
  /** The query is empty, has no searchable words, or an option is out of range. */
  SearchQueryInvalid: "SEARCH_QUERY_INVALID",
  /** The search service cannot be used: unreachable, refusing, overloaded or misconfigured. */
  SearchUnavailable: "SEARCH_UNAVAILABLE",
  /** The service did not answer within its timeout. */
  SearchTimeout: "SEARCH_TIMEOUT",
  /** The caller aborted the search. */
  SearchAborted: "SEARCH_ABORTED",
  /** The search ran but failed, e.g. the service answered something that is not valid JSON. */
  SearchFailed: "SEARCH_FAILED",
} as const;

/** One of the {@link SearchErrorCode} values. */
export type SearchErrorCode = (typeof SearchErrorCode)[keyof typeof SearchErrorCode];
