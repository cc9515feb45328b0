import { describe, expect, it } from "vitest";
import { decideRoute, fastLabelsFromRoutes } from "./decide-route";

const routes = [
  { name: "code", labels: ["code"] },
  { name: "math", labels: ["math"] },
  { name: "code_math", labels: ["code", "math"] },
  { name: "general", labels: ["general"] },
];

const scores = { code: 0.9, math: 0.8, general: 0.1 };

describe("decideRoute", () => {
  it("prefers the most specific route whose labels are all chosen", () => {
    expect(decideRoute({ scores, labels: ["code", "math"] }, routes, "general")).toEqual({
      route: "code_math",
      labels: ["code", "math"],
      isDefault: false,
    });
    expect(decideRoute({ scores, labels: ["math"] }, routes, "general").route).toBe("math");
  });

  it("does not pick a compound route when only part of its labels are chosen", () => {
    expect(decideRoute({ scores, labels: ["code"] }, routes, "general").route).toBe("code");
  });

  it("falls back to the default route when nothing fits", () => {
    const decision = decideRoute({ scores, labels: ["legal"] }, routes, "general");
    expect(decision).toEqual({ route: "general", labels: [], isDefault: true });
    expect(decideRoute({ scores, labels: [] }, routes, "fallback").route).toBe("fallback");
  });

  it("breaks ties by priority, then by mean score, then by declaration order", () => {
    const tied = [
      { name: "a", labels: ["code"] },
      { name: "b", labels: ["math"], priority: 1 },
    ];
    expect(decideRoute({ scores, labels: ["code", "math"] }, tied, "d").route).toBe("b");
    const byScore = [
      { name: "low", labels: ["math"] },
      { name: "high", labels: ["code"] },
    ];
    expect(decideRoute({ scores, labels: ["code", "math"] }, byScore, "d").route).toBe("high");
    const same = [
      { name: "first", labels: ["code"] },
      { name: "second", labels: ["code"] },
    ];
    expect(decideRoute({ scores, labels: ["code"] }, same, "d").route).toBe("first");
  });

  it("never matches a route without labels", () => {
    expect(decideRoute({ scores, labels: ["code"] }, [{ name: "empty", labels: [] }], "d").route).toBe("d");
  });
});

describe("fastLabelsFromRoutes", () => {
  it("spreads compound-route examples and descriptions over their labels", () => {
    const labels = fastLabelsFromRoutes([
      { name: "code", description: "Programming.", examples: ["fix my css"] },
      { name: "math", examples: ["2+2"] },
      { name: "code_math", labels: ["code", "math"], description: "Numeric code.", examples: ["fibonacci in go"] },
    ]);
    expect(labels).toEqual([
      { name: "code", description: "Programming.\nNumeric code.", examples: ["fix my css", "fibonacci in go"] },
      { name: "math", description: "Numeric code.", examples: ["2+2", "fibonacci in go"] },
    ]);
  });
});
