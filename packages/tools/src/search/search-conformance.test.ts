import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createLocalSearch } from "./create-local-search";
import { createSearxngSearch } from "./create-searxng-search";
import { describeSearchConformance } from "./search-conformance";

describeSearchConformance("local search (a folder of markdown)", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-search-"));
  await writeFile(path.join(dir, "retries.md"), "# Retries\n\nA node retries with exponential backoff and jitter when it fails.\n");
  await writeFile(path.join(dir, "timeouts.md"), "# Timeouts\n\nEach node has a timeout; a retry starts after the backoff.\n");
  await writeFile(path.join(dir, "other.txt"), "Nothing about that here: bread, butter and jam.\n");
  return {
    provider: createLocalSearch({ dir }),
    matchingQuery: "retry backoff",
    unavailable: { provider: createLocalSearch({ dir: path.join(dir, "missing") }), code: "SEARCH_SOURCE_MISSING" },
    stalled: { skipReason: "local search reads a folder on disk: it has no source that can stall and no timeout of its own" },
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

describeSearchConformance("SearXNG search (a loopback server speaking its JSON API)", async () => {
  const hits = [
    { url: "https://docs.test/retries", title: "Retries", content: "A node retries with exponential backoff and jitter.", engine: "brave", score: 2.5 },
    { url: "https://docs.test/timeouts", title: "Timeouts", content: "A retry starts after the backoff.", engine: "duckduckgo", score: 1.25 },
    { url: "https://docs.test/jam", title: "Jam", content: "Bread, butter and jam.", engine: "qwant", score: 0.5 },
  ];
  // Searches sent to /stalled are held, never answered; the test waiting for one is told.
  const waitingForSearch: Array<() => void> = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/stalled/search") return void waitingForSearch.shift()?.();
    if (url.pathname !== "/search" || url.searchParams.get("format") !== "json") return void response.writeHead(404).end("not found");
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        query: url.searchParams.get("q"),
        number_of_results: hits.length,
        results: hits,
        answers: [],
        suggestions: [],
        unresponsive_engines: [],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    provider: createSearxngSearch({ baseUrl: origin }),
    matchingQuery: "retry backoff",
    unavailable: { provider: createSearxngSearch({ baseUrl: refused, timeoutMs: 5_000 }), code: "SEARCH_UNAVAILABLE" },
    stalled: {
      provider: createSearxngSearch({ baseUrl: `${origin}/stalled`, timeoutMs: 600_000 }),
      shortTimeout: { provider: createSearxngSearch({ baseUrl: `${origin}/stalled`, timeoutMs: 300 }), timeoutMs: 300 },
      nextSearch: () => new Promise<void>((resolve) => waitingForSearch.push(resolve)),
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
