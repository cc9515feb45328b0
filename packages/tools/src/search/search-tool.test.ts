import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TinyLLMError } from "@tinyllm/core";
import { runTool } from "../tool/run-tool";
import { toolDescription } from "../tool/tool-registry";
import { createLocalSearch } from "./create-local-search";
import type { SearchOptions, SearchProvider, SearchResult } from "./search-result";
import { createSearchTool } from "./search-tool";

/** A provider that records its calls and answers `count` numbered results. */
function fakeProvider(
  behaviour: (query: string, options: SearchOptions) => Promise<SearchResult[]> = async (_q, { limit = 5 }) =>
    Array.from({ length: limit }, (_, i) => ({ title: `t${i}`, snippet: `s${i}`, source: `https://r.test/${i}` })),
) {
  const calls: { query: string; options: SearchOptions }[] = [];
  const provider: SearchProvider = {
    search: (query, options = {}) => {
      calls.push({ query, options });
      return behaviour(query, options);
    },
  };
  return { provider, calls };
}

describe("createSearchTool", () => {
  it("searches with the default limit of 5 and returns { results }", async () => {
    const { provider, calls } = fakeProvider();
    const result = await runTool(createSearchTool(provider), { query: "  retry policy  " });
    expect(result.ok && result.output.results).toHaveLength(5);
    expect(calls[0]).toMatchObject({ query: "retry policy", options: { limit: 5, abortSignal: expect.any(AbortSignal) } });
  });

  it("passes limit through and validates it (1–10) and the query", async () => {
    const { provider, calls } = fakeProvider();
    const tool = createSearchTool(provider);
    expect(await runTool(tool, { query: "x", limit: 2 })).toMatchObject({ ok: true, output: { results: [{ title: "t0" }, { title: "t1" }] } });
    for (const bad of [{ query: "x", limit: 11 }, { query: "x", limit: 0 }, { query: "x", limit: 2.5 }, { query: "   " }, {}, { query: 3 }]) {
      expect(await runTool(tool, bad)).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
    }
    expect(calls).toHaveLength(1);
  });

  it("describes itself to models with a JSON schema", () => {
    const { provider } = fakeProvider();
    const description = toolDescription(createSearchTool(provider, { name: "search_docs", description: "Searches the docs." }));
    expect(description).toMatchObject({
      name: "search_docs",
      description: "Searches the docs.",
      parameters: {
        type: "object",
        required: ["query"],
        properties: { query: { type: "string" }, limit: { type: "integer", minimum: 1, maximum: 10, default: 5 } },
      },
    });
    expect(toolDescription(createSearchTool(provider)).name).toBe("search");
    expect(() => createSearchTool(provider, { name: "Bad Name" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("passes provider errors through with code and hint", async () => {
    const { provider } = fakeProvider(async () => {
      throw new TinyLLMError({ code: "SEARCH_UNAVAILABLE", message: "SearXNG is not reachable at URL: http://127.0.0.1:9", hint: "start SearXNG" });
    });
    expect(await runTool(createSearchTool(provider), { query: "x" })).toMatchObject({
      ok: false,
      error: { code: "SEARCH_UNAVAILABLE", hint: "start SearXNG" },
    });
  });

  it("rejects provider output that does not match the schema", async () => {
    const { provider } = fakeProvider(async () => [{ title: "t", snippet: "s" } as unknown as SearchResult]);
    expect(await runTool(createSearchTool(provider), { query: "x" })).toMatchObject({ ok: false, error: { code: "TOOL_FAILED" } });
  });

  it("gives the provider the tool's abort signal on timeout", async () => {
    let seen: AbortSignal | undefined;
    const { provider } = fakeProvider((_q, { abortSignal }) => {
      seen = abortSignal;
      return new Promise(() => undefined);
    });
    const result = await runTool(createSearchTool(provider, { timeoutMs: 30 }), { query: "x" });
    expect(result).toMatchObject({ ok: false, error: { code: "TOOL_TIMEOUT" } });
    expect(seen?.aborted).toBe(true);
  });

  it("works end to end over a local folder", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tinyllm-search-tool-"));
    try {
      await writeFile(
        path.join(dir, "retries.md"),
        "# Retries\n\nA node retries with exponential backoff when its retry policy allows.\n\n# Budgets\n\nToken budgets cap each run.\n",
      );
      const tool = createSearchTool(createLocalSearch({ dir }), { name: "search_docs" });
      const result = await runTool(tool, { query: "backoff", limit: 3 });
      expect(result).toMatchObject({
        ok: true,
        output: { results: [{ title: "Retries", source: "retries.md#L3", snippet: expect.stringContaining("backoff") }] },
      });
      const missing = await runTool(createSearchTool(createLocalSearch({ dir: path.join(dir, "nope") })), { query: "x" });
      expect(missing).toMatchObject({ ok: false, error: { code: "SEARCH_SOURCE_MISSING", hint: expect.any(String) } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
