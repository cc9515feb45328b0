/**
 * Search for specialists: a local folder of markdown and text files (BM25+, passage level),
 * a SearXNG instance, and a tool that exposes either to a model.
 */
export type { SearchOptions, SearchProvider, SearchResult } from "./search-result";
export { SearchErrorCode } from "./search-error-codes";
export { createLocalSearch } from "./create-local-search";
export type { LocalSearch, LocalSearchOptions, LocalSearchStats } from "./create-local-search";
export { createSearxngSearch } from "./create-searxng-search";
export type { SearxngSearchOptions } from "./create-searxng-search";
export { createSearchTool } from "./search-tool";
export type { SearchToolInput, SearchToolOptions, SearchToolOutput } from "./search-tool";
