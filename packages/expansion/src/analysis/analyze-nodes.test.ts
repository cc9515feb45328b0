import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openVerdictStore, type VerdictRecord, type VerdictStore } from "@tinyllm/grading";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeNodes } from "./analyze-nodes";
import { clusterQueries } from "./cluster-queries";

let dir: string;
let store: VerdictStore;
const now = Date.UTC(2026, 11, 1);

const calculatorFail = (expected: number) => [
  { name: "rules.empty", stage: "rules", outcome: "pass", decisive: false, message: "", durationMs: 0 },
  { name: "math.calculator", stage: "deterministic", outcome: "fail", decisive: true, message: "no number", details: { expected }, durationMs: 0 },
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-analysis-"));
  store = openVerdictStore({ path: path.join(dir, "verdicts.db") });
  // math: 12 bare calculations, 11 failed by the calculator check.
  for (let i = 0; i < 12; i++)
    store.append({
      createdAtMs: now - 60_000 * (12 - i),
      graphId: "calc",
      nodeId: "gate",
      answeredBy: "math",
      route: "math",
      pass: i === 0,
      score: i === 0 ? 1 : 0,
      decidedBy: "math.calculator",
      checks: i === 0 ? [] : calculatorFail(37 * (i + 2)),
      query: `What is 37 * ${i + 2}?`,
      answer: i === 0 ? "74" : "Once upon a time",
      latencyMs: 100 + i,
      inputTokens: 200,
      outputTokens: 24,
    });
  // general: 12 answers, 2 failed by the judge on relevance, and one undecided.
  for (let i = 0; i < 12; i++)
    store.append({
      createdAtMs: now - 1000 * i,
      graphId: "calc",
      nodeId: "gate",
      answeredBy: "general",
      route: "general",
      pass: i >= 2,
      score: i >= 2 ? 0.9 : 0.2,
      decidedBy: "judge",
      scores: { relevance: 0.1, clarity: 0.8 },
      query: `Tell me about topic ${i}`,
    });
  store.append({ graphId: "calc", nodeId: "gate", answeredBy: "general", pass: null, score: null, decidedBy: "judge", query: "undecided" });
  // Another graph's verdicts are left out with graphId.
  store.append({ graphId: "other", nodeId: "gate", answeredBy: "math", pass: true, score: 1, decidedBy: "rules", query: "1+1" });
  // A passed answer checked against a reference keeps it.
  store.append({
    createdAtMs: now - 30 * 60_000,
    graphId: "ref",
    nodeId: "gate",
    answeredBy: "math",
    route: "math",
    pass: true,
    score: 1,
    decidedBy: "math.reference",
    checks: [
      { name: "math.reference", stage: "deterministic", outcome: "pass", decisive: true, message: "final number 72 matches", details: { expected: 72 } },
    ],
    query: "Natalia sold clips to 48 of her friends…",
    answer: "#### 72",
  });
});

