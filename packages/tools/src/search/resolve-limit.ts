import { TinyLLMError } from "@tinyllm/core";
import { SearchErrorCode } from "./search-error-codes";

/** Default number of results when the caller gives no `limit`. */
export const DEFAULT_SEARCH_LIMIT = 5;

/**
 * Checks a caller's `limit`: `undefined` becomes {@link DEFAULT_SEARCH_LIMIT}; anything other
 * than an integer from 1 to `max` throws `SEARCH_QUERY_INVALID`.
 */
export function resolveLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return Math.min(DEFAULT_SEARCH_LIMIT, max);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new TinyLLMError({ code: SearchErrorCode.SearchQueryInvalid, message: `search limit must be an integer from 1 to ${max}, got ${String(limit)}` });
  }
  return limit;
}
