import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveTestModel } from "@tinyllm/models/testing";
import { createRuntime } from "@tinyllm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let dir: string;
let modelFile: string;

/** A math specialist with no tool: the story model fails every calculation, by the calculator check. */
const calcGraph = `id: calc
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
    config:
      pass: done
  - id: done
    kind: exit
edges:
  - from: start
    to: math
  - from: math
    to: gate
`;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" };
  delete env.NODE_OPTIONS;
  delete env.TINYLLM_VERDICTS;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-expand-cli-"));
  await writeFile(path.join(dir, "calc.yaml"), calcGraph);
  // A dozen runs through the gate, as `tinyllm run` records them.
  const runtime = await createRuntime({
    cwd: dir,
    env: {},
    flags: { provider: "llama", modelFile, threads: 1 },
    runStore: false,
    memoryStore: false,
    precedentIndex: false,
  });
  try {
    for (let i = 0; i < 12; i++) await runtime.run(`What is ${23 + i} * ${17 + i}?`, { graph: path.join(dir, "calc.yaml") });
  } finally {
    await runtime.close();
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tinyllm expand", () => {
  it("analyze finds the math node a candidate", async () => {
    const result = await cli(["expand", "analyze", "--graph", "calc.yaml", "--model-file", modelFile, "--json"]);
    expect(result.code).toBe(0);
    const analysis = JSON.parse(result.stdout) as { candidates: string[]; nodes: { nodeId: string; topCause: string }[] };
    expect(analysis.candidates).toEqual(["math"]);
    expect(analysis.nodes[0]!.topCause).toBe("tool_missing");
  });

  it("auto changes nothing without --yes, adopts the calculator with it, and graph diff and rollback work on the result", async () => {
    const dry = await cli(["expand", "auto", "--graph", "calc.yaml", "--model-file", modelFile, "--json"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ adopted: false, improvement: true, strategy: "tool_augmentation" });
    expect(await readFile(path.join(dir, "calc.yaml"), "utf8")).toBe(calcGraph);

    const result = await cli(["expand", "auto", "--graph", "calc.yaml", "--model-file", modelFile, "--json", "--yes"]);
    expect(result.code).toBe(0);
    const auto = JSON.parse(result.stdout) as {
      adopted: boolean;
      node: string;
      strategy: string;
      baseline: { passRate: number; n: number };
      candidate: { passRate: number; n: number };
      pValue: number;
      version: string;
    };
    expect(auto).toMatchObject({ adopted: true, node: "math", strategy: "tool_augmentation", version: "1.1.0" });
    expect(auto.baseline.passRate).toBe(0);
    expect(auto.candidate.passRate).toBe(1);
    expect(auto.baseline.n).toBeGreaterThanOrEqual(5);
    expect(auto.pValue).toBeLessThan(0.05);
    expect(result.stderr).toMatch(/evaluating tool_augmentation on \d+ held-out queries/);

    const diff = await cli(["graph", "diff", "calc.yaml", "1.0.0", "1.1.0"]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^\+\s+- calculator/m);
    const rollback = await cli(["graph", "rollback", "calc.yaml", "--yes"]);
    expect(rollback.code).toBe(0);
    expect(await readFile(path.join(dir, "calc.yaml"), "utf8")).toBe(calcGraph);

    // The adopted change started the node's cooldown: naming it is refused, with what to do.
    const again = await cli(["expand", "auto", "--graph", "calc.yaml", "--node", "math", "--model-file", modelFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/cooldown/);
    expect(again.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 300_000);

  it("says what to do about bad input", async () => {
    const noGraph = await cli(["expand", "auto"]);
    expect(noGraph.code).toBe(2);
    expect(noGraph.stderr).toMatch(/--graph/);
    const badNode = await cli(["expand", "analyze", "--graph", "calc.yaml", "--node", "maths", "--model-file", modelFile]);
    expect(badNode.code).toBe(1);
    expect(badNode.stderr).toMatch(/no model node 'maths'/);
    const noStore = await cli(["expand", "analyze", "--graph", "calc.yaml", "--verdicts", "missing.db", "--model-file", modelFile]);
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toMatch(/no verdict store/);
    const badStrategy = await cli(["expand", "propose", "--graph", "calc.yaml", "--strategy", "magic"]);
    expect(badStrategy.code).toBe(2);
    const missing = await cli(["expand", "analyze", "--graph", "nope.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });
});
