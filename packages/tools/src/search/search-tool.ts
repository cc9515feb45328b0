import { z } from "zod";
import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";
import { defineTool } from "../tool/tool";
import type { Tool } from "../tool/tool";
import type { SearchProvider, SearchResult } from "./search-result";

/** Options of {@link createSearchTool}. */
export interface SearchToolOptions {
  /** Tool name, `[a-z][a-z0-9_]*`. Default `search`. */
  name?: string;
  /** What the tool searches, for the model. Default: a generic description. */
  description?: string;
  /** Longest a call may take. Default 15,000 ms (a first local search builds the index). */
  timeoutMs?: number;
}

/** Input of a search tool, after defaults. */
export interface SearchToolInput {
  query: string;
  limit: number;
}

/** Output of a search tool. */
export interface SearchToolOutput {
  results: SearchResult[];
}

const DEFAULT_DESCRIPTION =
  "Searches for passages relevant to a query. Returns the best matches, each with a title, a short snippet and its source (a file path with line, or a URL). Use a few specific keywords, not a whole question.";

const inputSchema = z.object({
  query: z.string().trim().min(1, "query is empty").max(500).describe('A few specific keywords, e.g. "retry policy timeout"'),
  limit: z.number().int().min(1).max(10).default(5).describe("Most results to return, 1–10"),
});

const outputSchema = z.object({
  results: z.array(
    z.object({
      title: z.string(),
      snippet: z.string(),
      source: z.string(),
      score: z.number().optional(),
    }),
  ),
});

/**
 * Wraps a {@link SearchProvider} as a {@link Tool} with input `{ query, limit? }` (limit 1–10,
 * default 5) and output `{ results }`. Provider errors pass through `runTool` with their code
 * and hint, e.g. `SEARCH_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const docsSearch = createSearchTool(createLocalSearch({ dir: "./docs" }), { name: "search_docs", description: "Searches the project documentation." });
 * const result = await runTool(docsSearch, { query: "retry policy" });
 * if (result.ok) console.log(result.output.results[0]?.source); // "guide/retries.md#L12"
 * ```
 */
export function createSearchTool(
  provider: SearchProvider,
  { name = "search", description = DEFAULT_DESCRIPTION, timeoutMs = 15_000 }: SearchToolOptions = {},
): Tool<SearchToolInput, SearchToolOutput> {
  if (!/^[a-z][a-z0-9_]{0,63}$/u.test(name))
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `tool name '${name}' must match [a-z][a-z0-9_]*` });
  return defineTool<SearchToolInput, SearchToolOutput>({
    name,
    description,
    inputSchema,
    outputSchema,
    timeoutMs,
    async execute({ query, limit }, { abortSignal }) {
      return { results: await provider.search(query, { limit, abortSignal }) };
    },
  });
}
