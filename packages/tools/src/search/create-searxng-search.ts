import { z } from "zod";
import { CoreErrorCode, TinyLLMError, mergeAbortSignals } from "@tinyllm/core";
import { MAX_SNIPPET_CHARS } from "./make-snippet";
import { raceSearchAbort, toAbortError } from "./to-abort-error";
import { requireQuery } from "./require-query";
import { resolveLimit } from "./resolve-limit";
import { SearchErrorCode } from "./search-error-codes";
import type { SearchOptions, SearchProvider, SearchResult } from "./search-result";

/** Options of {@link createSearxngSearch}. */
export interface SearxngSearchOptions {
  /** Where SearXNG runs, e.g. `http://localhost:8888` (a path prefix such as `/searx` is kept). */
  baseUrl: string | URL;
  /** Longest a search may take, from request to parsed answer. Default 5000 ms. */
  timeoutMs?: number;
  /** Search language, e.g. `en`, `de-CH` or `all`; SearXNG's `language` parameter. */
  language?: string;
  /** 0 off, 1 moderate, 2 strict; SearXNG's `safesearch` parameter. */
  safesearch?: 0 | 1 | 2;
  /** SearXNG categories, e.g. `["general", "it"]`. */
  categories?: string | readonly string[];
  /** The fetch to use; defaults to the global one. For tests and proxies. */
  fetch?: typeof globalThis.fetch;
}

/** Most results one search may ask for (SearXNG's first page). */
const MAX_LIMIT = 20;
/** Longest answer read; a results page is tens of kilobytes. */
const MAX_BODY_CHARS = 5 * 1024 * 1024;

const ResultSchema = z.object({
  url: z.string().min(1),
  title: z.string().optional().catch(undefined),
  content: z.string().nullish().catch(undefined),
  score: z.number().optional().catch(undefined),
});
const ResponseSchema = z.object({
  results: z.array(z.unknown()),
  unresponsive_engines: z.array(z.unknown()).optional().catch(undefined),
});

/**
 * Web search through a SearXNG instance's JSON API (`GET {baseUrl}/search?q=…&format=json`).
 * Results keep SearXNG's order; `source` is the page URL, `snippet` its content excerpt.
 *
 * Errors (all `TinyLLMError`):
 * - `SEARCH_UNAVAILABLE` — not reachable (retryable); HTTP 403, usually because the JSON format
 *   is not enabled in `settings.yml`; HTTP 429 from SearXNG's limiter; HTTP 5xx; or an empty
 *   page because every engine failed.
 * - `SEARCH_TIMEOUT` — no complete answer within `timeoutMs` (retryable).
 * - `SEARCH_FAILED` — an answer that is not SearXNG's JSON, or another HTTP error.
 * - `SEARCH_QUERY_INVALID` — empty query or a `limit` outside 1–20.
 *
 * @example
 * ```ts
 * const web = createSearxngSearch({ baseUrl: "http://localhost:8888", language: "en" });
 * const results = await web.search("vitest fake timers", { limit: 3 });
 * // → [{ title: "Timers | Vitest", snippet: "…", source: "https://vitest.dev/guide/mocking/timers", score: 4 }]
 * ```
 */
export function createSearxngSearch({
  baseUrl,
  timeoutMs = 5000,
  language,
  safesearch,
  categories,
  fetch: fetchImpl = globalThis.fetch,
}: SearxngSearchOptions): SearchProvider {
  const base = parseBaseUrl(baseUrl);
  const shown = base.href.replace(/\/$/u, "");
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `timeoutMs must be a positive number, got ${timeoutMs}` });
  if (safesearch !== undefined && ![0, 1, 2].includes(safesearch))
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `safesearch must be 0, 1 or 2, got ${String(safesearch)}` });
  if (typeof fetchImpl !== "function") throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: "no fetch available; pass `fetch`" });
  const categoryList = typeof categories === "string" ? categories : categories?.join(",");
  // SearXNG's bot detection rejects requests without Accept-Language.
  const acceptLanguage = language && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/iu.test(language) ? `${language}, *;q=0.5` : "*";

  return {
    async search(query: string, { limit, abortSignal }: SearchOptions = {}): Promise<SearchResult[]> {
      if (abortSignal?.aborted) throw toAbortError(abortSignal);
      const q = requireQuery(query);
      const count = resolveLimit(limit, MAX_LIMIT);
      const url = new URL("search", base);
      url.searchParams.set("q", q);
      url.searchParams.set("format", "json");
      if (language) url.searchParams.set("language", language);
      if (safesearch !== undefined) url.searchParams.set("safesearch", String(safesearch));
      if (categoryList) url.searchParams.set("categories", categoryList);

      const timeout = new AbortController();
      const timer = setTimeout(
        () =>
          timeout.abort(
            new TinyLLMError({
              code: SearchErrorCode.SearchTimeout,
              message: `SearXNG at ${shown} did not answer within ${timeoutMs} ms`,
              hint: "check that SearXNG is healthy, or raise timeoutMs",
              isRetryable: true,
            }),
          ),
        timeoutMs,
      );
      const signal = mergeAbortSignals(timeout.signal, abortSignal);
      try {
        // Racing as well as passing the signal: a custom fetch may ignore it.
        const { response, body } = await raceSearchAbort(request(fetchImpl, url, signal, acceptLanguage, shown), signal);
        return parseAnswer(response, body, shown).slice(0, count);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Sends the request and reads the body; network failures become `SEARCH_UNAVAILABLE`. */
async function request(
  fetchImpl: typeof globalThis.fetch,
  url: URL,
  signal: AbortSignal,
  acceptLanguage: string,
  shown: string,
): Promise<{ response: Response; body: string }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: "application/json", "accept-language": acceptLanguage }, signal, redirect: "follow" });
  } catch (error) {
    if (signal.aborted) throw toAbortError(signal);
    const reason = describeNetworkError(error);
    throw new TinyLLMError({
      code: SearchErrorCode.SearchUnavailable,
      message: `SearXNG is not reachable at URL: ${shown}${reason ? ` (${reason})` : ""}`,
      hint: "start SearXNG (e.g. docker run -p 8888:8080 searxng/searxng) or fix baseUrl",
      isRetryable: true,
      cause: error,
    });
  }
  try {
    const body = await response.text();
    return { response, body: body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body };
  } catch (error) {
    if (signal.aborted) throw toAbortError(signal);
    throw new TinyLLMError({
      code: SearchErrorCode.SearchUnavailable,
      message: `SearXNG at ${shown} dropped the connection while answering`,
      isRetryable: true,
      cause: error,
    });
  }
}

