import { describe, expect, it } from "vitest";
import { findWordSpans, normalizeSearchTerm, tokenizeSearchText } from "./tokenize-search-text";

describe("tokenizeSearchText", () => {
  it("splits on punctuation and symbols, and keeps compounds as well as their parts", () => {
    expect(tokenizeSearchText("Use `node.js` (v20) + max_file_bytes, e-mail!")).toEqual([
      "Use",
      "node",
      "js",
      "node.js",
      "v20",
      "max",
      "file",
      "bytes",
      "max_file_bytes",
      "e",
      "mail",
      "e-mail",
    ]);
  });

  it("keeps letters of any script", () => {
    expect(tokenizeSearchText("Grüße, 東京 и Москва")).toEqual(["Grüße", "東京", "и", "Москва"]);
  });
});

describe("normalizeSearchTerm", () => {
  it("lowercases, strips Latin accents and drops stop words and overlong tokens", () => {
    expect(normalizeSearchTerm("Café")).toBe("cafe");
    expect(normalizeSearchTerm("THE")).toBeNull();
    expect(normalizeSearchTerm("a".repeat(60))).toBeNull();
    expect(normalizeSearchTerm("Москва")).toBe("москва");
  });
});

describe("findWordSpans", () => {
  it("reports offsets and normalized terms", () => {
    expect(findWordSpans("The Café node.js")).toEqual([
      { start: 0, end: 3, terms: [] },
      { start: 4, end: 8, terms: ["cafe"] },
      { start: 9, end: 16, terms: ["node", "js", "node.js"] },
    ]);
  });
});
