/**
 * The behaviour every search provider shares (the local folder and SearXNG), as one suite each
 * provider passes through its public API: ranked results, the limit, invalid queries, abort
 * (before and during a search), the timeout, and a missing source. Test-only.
 *
 * @module
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchProvider } from "./search-result";

/** What one provider brings to the suite. */
export interface SearchFixture {
  /** A provider whose source has documents about `matchingQuery`. */
  provider: SearchProvider;
  /** A query with at least two hits. */
  matchingQuery: string;
  /** A provider whose source is not there, and the code it fails with. */
  unavailable: { provider: SearchProvider; code: "SEARCH_SOURCE_MISSING" | "SEARCH_UNAVAILABLE" };
  /**
   * A source that takes a search and never answers, for the abort and timeout cases; or why the
   * provider has none (local search reads the disk and has no timeout of its own).
   */
  stalled: StalledSource | { skipReason: string };
  /** Frees what the fixture started. */
  close?: () => Promise<void>;
}

/** A source that holds every search it gets without answering. */
export interface StalledSource {
  /** A provider of that source whose timeout is far longer than the test. */
  provider: SearchProvider;
  /** A provider of that source whose timeout is short (under a second), and that timeout. */
  shortTimeout: { provider: SearchProvider; timeoutMs: number };
  /** Resolves when the source holds its next search. */
  nextSearch(): Promise<void>;
}

/** Registers the shared search suite for one provider. */
export function describeSearchConformance(name: string, setup: () => Promise<SearchFixture>): void {
  describe(`${name} meets the search contract`, () => {
    let fixture: SearchFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.close?.();
    });

    it("returns ranked hits with a title, a snippet and a source", async () => {
      const results = await fixture.provider.search(fixture.matchingQuery);
      expect(results.length).toBeGreaterThanOrEqual(2);
      for (const result of results) {
        expect(typeof result.title).toBe("string");
        expect(result.snippet.length).toBeGreaterThan(0);
        expect(result.snippet.length).toBeLessThanOrEqual(400);
        expect(result.source.length).toBeGreaterThan(0);
        if (result.score !== undefined) expect(Number.isFinite(result.score)).toBe(true);
      }
      const scores = results.map((result) => result.score).filter((score): score is number => score !== undefined);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it("keeps to the limit, and refuses one out of range", async () => {
      expect(await fixture.provider.search(fixture.matchingQuery, { limit: 1 })).toHaveLength(1);
      await expect(fixture.provider.search(fixture.matchingQuery, { limit: 0 })).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
      await expect(fixture.provider.search(fixture.matchingQuery, { limit: 1.5 })).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
      await expect(fixture.provider.search(fixture.matchingQuery, { limit: 1_000 })).rejects.toMatchObject({
        code: "SEARCH_QUERY_INVALID",
        message: expect.stringMatching(/from 1 to \d+/),
      });
    });

    it("refuses an empty query with a hint", async () => {
      for (const query of ["", "   ", 42 as unknown as string]) {
        await expect(fixture.provider.search(query)).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID", hint: expect.any(String) });
      }
    });

    it("stops when the abortSignal has aborted", async () => {
      await expect(fixture.provider.search(fixture.matchingQuery, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({ code: "SEARCH_ABORTED" });
    });

    it("stops a search in progress when its abortSignal aborts", async () => {
      const { stalled } = fixture;
      const controller = new AbortController();
      const held = "provider" in stalled ? stalled.nextSearch() : undefined;
      const pending = ("provider" in stalled ? stalled.provider : fixture.provider).search(fixture.matchingQuery, { abortSignal: controller.signal });
      // A stalled source: abort while it holds the search. Otherwise: once the search has started.
      if (held) await held;
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: "SEARCH_ABORTED" });
    });

    it("times out a source that does not answer, as retryable", async (context) => {
      const { stalled } = fixture;
      if ("skipReason" in stalled) return context.skip(stalled.skipReason);
      await expect(stalled.shortTimeout.provider.search(fixture.matchingQuery)).rejects.toMatchObject({
        code: "SEARCH_TIMEOUT",
        isRetryable: true,
        message: expect.stringContaining(`${stalled.shortTimeout.timeoutMs} ms`),
        hint: expect.any(String),
      });
    });

    it("says when its source is not there", async () => {
      await expect(fixture.unavailable.provider.search(fixture.matchingQuery)).rejects.toMatchObject({
        code: fixture.unavailable.code,
        message: expect.any(String),
      });
    });
  });
}