/** Turns SearXNG's answer into results, or throws the matching error. */
function parseAnswer(response: Response, body: string, shown: string): SearchResult[] {
  const contentType = response.headers.get("content-type") ?? "";
  const looksHtml = contentType.includes("html") || /^\s*</u.test(body);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status === 403) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchUnavailable,
      message: looksHtml ? `SearXNG at ${shown} refused the JSON format (${status})` : `SearXNG at ${shown} refused the search (${status})`,
      hint: "enable the json format in settings.yml (search.formats: [html, json]) and restart SearXNG",
    });
  }
  if (response.status === 429) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchUnavailable,
      message: `SearXNG at ${shown} is rate-limiting requests (${status})`,
      hint: "wait and retry; for a private instance turn the limiter off in settings.yml (server.limiter: false)",
      isRetryable: true,
    });
  }
  if (response.status >= 500) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchUnavailable,
      message: `SearXNG at ${shown} failed (${status})`,
      hint: "check SearXNG's logs",
      isRetryable: true,
    });
  }
  if (!response.ok) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchFailed,
      message: `SearXNG at ${shown} answered ${status}`,
      hint: "check that baseUrl points at SearXNG",
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchFailed,
      message: `SearXNG at ${shown} answered with ${looksHtml ? "HTML" : "text"} that is not valid JSON`,
      hint: looksHtml
        ? "check that baseUrl points at SearXNG and that the json format is enabled in settings.yml (search.formats)"
        : "check that baseUrl points at SearXNG",
      cause: error,
    });
  }
  const parsed = ResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchFailed,
      message: `SearXNG at ${shown} answered JSON without a results list`,
      hint: "check that baseUrl points at SearXNG",
    });
  }
  const results: SearchResult[] = [];
  const seen = new Set<string>();
  for (const item of parsed.data.results) {
    const result = ResultSchema.safeParse(item);
    if (!result.success || seen.has(result.data.url)) continue;
    seen.add(result.data.url);
    const { url, title, content, score } = result.data;
    results.push({
      title: clean(title ?? "", 200) || url,
      snippet: clean(content ?? "", MAX_SNIPPET_CHARS),
      source: url,
      ...(score !== undefined && Number.isFinite(score) ? { score: Math.round(score * 1000) / 1000 } : {}),
    });
  }
  const failed = describeEngines(parsed.data.unresponsive_engines);
  if (results.length === 0 && failed) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchUnavailable,
      message: `SearXNG at ${shown} found nothing because its engines failed: ${failed}`,
      hint: "retry later, or enable other engines in SearXNG's settings.yml",
      isRetryable: true,
    });
  }
  return results;
}

/** Parses and checks `baseUrl`: http(s), no query or fragment, ending in `/`. */
function parseBaseUrl(baseUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `baseUrl is not a URL: ${String(baseUrl)}`, hint: "e.g. http://localhost:8888" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TinyLLMError({
      code: CoreErrorCode.InvalidArgument,
      message: `baseUrl must be an http or https URL, got ${String(baseUrl)}`,
      hint: "include the scheme, e.g. http://localhost:8888",
    });
  url.search = "";
  url.hash = "";
  // Accept the search endpoint itself as well as the instance root.
  url.pathname = url.pathname.replace(/\/search\/?$/u, "/");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** The network error's code (`ECONNREFUSED`, `ENOTFOUND`, …) or message. */
function describeNetworkError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code) return code;
    if (!(current.cause instanceof Error)) return current.message;
    current = current.cause;
  }
  return "";
}

/** `unresponsive_engines` (`[[name, reason], …]`) as `name (reason), …`. */
function describeEngines(engines: unknown[] | undefined): string {
  return (engines ?? [])
    .slice(0, 5)
    .map((engine) => (Array.isArray(engine) ? engine.filter((part) => typeof part === "string").join(": ") : typeof engine === "string" ? engine : ""))
    .filter(Boolean)
    .join(", ");
}

/** Whitespace collapsed, tags removed, cut on a word boundary with `…` when longer than `max`. */
function clean(text: string, max: number): string {
  const flat = text
    .replace(/<[^>]*>/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
  if (flat.length <= max) return flat;
  const cutAt = flat.lastIndexOf(" ", max - 1);
  return `${flat.slice(0, cutAt > max / 2 ? cutAt : max - 1)}…`;
}