afterAll(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("analyzeNodes", () => {
  it("finds the failing node, its fail rate with a Wilson interval, its failed checks and their cause", () => {
    const [math, general] = analyzeNodes(store, { graphId: "calc", nowMs: now });
    expect(math!.nodeId).toBe("math");
    expect(math!.evaluations).toBe(12);
    expect(math!.failures).toBe(11);
    expect(math!.failRate).toBeCloseTo(11 / 12, 10);
    expect(math!.failRateInterval.low).toBeGreaterThan(0.6);
    expect(math!.failRateInterval.high).toBeLessThanOrEqual(1);
    expect(math!.failedChecks).toEqual([{ check: "math.calculator", count: 11 }]);
    expect(math!.causes.tool_missing).toBe(11);
    expect(math!.topCause).toBe("tool_missing");
    expect(math!.candidate).toBe(true);
    expect(math!.failing).toHaveLength(11);
    expect(math!.passing.map((p) => p.query)).toEqual(["What is 37 * 2?"]);
    expect(math!.routes).toEqual(["math"]);
    expect(math!.latencyMs.mean).toBeCloseTo(105.5, 5);
    expect(general!.evaluations).toBe(12);
    expect(general!.causes.domain_mismatch).toBe(2);
    expect(general!.candidate).toBe(false);
    expect(general!.reasons.join(" ")).toMatch(/under 40%/);
  });

  it("respects minEvaluations, the cooldown and protected nodes, and says why", () => {
    expect(analyzeNodes(store, { graphId: "calc", node: "math", minEvaluations: 20, nowMs: now })[0]!.candidate).toBe(false);
    const cooling = analyzeNodes(store, { graphId: "calc", node: "math", lastExpandedAtMs: new Map([["math", now - 10 * 60_000]]), nowMs: now })[0]!;
    expect(cooling.candidate).toBe(false);
    expect(cooling.reasons.join(" ")).toMatch(/in its cooldown/);
    const cooled = analyzeNodes(store, { graphId: "calc", node: "math", lastExpandedAtMs: new Map([["math", now - 2 * 3_600_000]]), nowMs: now })[0]!;
    expect(cooled.candidate).toBe(true);
    const guarded = analyzeNodes(store, { graphId: "calc", node: "math", protectedNodes: new Set(["math"]), nowMs: now })[0]!;
    expect(guarded.candidate).toBe(false);
    expect(guarded.reasons.join(" ")).toMatch(/protected/);
  });

  it("names the nodes that exist when asked for one that does not", () => {
    expect(() => analyzeNodes(store, { node: "maths", nodes: ["math", "general"] })).toThrow(
      expect.objectContaining({ code: "EXPANSION_INPUT_INVALID", hint: expect.stringContaining("math, general") }),
    );
  });
});

describe("analyzeNodes reading", () => {
  it("reads a store file by path, and an open store, the same as the store's own methods do", () => {
    const memory = openVerdictStore({ path: ":memory:" });
    try {
      // The same verdicts in a store in memory, which is read through its methods.
      const records: VerdictRecord[] = [];
      store.each(undefined, (record) => void records.push(record));
      for (const { id: _id, queryHash: _hash, answerTruncated: _truncated, ...record } of records.sort((a, b) => a.id - b.id)) memory.append(record);
      const options = { graphId: "calc", nowMs: now };
      const fromFile = analyzeNodes(store, options);
      expect(analyzeNodes(store.path, options)).toEqual(fromFile);
      const fromMemory = analyzeNodes(memory, options);
      // Verdict ids are the same: both stores numbered them in the same order.
      expect(fromMemory).toEqual(fromFile);
      expect(analyzeNodes(memory, { graphId: "ref", nowMs: now })).toEqual(analyzeNodes(store, { graphId: "ref", nowMs: now }));
    } finally {
      memory.close();
    }
  });

  it("keeps the answers and references of its examples", () => {
    const [math] = analyzeNodes(store, { graphId: "ref", nowMs: now });
    expect(math!.passing).toEqual([
      expect.objectContaining({ query: "Natalia sold clips to 48 of her friends…", reference: "72", answer: "#### 72", pass: true }),
    ]);
    const [calc] = analyzeNodes(store, { graphId: "calc", node: "math", nowMs: now });
    expect(calc!.failing[0]).toMatchObject({ answer: "Once upon a time", failedChecks: ["math.calculator"], pass: false });
    expect(calc!.failing[0]!.reference).toBeUndefined();
    expect(calc!.failing[0]!.query).toBe("What is 37 * 13?");
  });

  it("filters by route and time", () => {
    expect(analyzeNodes(store, { graphId: "calc", route: "general", nowMs: now }).map((node) => node.nodeId)).toEqual(["general"]);
    const recent = analyzeNodes(store, { graphId: "calc", node: "math", sinceMs: now - 3 * 60_000, nowMs: now })[0]!;
    expect(recent.evaluations).toBe(3);
  });

  it("says when the file is missing, how verdicts get there, and when a file is not a verdict store", async () => {
    expect(() => analyzeNodes(path.join(dir, "none.db"))).toThrow(
      expect.objectContaining({
        code: "EXPANSION_INPUT_INVALID",
        message: expect.stringContaining("no verdict store at"),
        hint: expect.stringContaining("tinyllm run"),
      }),
    );
    const other = path.join(dir, "other.db");
    await writeFile(other, "");
    expect(() => analyzeNodes(other)).toThrow(
      expect.objectContaining({ code: "EXPANSION_INPUT_INVALID", message: expect.stringContaining("not a TinyLLM verdict store") }),
    );
  });

  it("names the nodes with verdicts when asked for one without any", () => {
    expect(() => analyzeNodes(store, { graphId: "calc", node: "maths" })).toThrow(
      expect.objectContaining({
        code: "EXPANSION_INPUT_INVALID",
        message: "no verdicts of node 'maths' in graph 'calc'",
        hint: "nodes with verdicts: general, math",
      }),
    );
    // A known node with nothing in the window is no error.
    expect(analyzeNodes(store, { graphId: "calc", node: "math", sinceMs: now + 1 })).toEqual([]);
  });
});

describe("clusterQueries", () => {
  it("separates sub-domains by wording, the same way every time", () => {
    const arithmetic = ["What is 12 * 7?", "What is 144 / 12?", "Compute 99 + 101", "What is 3.5 * 4?"];
    const algebra = ["Solve for x: 2x + 3 = 11", "Solve the equation x^2 = 49 for x", "Solve 5x - 2 = 13 for x", "Find x if 3x = 27, solve it"];
    const words = [
      "A shirt costs 40 dollars and is discounted 25 percent, what is the price in dollars?",
      "Tom has 3 apples and buys 5 more apples, how many apples?",
      "Sara pays 12 dollars for 4 apples, what price per apple in dollars?",
      "A train travels 60 miles per hour for 3 hours, how many miles?",
    ];
    const clusters = clusterQueries([...arithmetic, ...algebra, ...words], { maxClusters: 3 });
    expect(clusters).toHaveLength(3);
    const algebraCluster = clusters.find((cluster) => cluster.queries.includes(algebra[0]!))!;
    expect(algebra.every((q) => algebraCluster.queries.includes(q))).toBe(true);
    expect(algebraCluster.keywords).toContain("solve");
    expect(clusterQueries([...arithmetic, ...algebra, ...words], { maxClusters: 3 })).toEqual(clusters);
    expect(new Set(clusters.map((c) => c.label)).size).toBe(3);
  });
});
