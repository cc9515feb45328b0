import { describe, expect, it } from "vitest";
import { memoryPrecedentIndex } from "./memory-precedent-index";

describe("memoryPrecedentIndex", () => {
  it("returns the k nearest precedents, most similar first, similarity in [0, 1]", async () => {
    const index = memoryPrecedentIndex();
    await index.add({ query: "solve the integral of x squared", route: "math", pass: true });
    await index.add({ query: "write a python function to sort a list", route: "code", pass: true });
    await index.add({ query: "integral of sin x", route: "math", pass: false, score: 0.2 });
    const near = await index.nearest("what is the integral of x", 2);
    expect(near).toHaveLength(2);
    expect(near.every((m) => m.route === "math")).toBe(true);
    expect(near[0]!.similarity).toBeGreaterThanOrEqual(near[1]!.similarity);
    for (const m of near) {
      expect(m.similarity).toBeGreaterThan(0);
      expect(m.similarity).toBeLessThanOrEqual(1);
    }
  });
  it("keeps only the newest maxPrecedents", async () => {
    const index = memoryPrecedentIndex({ maxPrecedents: 2 });
    await index.add({ query: "alpha one", route: "a", pass: true });
    await index.add({ query: "alpha two", route: "b", pass: true });
    await index.add({ query: "alpha three", route: "c", pass: true });
    const near = await index.nearest("alpha", 10);
    expect(near.map((m) => m.route).sort()).toEqual(["b", "c"]);
  });
});
