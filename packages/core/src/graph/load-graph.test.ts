import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadGraph, loadGraphFile } from "./load-graph";
import { formatGraphProblem } from "./graph-problem";

const valid = `id: g
version: 1
entry: start
exits: [done]
nodes:
  - id: start
    kind: entry
  - id: done
    kind: exit
edges:
  - from: start
    to: done
`;

async function problemsOf(source: string) {
  const result = await loadGraph(source, { file: "g.yaml" });
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

describe("loadGraph", () => {
  it("should compile a valid graph", async () => {
    const result = await loadGraph(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.id).toBe("g");
    expect(result.graph.version).toBe("1");
    expect(result.graph.nodes.get("start")?.edges.map((e) => e.to)).toEqual(["done"]);
    expect(result.graph.limits.maxSteps).toBe(1000);
  });

  it("should report YAML syntax errors with line and column", async () => {
    const problems = await problemsOf("id: g\nnodes: [\n  - a: b\n");
    expect(problems[0]?.code).toBe("yaml-syntax");
    expect(problems[0]?.line).toBeGreaterThan(0);
    expect(problems[0]?.column).toBeGreaterThan(0);
  });

  it("should reject a document that is not a mapping", async () => {
    const problems = await problemsOf("- just\n- a list\n");
    expect(problems.map((p) => p.code)).toEqual(["not-a-graph"]);
  });

  it("should collect every problem at once, each located", async () => {
    const source = `id: g
version: 1
entry: start
exits: [done]
nodes:
  - id: start
    kind: entri
  - id: done
    kind: exit
    config: { outptu: 1 }
  - id: orphan
    kind: transform
    config: { set: { x: 1 } }
edges:
  - from: start
    to: dnoe
  - from: start
    to: done
    condition: "confidence >= "
  - from: start
    to: done
    condition: "nosuch == 1"
`;
    const problems = await problemsOf(source);
    const codes = problems.map((p) => p.code).sort();
    expect(codes).toEqual(["dangling-edge", "invalid-condition", "invalid-config", "unknown-field", "unknown-kind", "unreachable-node"].sort());
    const kind = problems.find((p) => p.code === "unknown-kind");
    expect(kind).toMatchObject({ file: "g.yaml", line: 7, column: 5, nodeId: "start" });
    expect(kind?.message).toContain("did you mean 'entry'");
    const dangling = problems.find((p) => p.code === "dangling-edge");
    expect(dangling).toMatchObject({ line: 16, column: 5, edgeIndex: 0 });
    expect(dangling?.message).toContain("did you mean 'done'");
    const condition = problems.find((p) => p.code === "invalid-condition");
    expect(condition?.line).toBe(19);
    expect(condition?.column).toBeGreaterThan(16);
    const unknownKey = problems.find((p) => p.code === "invalid-config");
    expect(unknownKey).toMatchObject({ line: 10, column: 15 });
    expect(formatGraphProblem(unknownKey!)).toMatch(/^g\.yaml:10:15: error: unknown key 'outptu' \(node 'done'\)\n {2}→ remove it/);
  });

  it("should report wrong types with the field path", async () => {
    const problems = await problemsOf(valid.replace("kind: entry", "kind: entry\n    timeoutMs: soon"));
    expect(problems[0]?.message).toContain("timeoutMs");
    expect(problems[0]?.line).toBe(8);
  });

  it("should report unknown top-level keys", async () => {
    const problems = await problemsOf(`${valid}bogus: 1\n`);
    expect(problems[0]).toMatchObject({ code: "invalid-field", message: "unknown key 'bogus'", line: 13 });
  });

  it("should reject a self-loop with no bound and accept it with one", async () => {
    const loop = valid.replace("edges:\n", "edges:\n  - from: start\n    to: start\n    condition: \"input == 'again'\"\n");
    const problems = await problemsOf(loop);
    expect(problems.map((p) => p.code)).toEqual(["unbounded-cycle"]);
    const bounded = await loadGraph(loop.replace("kind: entry", "kind: entry\n    maxVisits: 3"));
    expect(bounded.ok).toBe(true);
  });

  it("should report unreachable exits and dead ends", async () => {
    const source = `id: g
version: 1
entry: a
exits: [done, never]
nodes:
  - { id: a, kind: entry }
  - { id: stuck, kind: transform, config: { set: { x: 1 } } }
  - { id: done, kind: exit }
  - { id: never, kind: exit }
edges:
  - { from: a, to: stuck, condition: "input == 1" }
  - { from: a, to: done }
`;
    const codes = (await problemsOf(source)).map((p) => p.code).sort();
    expect(codes).toEqual(["dead-end", "unreachable-exit", "unreachable-node"]);
  });

  it("should reject a fan-out branch that never reaches its join", async () => {
    const source = `id: g
version: 1
entry: a
exits: [done]
nodes:
  - { id: a, kind: entry }
  - { id: f, kind: fanout, config: { join: j } }
  - { id: b1, kind: transform, config: { set: { x: 1 } } }
  - { id: b2, kind: transform, config: { set: { y: 1 } } }
  - { id: j, kind: join }
  - { id: done, kind: exit }
edges:
  - { from: a, to: f }
  - { from: f, to: b1 }
  - { from: f, to: b2 }
  - { from: b1, to: j }
  - { from: b2, to: done }
  - { from: j, to: done }
`;
    const problems = await problemsOf(source);
    expect(problems.map((p) => p.code)).toEqual(["fanout-without-join"]);
    expect(problems[0]?.message).toContain("b2");
  });

  it("should refuse files over the size limit without parsing them", async () => {
    const big = `# ${"x".repeat(10 * 1024 * 1024)}\n${valid}`;
    const problems = await problemsOf(big);
    expect(problems[0]?.code).toBe("too-large");
    expect(problems[0]?.message).toMatch(/10\.0 MB; the limit is 4\.0 MB/);
  });

  it("should survive documents nested too deeply", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const result = await loadGraph(deep);
    expect(result.ok).toBe(false);
  });

  it("should not expand alias bombs", async () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
`;
    const result = await loadGraph(bomb);
    expect(result.ok).toBe(false);
  });

  it("should load and check a 10,000-node chain quickly", async () => {
    const n = 10_000;
    const nodes = ["  - { id: n0, kind: entry }"];
    const edges: string[] = [];
    for (let i = 1; i < n - 1; i++) nodes.push(`  - { id: n${i}, kind: transform, config: { set: { v: ${i} } } }`);
    nodes.push(`  - { id: n${n - 1}, kind: exit }`);
    for (let i = 0; i < n - 1; i++) edges.push(`  - { from: n${i}, to: n${i + 1} }`);
    const source = `id: big\nversion: 1\nentry: n0\nexits: [n${n - 1}]\nlimits: { maxSteps: 20000 }\nnodes:\n${nodes.join("\n")}\nedges:\n${edges.join("\n")}\n`;
    const result = await loadGraph(source);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.graph.nodeList).toHaveLength(n);
  });

  it("should report a cycle through 10,000 nodes without overflowing the stack", async () => {
    const n = 10_000;
    const nodes = ["  - { id: n0, kind: entry }", `  - { id: out, kind: exit }`];
    const edges: string[] = [];
    for (let i = 1; i < n; i++) nodes.push(`  - { id: n${i}, kind: transform, config: { set: { v: ${i} } } }`);
    for (let i = 0; i < n - 1; i++) edges.push(`  - { from: n${i}, to: n${i + 1} }`);
    edges.push(`  - { from: n${n - 1}, to: out, condition: "v == 0" }`, `  - { from: n${n - 1}, to: n1 }`);
    const source = `id: big\nversion: 1\nentry: n0\nexits: [out]\nnodes:\n${nodes.join("\n")}\nedges:\n${edges.join("\n")}\n`;
    const problems = await problemsOf(source);
    expect(problems.map((p) => p.code)).toEqual(["unbounded-cycle"]);
    expect(problems[0]?.message).toContain("…");
  });
});

describe("loadGraphFile", () => {
  it("should load subgraphs relative to the file and catch self-inclusion", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-graph-"));
    await writeFile(path.join(dir, "child.yaml"), valid.replace("id: g", "id: child"));
    await writeFile(
      path.join(dir, "parent.yaml"),
      valid
        .replace("id: g", "id: parent")
        .replace(
          "edges:\n  - from: start\n    to: done\n",
          "  - id: sub\n    kind: subgraph\n    config: { graph: child.yaml }\nedges:\n  - { from: start, to: sub }\n  - { from: sub, to: done }\n",
        ),
    );
    const parent = await loadGraphFile(path.join(dir, "parent.yaml"));
    expect(parent.ok).toBe(true);
    if (parent.ok) expect(parent.graph.nodes.get("sub")?.subgraph?.id).toBe("child");

    await writeFile(
      path.join(dir, "self.yaml"),
      valid
        .replace("id: g", "id: self")
        .replace(
          "edges:\n  - from: start\n    to: done\n",
          "  - id: sub\n    kind: subgraph\n    config: { graph: self.yaml }\nedges:\n  - { from: start, to: sub }\n  - { from: sub, to: done }\n",
        ),
    );
    const self = await loadGraphFile(path.join(dir, "self.yaml"));
    expect(self.ok).toBe(false);
    if (!self.ok) expect(self.problems.map((p) => p.code)).toContain("recursive-subgraph");
  });

  it("should say when the file does not exist", async () => {
    const result = await loadGraphFile("/definitely/not/here.yaml");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: "file-not-found", file: "/definitely/not/here.yaml" });
  });
});

describe("warnings and long names", () => {
  it("should warn about a join that no fan-out uses, without failing the graph", async () => {
    const source = valid.replace(
      "edges:\n  - from: start\n    to: done\n",
      "  - { id: j, kind: join }\nedges:\n  - { from: start, to: j }\n  - { from: j, to: done }\n",
    );
    const result = await loadGraph(source);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings.map((w) => w.code)).toEqual(["join-without-fanout"]);
  });

  it("should clip a huge id in formatted messages", async () => {
    const id = `n${"x".repeat(100_000)}`;
    const problems = await problemsOf(valid.replace("kind: exit", `kind: exit\n  - { id: ${id}, kind: nope }`));
    const text = problems.map(formatGraphProblem).join("\n");
    expect(text.length).toBeLessThan(5_000);
  });
});
