import { TinyLLMError } from "@tinyllm/core";
import { SearchErrorCode } from "./search-error-codes";

/** Trims `query`; throws `SEARCH_QUERY_INVALID` when nothing is left. */
export function requireQuery(query: unknown): string {
  const trimmed = typeof query === "string" ? query.trim() : "";
  if (!trimmed) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchQueryInvalid,
      message: "the search query is empty",
      hint: 'pass a few specific keywords, e.g. "install on linux"',
    });
  }
  return trimmed;
}
