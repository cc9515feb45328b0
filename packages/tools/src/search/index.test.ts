import { describe, expect, it } from "vitest";
import * as search from "./index";

describe("search public API", () => {
  it("exports the providers, the tool factory and the error codes, and nothing internal", () => {
    expect(Object.keys(search).sort()).toEqual(["SearchErrorCode", "createLocalSearch", "createSearchTool", "createSearxngSearch"]);
    expect(Object.values(search.SearchErrorCode).sort()).toEqual([
      "SEARCH_ABORTED",
      "SEARCH_FAILED",
      "SEARCH_QUERY_INVALID",
      "SEARCH_SOURCE_MISSING",
      "SEARCH_TIMEOUT",
      "SEARCH_UNAVAILABLE",
    ]);
  });
});
