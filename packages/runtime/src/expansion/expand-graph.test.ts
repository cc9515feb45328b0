import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { diffGraphVersions, listGraphVersions, rollbackGraph } from "@tinyllm/expansion";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";
import { analyzeGraph, autoExpand } from "./expand-graph";

/** A math specialist with no tool, graded by the math rubric: the story model fails every calculation. */
const calcGraph = `# A specialist without a calculator.
id: calc
version: 1.0.0
entry: start
exits: [done]
nodes:
  - id: start
    kind: entry
  - id: math
    kind: model
    config:
      prompt: math
      maxTokens: 16
  - id: gate
    kind: gate
    maxVisits: 4
    config:
      pass: done
      retryTargets: [ math ]
      onFail:
        - retry: 1
  - id: done
    kind: exit
edges:
  - from: start
    to: math
  - from: math
    to: gate
`;

let dir: string;
let graphFile: string;
let modelFile: string;
const queries = Array.from({ length: 12 }, (_, i) => `What is ${37 + i} * ${41 + 2 * i}?`);

const openRuntime = (verdictStore: string | false) =>
  createRuntime({
    cwd: dir,
    env: {},
    flags: { provider: "llama", modelFile, threads: 1 },
    verdictStore,
    runStore: false,
    memoryStore: false,
    precedentIndex: false,
  });

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-expand-"));
  graphFile = path.join(dir, "calc.yaml");
  await writeFile(graphFile, calcGraph);
  const runtime = await openRuntime("verdicts.db");
  try {
    for (const query of queries) await runtime.run(query, { graph: graphFile, sampling: { seed: 1 } });
  } finally {
    await runtime.close();
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("expansion on the embedded model", () => {
  it("finds the tool-less math node a candidate, failed by the calculator check", async () => {
    const runtime = await openRuntime(false);
    try {
      const { analysis } = await analyzeGraph(runtime, { graphFile, cwd: dir, verdictStore: "verdicts.db" });
      expect(analysis.candidates).toEqual(["math"]);
      const math = analysis.nodes[0]!;
      expect(math.evaluations).toBeGreaterThanOrEqual(12);
      expect(math.failRate).toBe(1);
      expect(math.topCause).toBe("tool_missing");
      expect(math.failedChecks[0]!.check).toBe("math.calculator");
      expect(analysis.routes.reduce((sum, route) => sum + route.evaluations, 0)).toBe(math.evaluations);
      expect(analysis.routes.every((route) => route.failRate === 1 && route.failRateInterval.high === 1)).toBe(true);
    } finally {
      await runtime.close();
    }
  });

  it("adds the calculator, adopts it on a held-out A/B, and rolls back", async () => {
    const runtime = await openRuntime(false);
    const progress: string[] = [];
    try {
      const result = await autoExpand(runtime, {
        graphFile,
        cwd: dir,
        verdictStore: "verdicts.db",
        adopt: true,
        onProgress: (event) => progress.push(event.type),
      });
      expect(result).toMatchObject({ adopted: true, node: "math", strategy: "tool_augmentation", version: "1.1.0", previousVersion: "1.0.0" });
      expect(result.baseline!.passRate).toBe(0);
      expect(result.candidate!.passRate).toBe(1);
      expect(result.baseline!.n).toBe(result.heldOut);
      expect(result.pValue!).toBeLessThan(0.05);
      expect(progress).toContain("decision");
      // The held-out queries were never shown to the strategy.
      const outcomes = result.evaluations[0]!.report.outcomes;
      expect(outcomes.every((o) => o.candidate.decidedBy === "math.calculator" && o.candidate.pass === true)).toBe(true);
    } finally {
      await runtime.close();
    }
    const text = await readFile(graphFile, "utf8");
    expect(text).toMatch(/version: 1\.1\.0/);
    expect(text).toMatch(/calculator/);
    expect(text).toMatch(/^# A specialist without a calculator\./);
    const versions = await listGraphVersions(graphFile);
    expect(versions.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);
    const diff = await diffGraphVersions(graphFile, "1.0.0", "1.1.0");
    expect(diff.unified).toMatch(/^\+.*calculator/m);
    await rollbackGraph(graphFile);
    expect(await readFile(graphFile, "utf8")).toBe(calcGraph);
  }, 300_000);

  it("leaves a node alone in its cooldown, and a protected one, with a clear error", async () => {
    const runtime = await openRuntime(false);
    try {
      // The adoption above started math's cooldown.
      await expect(autoExpand(runtime, { graphFile, cwd: dir, verdictStore: "verdicts.db", node: "math" })).rejects.toMatchObject({
        code: "NODE_NOT_EXPANDABLE",
      });
      const guarded = path.join(dir, "guarded.yaml");
      await writeFile(guarded, calcGraph.replace("kind: model\n", "kind: model\n    protected: true\n"));
      await expect(autoExpand(runtime, { graphFile: guarded, cwd: dir, verdictStore: "verdicts.db", node: "math" })).rejects.toMatchObject({
        code: "NODE_NOT_EXPANDABLE",
      });
      const auto = await autoExpand(runtime, { graphFile: guarded, cwd: dir, verdictStore: "verdicts.db" });
      expect(auto.adopted).toBe(false);
      expect(auto.reason).toMatch(/protected/);
      await expect(autoExpand(runtime, { graphFile, cwd: dir, verdictStore: "none.db" })).rejects.toMatchObject({ code: "VERDICT_STORE_FAILED" });
      await expect(autoExpand(runtime, { graphFile, cwd: dir, verdictStore: "verdicts.db", node: "maths" })).rejects.toMatchObject({
        code: "EXPANSION_INPUT_INVALID",
      });
    } finally {
      await runtime.close();
    }
  });
});
