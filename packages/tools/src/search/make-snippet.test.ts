import { describe, expect, it } from "vitest";
import { makeSnippet } from "./make-snippet";

const filler = (n: number) => Array.from({ length: n }, (_, i) => `Filler sentence ${i} says nothing.`).join(" ");

describe("makeSnippet", () => {
  it("returns short text whole, whitespace collapsed", () => {
    expect(makeSnippet("  one\n two   three ", ["two"])).toBe("one two three");
  });

  it("centres a long text on the window with the most distinct terms", () => {
    const text = `${filler(10)} The alpha appears alone. ${filler(10)} Here alpha and beta and gamma meet. ${filler(10)}`;
    const snippet = makeSnippet(text, ["alpha", "beta", "gamma"]);
    expect(snippet.length).toBeLessThanOrEqual(300);
    expect(snippet).toMatch(/^….*alpha and beta and gamma meet.*…$/u);
  });

  it("starts at a sentence or word boundary", () => {
    const snippet = makeSnippet(`${filler(20)} Target word here. ${filler(20)}`, ["target"]);
    expect(snippet).toMatch(/^…(Filler|Target)/u);
    expect(snippet).toContain("Target word here.");
  });

  it("matches accents and compounds through the normalized terms", () => {
    const snippet = makeSnippet(`${filler(20)} Visit the Café and read node.js docs. ${filler(20)}`, ["cafe", "node.js"]);
    expect(snippet).toContain("Café and read node.js");
  });

  it("gives the beginning when no term occurs", () => {
    const snippet = makeSnippet(filler(30), ["absent"]);
    expect(snippet.startsWith("Filler sentence 0")).toBe(true);
    expect(snippet.endsWith("…")).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(300);
  });

  it("handles a term at the very end", () => {
    const snippet = makeSnippet(`${filler(30)} omega`, ["omega"]);
    expect(snippet.endsWith("omega")).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(300);
  });
});
