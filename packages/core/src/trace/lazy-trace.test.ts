import { describe, expect, it } from "vitest";
import { builtinNodeKinds, createNodeRegistry, loadGraph, runGraph, runSpans } from "../index";
import { Trace } from "./trace";

const source = `id: lazy
version: 1
entry: in
exits: [out]
nodes:
  - { id: in, kind: entry }
  - { id: shout, kind: transform, config: { set: { output: "{{ input | upper }}" } } }
  - { id: out, kind: exit }
edges:
  - { from: in, to: shout }
  - { from: shout, to: out }
`;

async function graph() {
  const loaded = await loadGraph(source, { registry: createNodeRegistry(builtinNodeKinds) });
  if (!loaded.ok) throw new Error(loaded.problems.map((problem) => problem.message).join("\n"));
  return loaded.graph;
}

describe("a run's lazy trace", () => {
  it("is an own enumerable property, the same copy on every read, and serialised with the result", async () => {
    const result = await runGraph(await graph(), { input: "hi" });
    expect(Object.keys(result).at(-1)).toBe("trace");
    const first = result.trace;
    expect(result.trace).toBe(first);
    expect(first.spans.map((span) => span.name)).toEqual(["lazy", "in", "shout", "out"]);
    const parsed = JSON.parse(JSON.stringify(result)) as { trace: { spans: unknown[] } };
    expect(parsed.trace.spans).toHaveLength(4);
    expect({ ...result }.trace).toBe(first);
  });

  it("can be replaced", async () => {
    const result = await runGraph(await graph(), { input: "hi" });
    const other = { version: 1 as const, runId: "r", graphId: "g", startedAt: "", spans: [] };
    result.trace = other;
    expect(result.trace).toBe(other);
  });

  it("runSpans reads the recorded spans without making the copy, and the copy agrees with them", async () => {
    const result = await runGraph(await graph(), { input: "hi" });
    const spans = runSpans(result);
    expect(spans.map((span) => [span.kind, span.name, span.status])).toEqual([
      ["run", "lazy", "ok"],
      ["node", "in", "ok"],
      ["node", "shout", "ok"],
      ["node", "out", "ok"],
    ]);
    expect(Object.getOwnPropertyDescriptor(result, "trace")?.get).toBeDefined();
    expect(result.trace.spans.map((span) => [span.kind, span.name, span.status])).toEqual(spans.map((span) => [span.kind, span.name, span.status]));
    expect(runSpans(result)).toBe(result.trace.spans);
  });

  it("runSpans reads any result's trace", () => {
    const spans = [{ id: "s1", kind: "run", name: "g", startMs: 0, status: "ok" as const }];
    const result = {
      runId: "r",
      graphId: "g",
      status: "ok" as const,
      output: 1,
      state: {},
      steps: 1,
      durationMs: 1,
      trace: { version: 1 as const, runId: "r", graphId: "g", startedAt: "", spans },
    };
    expect(runSpans(result)).toBe(spans);
  });
});

describe("a sealed trace", () => {
  it("keeps no span started, ended or changed after it was sealed", () => {
    const trace = new Trace({ runId: "r", graphId: "g" });
    const root = trace.start({ kind: "run", name: "g" });
    const call = root.startChild({ kind: "model", name: "m" });
    call.end({ tokens: { input: 1, output: 2 } });
    root.end();
    trace.seal();
    call.addTokens({ input: 5, output: 5 });
    call.setAttributes({ late: true });
    call.setRetries(3);
    root.startChild({ kind: "tool", name: "late" }).end();
    const json = trace.toJSON();
    expect(json.spans.map((span) => span.name)).toEqual(["g", "m"]);
    expect(json.spans[1]).toMatchObject({ tokens: { input: 1, output: 2 } });
    expect(json.spans[1]?.attributes).toBeUndefined();
    expect(json.spans[1]?.retries).toBeUndefined();
  });
});
