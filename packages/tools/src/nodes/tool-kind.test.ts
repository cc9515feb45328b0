import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinNodeKinds, createNodeRegistry, loadGraph, runGraph, type RunEvent } from "@tinyllm/core";
import { defineTool } from "../tool/tool";
import { createToolRegistry } from "../tool/tool-registry";
import { createToolKind } from "./tool-kind";

const double = defineTool({
  name: "double",
  description: "Doubles a number.",
  inputSchema: z.object({ n: z.coerce.number() }),
  outputSchema: z.object({ n: z.number() }),
  timeoutMs: 1000,
  execute: async ({ n }) => ({ n: n * 2 }),
  fromQuery: (query) => {
    const m = /double (\d+)/.exec(query);
    return m ? { input: { n: Number(m[1]) }, answersQuery: query.trim() === m[0] } : undefined;
  },
});

const tools = createToolRegistry([double]);
const registry = createNodeRegistry([...builtinNodeKinds, createToolKind({ tools })]);

function graph(toolConfig: string) {
  return `id: t
version: 1
entry: start
exits: [done, failed]
nodes:
  - { id: start, kind: entry }
  - { id: call, kind: tool, config: ${toolConfig} }
  - { id: done, kind: exit, config: { output: "{{ tool.output.n }}" } }
  - { id: failed, kind: exit, config: { output: "failed: {{ error.code }}" } }
edges:
  - { from: start, to: call }
  - { from: call, to: done }
  - { from: call, to: failed, on: error }
`;
}

async function run(toolConfig: string, input: string) {
  const loaded = await loadGraph(graph(toolConfig), { registry });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  const events: RunEvent[] = [];
  const result = await runGraph(loaded.graph, { input, onEvent: (e) => events.push(e) });
  return { result, events };
}

describe("tool node", () => {
  it("should call the tool with templated arguments, trace it and stream its events", async () => {
    const { result, events } = await run(`{ tool: double, arguments: { n: "{{ input }}" } }`, "21");
    expect(result.output).toBe(42);
    const span = result.trace.spans.find((s) => s.kind === "tool");
    expect(span).toMatchObject({ name: "double", status: "ok", output: { n: 42 } });
    expect(events.filter((e) => e.type === "tool-call" || e.type === "tool-result").map((e) => e.type)).toEqual(["tool-call", "tool-result"]);
  });

  it("should read its input from the query with fromQuery", async () => {
    const { result } = await run(`{ tool: double, fromQuery: "{{ input }}" }`, "double 8");
    expect(result.output).toBe(16);
    expect((result.state.tool as { answersQuery: boolean }).answersQuery).toBe(true);
  });

  it("should fail the node with the tool's error code so error edges can route around it", async () => {
    const { result } = await run(`{ tool: double, arguments: { n: "{{ input }}" } }`, "not a number");
    expect(result.output).toBe("failed: TOOL_INPUT_INVALID");
    const apply = await run(`{ tool: double, fromQuery: "{{ input }}" }`, "triple 8");
    expect(apply.result.output).toBe("failed: TOOL_NOT_APPLICABLE");
  });

  it("should reject unknown tools and missing arguments when the graph loads", async () => {
    const unknown = await loadGraph(graph(`{ tool: nosuch, arguments: {} }`), { registry });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problems[0]?.message).toContain("unknown tool 'nosuch'");
    const neither = await loadGraph(graph(`{ tool: double }`), { registry });
    expect(neither.ok).toBe(false);
  });
});
