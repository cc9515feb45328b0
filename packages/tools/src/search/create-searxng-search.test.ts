import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TinyLLMError } from "@tinyllm/core";
import { createSearxngSearch } from "./create-searxng-search";

/** A SearXNG answer as the real JSON API shapes it (trimmed to the fields that matter). */
const answer = (query: string) => ({
  query,
  number_of_results: 0,
  results: [
    {
      url: "https://vitest.dev/guide/mocking/timers",
      title: "Timers | Guide | Vitest",
      content:
        'When we test code that involves   timeouts or intervals, instead of having our tests wait it out, we can speed up our tests by using "fake" timers.',
      engine: "duckduckgo",
      parsed_url: ["https", "vitest.dev", "/guide/mocking/timers", "", "", ""],
      template: "default.html",
      engines: ["duckduckgo", "brave"],
      positions: [1, 2],
      score: 4.0,
      category: "general",
      publishedDate: null,
    },
    {
      url: "https://jestjs.io/docs/timer-mocks",
      title: "Timer Mocks · Jest",
      content: "x".repeat(50) + " " + "long ".repeat(100),
      engine: "brave",
      engines: ["brave"],
      positions: [2],
      score: 1.5,
      category: "general",
    },
    { url: "https://vitest.dev/guide/mocking/timers", title: "duplicate", content: "same url again", engine: "brave", score: 1 },
    { url: "https://example.org/no-title", content: null, engine: "qwant", score: 0.5 },
    { title: "no url, dropped", content: "", engine: "qwant" },
  ],
  answers: [],
  corrections: [],
  infoboxes: [],
  suggestions: ["vitest fake timers advance"],
  unresponsive_engines: [["google", "timeout"]],
});

