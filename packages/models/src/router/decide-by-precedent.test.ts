import { describe, expect, it } from "vitest";
import type { PrecedentMatch } from "@tinyllm/core";
import { decideByPrecedent, precedentsAgainst } from "./decide-by-precedent";

const m = (route: string, pass: boolean, similarity: number): PrecedentMatch => ({
  query: "q",
  route,
  pass,
  similarity,
});

describe("decideByPrecedent", () => {
  it("decides when the nearest passing precedents agree", () => {
    const d = decideByPrecedent([m("math", true, 0.9), m("math", true, 0.8)]);
    expect(d).toEqual({ route: "math", confidence: 1, support: 2 });
  });
  it("does not decide when passing precedents disagree", () => {
    expect(decideByPrecedent([m("math", true, 0.9), m("code", true, 0.8)])).toBeUndefined();
  });
  it("does not decide below minAgree or minSimilarity", () => {
    expect(decideByPrecedent([m("math", true, 0.9)])).toBeUndefined();
    expect(decideByPrecedent([m("math", true, 0.4), m("math", true, 0.3)])).toBeUndefined();
    expect(decideByPrecedent([m("math", true, 0.9)], { minAgree: 1 })?.route).toBe("math");
  });
  it("counts failures on a route against it", () => {
    const d = decideByPrecedent([m("math", true, 0.9), m("math", true, 0.6), m("math", false, 0.9)]);
    expect(d?.route).toBe("math");
    expect(d?.confidence).toBeCloseTo(0.6 / 2.4);
    expect(decideByPrecedent([m("math", true, 0.6), m("math", true, 0.6), m("math", false, 0.9), m("math", false, 0.9)])).toBeUndefined();
  });
  it("returns undefined on no matches", () => {
    expect(decideByPrecedent([])).toBeUndefined();
  });
});

describe("precedentsAgainst", () => {
  it("is true only when enough near failures on the route outweigh its passes", () => {
    expect(precedentsAgainst([m("math", false, 0.9), m("math", false, 0.8)], "math")).toBe(true);
    expect(precedentsAgainst([m("math", false, 0.9), m("math", false, 0.8)], "code")).toBe(false);
    expect(precedentsAgainst([m("math", false, 0.9)], "math")).toBe(false);
    expect(precedentsAgainst([m("math", false, 0.6), m("math", false, 0.6), m("math", true, 0.9), m("math", true, 0.9)], "math")).toBe(false);
    expect(precedentsAgainst([m("math", false, 0.3), m("math", false, 0.3)], "math")).toBe(false);
  });
});
