import { describe, expect, it } from "vitest";
import { describePrecedentIndexConformance } from "../testing/precedent-index-conformance";
import { memoryPrecedentIndex, termSimilarity } from "./memory-precedent-index";

describePrecedentIndexConformance("in memory", () => memoryPrecedentIndex());

describe("memoryPrecedentIndex", () => {
  it("keeps only the newest maxPrecedents", async () => {
    const index = memoryPrecedentIndex({ maxPrecedents: 2 });
    await index.add({ query: "alpha one", route: "a", pass: true });
    await index.add({ query: "alpha two", route: "b", pass: true });
    await index.add({ query: "alpha three", route: "c", pass: true });
    const near = await index.nearest("alpha", 10);
    expect(near.map((m) => m.route).sort()).toEqual(["b", "c"]);
  });
});

describe("termSimilarity", () => {
  it("is the share of distinct terms in common, stop words left out and stems matched", () => {
    expect(termSimilarity("how many legs does a spider have", "How many legs does a beetle have?")).toBeCloseTo(2 / 4);
    expect(termSimilarity("sorting lists", "sort a list")).toBe(1);
    expect(termSimilarity("the of and", "a spider")).toBe(0);
    expect(termSimilarity("", "")).toBe(0);
  });
});