let server: Server;
let origin: string;
let refusedOrigin: string;
const requests: { path: string; params: URLSearchParams; headers: IncomingMessage["headers"] }[] = [];

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://localhost");
  requests.push({ path: url.pathname, params: url.searchParams, headers: request.headers });
  const [, mode] = url.pathname.split("/");
  const q = url.searchParams.get("q") ?? "";
  if (!url.pathname.endsWith("/search")) {
    response.writeHead(404).end("not found");
    return;
  }
  switch (mode) {
    case "ok":
    case "search":
      if (url.searchParams.get("format") !== "json") {
        response.writeHead(200, { "content-type": "text/html" }).end("<html>results page</html>");
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(q)));
      return;
    case "forbidden": // SearXNG with `json` missing from search.formats
      response
        .writeHead(403, { "content-type": "text/html; charset=utf-8" })
        .end("<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>");
      return;
    case "limited":
      response.writeHead(429, { "content-type": "text/plain" }).end("Too Many Requests");
      return;
    case "broken":
      response.writeHead(500, { "content-type": "text/html" }).end("<h1>Internal Server Error</h1>");
      return;
    case "slow":
      setTimeout(() => {
        if (!response.destroyed) response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(q)));
      }, 3000);
      return;
    case "badjson":
      response.writeHead(200, { "content-type": "application/json" }).end('{"results": [ {"url": "https://a.test"');
      return;
    case "html":
      response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><body>Welcome to nginx!</body></html>");
      return;
    case "noresults":
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ query: q, results: [] }));
      return;
    case "enginesdown":
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          query: q,
          results: [],
          unresponsive_engines: [
            ["brave", "Suspended: too many requests"],
            ["duckduckgo", "CAPTCHA"],
          ],
        }),
      );
      return;
    case "wrongshape":
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hits: [] }));
      return;
    default:
      response.writeHead(404).end("not found");
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free and is closed again: connecting is refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  refusedOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createSearxngSearch", () => {
  it("calls the JSON API and maps results: deduplicated, cleaned, with scores", async () => {
    const search = createSearxngSearch({ baseUrl: `${origin}/ok`, language: "en", safesearch: 1, categories: ["general", "it"] });
    const results = await search.search("  vitest fake timers ");
    expect(results).toEqual([
      {
        title: "Timers | Guide | Vitest",
        snippet:
          'When we test code that involves timeouts or intervals, instead of having our tests wait it out, we can speed up our tests by using "fake" timers.',
        source: "https://vitest.dev/guide/mocking/timers",
        score: 4,
      },
      { title: "Timer Mocks · Jest", snippet: expect.stringMatching(/^x{50} long .*…$/u), source: "https://jestjs.io/docs/timer-mocks", score: 1.5 },
      { title: "https://example.org/no-title", snippet: "", source: "https://example.org/no-title", score: 0.5 },
    ]);
    expect(results[1]?.snippet.length).toBeLessThanOrEqual(300);
    const sent = requests.at(-1);
    expect(sent?.path).toBe("/ok/search");
    expect(Object.fromEntries(sent?.params ?? [])).toEqual({
      q: "vitest fake timers",
      format: "json",
      language: "en",
      safesearch: "1",
      categories: "general,it",
    });
    expect(sent?.headers.accept).toBe("application/json");
    expect(sent?.headers["accept-language"]).toMatch(/^en/u);
  });

  it("accepts a base URL with a trailing slash or the /search endpoint, and honours limit", async () => {
    expect(await createSearxngSearch({ baseUrl: `${origin}/ok/` }).search("a", { limit: 1 })).toHaveLength(1);
    expect(await createSearxngSearch({ baseUrl: new URL(`${origin}/ok/search?x=1`) }).search("a", { limit: 2 })).toHaveLength(2);
    expect(requests.at(-1)?.path).toBe("/ok/search");
    expect(await createSearxngSearch({ baseUrl: origin }).search("a")).toHaveLength(3);
  });

  it("returns an empty list when SearXNG finds nothing", async () => {
    expect(await createSearxngSearch({ baseUrl: `${origin}/noresults` }).search("zzz")).toEqual([]);
  });

  it("says how to enable the JSON format on HTTP 403", async () => {
    const error = await createSearxngSearch({ baseUrl: `${origin}/forbidden` })
      .search("x")
      .catch((e: unknown) => e);
    expect(TinyLLMError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: "SEARCH_UNAVAILABLE",
      message: expect.stringContaining("refused the JSON format (HTTP 403"),
      hint: expect.stringContaining("enable the json format in settings.yml (search.formats"),
      isRetryable: false,
    });
  });

  it("reports rate limiting and server errors as retryable SEARCH_UNAVAILABLE", async () => {
    await expect(createSearxngSearch({ baseUrl: `${origin}/limited` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_UNAVAILABLE",
      message: expect.stringContaining("HTTP 429"),
      hint: expect.stringContaining("limiter"),
      isRetryable: true,
    });
    await expect(createSearxngSearch({ baseUrl: `${origin}/broken` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_UNAVAILABLE",
      message: expect.stringContaining("HTTP 500"),
      isRetryable: true,
    });
  });

  it("reports failed engines instead of an empty list", async () => {
    await expect(createSearxngSearch({ baseUrl: `${origin}/enginesdown` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_UNAVAILABLE",
      message: expect.stringContaining("brave: Suspended: too many requests, duckduckgo: CAPTCHA"),
      isRetryable: true,
    });
  });

  it("times out slow answers", async () => {
    const started = performance.now();
    const error = await createSearxngSearch({ baseUrl: `${origin}/slow`, timeoutMs: 200 })
      .search("x")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SEARCH_TIMEOUT", message: expect.stringContaining("within 200 ms"), isRetryable: true });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = createSearxngSearch({ baseUrl: `${origin}/slow` }).search("x", { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: "SEARCH_ABORTED" });
    await expect(createSearxngSearch({ baseUrl: `${origin}/ok` }).search("x", { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "SEARCH_ABORTED",
    });
  });

  it("rejects invalid JSON, HTML pages and foreign JSON with SEARCH_FAILED", async () => {
    await expect(createSearxngSearch({ baseUrl: `${origin}/badjson` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_FAILED",
      message: expect.stringContaining("not valid JSON"),
    });
    await expect(createSearxngSearch({ baseUrl: `${origin}/html` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_FAILED",
      message: expect.stringContaining("HTML"),
      hint: expect.stringContaining("search.formats"),
    });
    await expect(createSearxngSearch({ baseUrl: `${origin}/wrongshape` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_FAILED",
      message: expect.stringContaining("without a results list"),
    });
    await expect(createSearxngSearch({ baseUrl: `${origin}/nothing-here` }).search("x")).rejects.toMatchObject({
      code: "SEARCH_FAILED",
      message: expect.stringContaining("HTTP 404"),
    });
  });

  it("says SearXNG is not reachable when the connection is refused", async () => {
    const error = await createSearxngSearch({ baseUrl: refusedOrigin })
      .search("x")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "SEARCH_UNAVAILABLE",
      message: `SearXNG is not reachable at URL: ${refusedOrigin} (ECONNREFUSED)`,
      hint: expect.any(String),
      isRetryable: true,
    });
  });

  it("times out even when a custom fetch ignores the signal", async () => {
    const hanging: typeof fetch = () => new Promise(() => undefined);
    await expect(createSearxngSearch({ baseUrl: origin, timeoutMs: 50, fetch: hanging }).search("x")).rejects.toMatchObject({ code: "SEARCH_TIMEOUT" });
  });

  it("validates query, limit and options", async () => {
    const search = createSearxngSearch({ baseUrl: `${origin}/ok` });
    await expect(search.search(" ")).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
    await expect(search.search("x", { limit: 21 })).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
    expect(() => createSearxngSearch({ baseUrl: "localhost:8888" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => createSearxngSearch({ baseUrl: "not a url" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => createSearxngSearch({ baseUrl: origin, timeoutMs: 0 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
