import { describe, expect, it } from "vitest";
import { describePrecedentIndexConformance } from "../testing/precedent-index-conformance";
import { memoryPrecedentIndex } from "./memory-precedent-index";

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
