import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runGraph } from "../../executor/run-graph";
import { builtinNodeKinds } from "../../kinds/builtin-node-kinds";
import { defineNodeKind } from "../../node-kind/node-kind";
import { createNodeRegistry } from "../../node-kind/node-registry";
import { defineGraph } from "../graph-schema";
import { loadGraph } from "../load-graph";
import { compileGraph } from "./compile-graph";

const chain = defineGraph({
  id: "chain",
  version: 1,
  entry: "start",
  exits: ["done"],
  nodes: [
    { id: "start", kind: "entry" },
    { id: "shout", kind: "transform", config: { set: { output: "{{ input | upper }}" } } },
    { id: "done", kind: "exit" },
  ],
  edges: [
    { from: "start", to: "shout" },
    { from: "shout", to: "done", condition: "input != ''" },
  ],
});

describe("compileGraph", () => {
  it("compiles a graph written in code and runs it", async () => {
    const result = await compileGraph(chain);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.version).toBe("1");
    expect(result.graph.edges).toHaveLength(2);
    expect(await runGraph(result.graph, { input: "hi" })).toMatchObject({ status: "ok", output: "HI" });
  });

  it("reports the same problems as the YAML loader, with paths and without positions", async () => {
    const broken = {
      ...chain,
      entry: "begin",
      nodes: [...chain.nodes, { id: "x", kind: "transfrom" }],
      edges: [...chain.edges, { from: "shout", to: "nowhere" }],
    };
    const fromCode = await compileGraph(broken);
    const fromText = await loadGraph(JSON.stringify(broken, null, 2), { file: "broken.json" });
    expect(fromCode.ok).toBe(false);
    expect(fromText.ok).toBe(false);
    if (fromCode.ok || fromText.ok) return;
    const codes = (problems: { code: string; path: (string | number)[] }[]) => problems.map((p) => `${p.code} ${p.path.join(".")}`).sort();
    expect(codes(fromCode.problems)).toEqual(codes(fromText.problems));
    expect(codes(fromCode.problems)).toEqual(expect.arrayContaining(["unknown-entry entry", "unknown-kind nodes.3.kind", "dangling-edge edges.2.to"]));
    for (const problem of fromCode.problems) {
      expect(problem.line).toBeUndefined();
      expect(problem.file).toBeUndefined();
    }
    expect(fromText.problems.every((p) => p.file === "broken.json" && p.line !== undefined)).toBe(true);
  });

  it("refuses what is not a graph, and a missing entry, without throwing", async () => {
    for (const value of [null, 42, "graph", [chain]]) {
      const result = await compileGraph(value);
      expect(result).toMatchObject({ ok: false, problems: [{ code: "not-a-graph" }] });
    }
    const { entry: _entry, ...noEntry } = chain;
    const result = await compileGraph(noEntry);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path.join("."))).toContain("entry");
  });

  it("uses the registry it is given: custom kinds run, unregistered ones are named", async () => {
    const double = defineNodeKind({
      kind: "double",
      description: "Doubles a number.",
      configSchema: z.strictObject({}),
      writes: () => ["output"],
      create: () => (state) => ({ patch: { output: Number(state.input) * 2 } }),
    });
    const graph = defineGraph({
      id: "d",
      version: "1",
      entry: "start",
      exits: ["done"],
      nodes: [
        { id: "start", kind: "entry" },
        { id: "twice", kind: "double" },
        { id: "done", kind: "exit" },
      ],
      edges: [
        { from: "start", to: "twice" },
        { from: "twice", to: "done" },
      ],
    });
    const withKind = await compileGraph(graph, { registry: createNodeRegistry([...builtinNodeKinds, double]) });
    expect(withKind.ok).toBe(true);
    if (withKind.ok) expect((await runGraph(withKind.graph, { input: 21 })).output).toBe(42);
    const without = await compileGraph(graph);
    expect(without).toMatchObject({ ok: false, problems: [{ code: "unknown-kind", nodeId: "twice" }] });
  });

  it("runs fan-out and join from the kinds' own hooks", async () => {
    const graph = defineGraph({
      id: "fan",
      version: "1",
      entry: "start",
      exits: ["done"],
      nodes: [
        { id: "start", kind: "entry" },
        { id: "split", kind: "fanout", config: { join: "meet", maxConcurrency: 2 } },
        { id: "a", kind: "transform", config: { set: { left: "A" } } },
        { id: "b", kind: "transform", config: { set: { right: "B" } } },
        { id: "meet", kind: "join", config: { mode: "all", into: "parts" } },
        { id: "done", kind: "exit", config: { output: "{{ left }}{{ right }}" } },
      ],
      edges: [
        { from: "start", to: "split" },
        { from: "split", to: "a" },
        { from: "split", to: "b" },
        { from: "a", to: "meet" },
        { from: "b", to: "meet" },
        { from: "meet", to: "done" },
      ],
    });
    const result = await compileGraph(graph);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.nodes.get("split")?.fanout).toEqual({ join: "meet", maxConcurrency: 2 });
    expect(result.graph.nodes.get("meet")?.join).toEqual({ mode: "all", into: "parts" });
    const run = await runGraph(result.graph, { input: "" });
    expect(run).toMatchObject({ status: "ok", output: "AB" });
    expect(Array.isArray(run.state.parts)).toBe(true);
  });
});
