import { describe, expect, it } from "vitest";
import { costAxis } from "./accuracy-cost-chart";
import { latencyAxis } from "./accuracy-latency-chart";
import { paretoFrontier } from "./pareto-frontier";
import { gsm8kFixture } from "./report-fixture";
import { tradeoffFrontier } from "./tradeoff-chart";

const point = (name: string, x: number, y: number) => ({ name, x, y });
const names = (points: Array<{ name: string }>) => points.map((p) => p.name);
const frontierOf = (points: Array<{ name: string; x: number; y: number }>) =>
  names(
    paretoFrontier(
      points,
      (p) => p.x,
      (p) => p.y,
    ),
  );

describe("paretoFrontier", () => {
  it("should keep the points nothing dominates, sorted by cost", () => {
    expect(frontierOf([point("slow-bad", 5, 0.3), point("fast", 1, 0.4), point("best", 3, 0.9), point("mid", 2, 0.5), point("dominated", 4, 0.8)])).toEqual([
      "fast",
      "mid",
      "best",
    ]);
  });

  it("should drop a point matched on one axis and beaten on the other, and keep exact ties", () => {
    expect(frontierOf([point("a", 1, 0.5), point("same-cost-worse", 1, 0.4), point("same-score-dearer", 2, 0.5)])).toEqual(["a"]);
    expect(frontierOf([point("twin1", 1, 0.5), point("twin2", 1, 0.5)])).toEqual(["twin1", "twin2"]);
    expect(frontierOf([])).toEqual([]);
  });

  it("should find the fixture's frontiers: T2 is slower and worse than the graph, but cheaper", () => {
    const { summary } = gsm8kFixture();
    expect(tradeoffFrontier(summary, latencyAxis).map((c) => c.config)).toEqual(["T1", "graph"]);
    expect(tradeoffFrontier(summary, costAxis).map((c) => c.config)).toEqual(["T1", "T2", "graph"]);
  });
});
