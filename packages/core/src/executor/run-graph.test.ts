import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { loadGraph } from "../graph/load-graph";
import type { CompiledGraph } from "../graph/compiled-graph";
import { createProbe, createTestRegistry, type Probe } from "../testing/test-kinds";
import type { RunEvent } from "../events/run-event";
import type { NodeContext } from "../node-kind/node-kind";
import { runGraph, streamGraph } from "./run-graph";

async function compile(source: string, probe: Probe = createProbe()): Promise<CompiledGraph> {
  const result = await loadGraph(source, { registry: createTestRegistry(probe) });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.graph;
}

/** A graph `start → <middle> → done` plus extra nodes and edges. */
function graph(middle: string, extra = { nodes: "", edges: "", head: "" }): string {
  return `id: t
version: 1
${extra.head}entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - { id: work, ${middle} }
  - { id: done, kind: exit }
${extra.nodes}edges:
  - { from: start, to: work }
  - { from: work, to: done }
${extra.edges}`;
}

describe("runGraph", () => {
  it("should run a chain, record spans and stream events in order", async () => {
    const g = await compile(graph(`kind: transform, config: { set: { output: "{{ input | upper }}" } }`));
    const events: RunEvent[] = [];
    const result = await runGraph(g, { input: "hi", onEvent: (e) => events.push(e) });
    expect(result.status).toBe("ok");
    expect(result.output).toBe("HI");
    expect(result.steps).toBe(3);
    const [run, ...nodes] = result.trace.spans;
    expect(run).toMatchObject({ kind: "run", status: "ok" });
    expect(nodes.map((s) => s.name)).toEqual(["start", "work", "done"]);
    expect(nodes.every((s) => s.parentId === run?.id && typeof s.durationMs === "number")).toBe(true);
    expect(events.map((e) => e.type)).toEqual(["run-start", "node-start", "node-end", "node-start", "node-end", "node-start", "node-end", "run-end"]);
    expect(JSON.parse(JSON.stringify(result.trace)).spans).toHaveLength(4);
  });

  it("starts from the given state with input last, an own __proto__ key kept as a plain field, and node events timed as their spans", async () => {
    const g = await compile(graph(`kind: transform, config: { set: { output: "{{ input | upper }}" } }`));
    const events: RunEvent[] = [];
    const result = await runGraph(g, { input: "hi", state: { a: 1, input: "ignored" }, onEvent: (e) => events.push(e) });
    expect(Object.keys(result.state)).toEqual(["a", "input", "output"]);
    expect(result.state.input).toBe("hi");
    const polluted = JSON.parse('{"__proto__": {"x": 1}, "b": 2}') as Record<string, unknown>;
    const odd = await runGraph(g, { input: "yo", state: polluted });
    expect(Object.hasOwn(odd.state, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(odd.state)).toBe(Object.prototype);
    expect(odd.state.b).toBe(2);
    const spans = new Map(result.trace.spans.map((span) => [span.id, span]));
    for (const event of events) {
      if (event.type === "node-start") expect(event.timeMs).toBe(spans.get(event.spanId)?.startMs);
      if (event.type === "node-end") expect(event.timeMs).toBe(spans.get(event.spanId)?.endMs);
    }
  });

  it("should abort a node at its timeout and take its error edge", async () => {
    const probe = createProbe();
    const g = await compile(
      graph(`kind: wait, timeoutMs: 20`, {
        head: "",
        nodes: "  - { id: fallback, kind: transform, config: { set: { output: 'fell back: {{ error.code }}' } } }\n",
        edges: "  - { from: work, to: fallback, on: error }\n  - { from: fallback, to: done }\n",
      }),
      probe,
    );
    const result = await runGraph(g, {});
    expect(result.status).toBe("ok");
    expect(result.output).toBe("fell back: NODE_TIMEOUT");
    expect(probe.signals.get("work")?.aborted).toBe(true);
    expect(result.trace.spans.find((s) => s.name === "work")?.error?.code).toBe("NODE_TIMEOUT");
  });

  it("should move on at a node timeout even when the node ignores its signal", async () => {
    const g = await compile(graph(`kind: wait, timeoutMs: 20, config: { ignoreSignal: true }`));
    const result = await runGraph(g, {});
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "NODE_TIMEOUT", nodeId: "work" });
  });

  it("should end with timeout at the run deadline and abort work in flight", async () => {
    const probe = createProbe();
    const g = await compile(graph(`kind: wait`), probe);
    const result = await runGraph(g, { deadlineMs: 30 });
    expect(result.status).toBe("timeout");
    expect(result.error?.code).toBe("RUN_TIMEOUT");
    expect(probe.signals.get("work")?.aborted).toBe(true);
  });

  it("should end with cancelled when the caller aborts", async () => {
    const probe = createProbe();
    const g = await compile(graph(`kind: wait`), probe);
    const controller = new AbortController();
    const pending = runGraph(g, { abortSignal: controller.signal });
    await waitFor(probe, "work");
    controller.abort();
    const result = await pending;
    expect(result.status).toBe("cancelled");
    expect(probe.signals.get("work")?.aborted).toBe(true);
  });

  it("should retry retriable errors with backoff and record the retries", async () => {
    const probe = createProbe();
    const g = await compile(graph(`kind: flaky, config: { failures: 2 }, retry: { maxAttempts: 3, initialDelayMs: 4, factor: 2 }`), probe);
    const events: RunEvent[] = [];
    const result = await runGraph(g, { onEvent: (e) => events.push(e), _internal: { random: () => 0.5 } });
    expect(result.status).toBe("ok");
    expect(result.state.attempts).toBe(3);
    const retries = events.filter((e) => e.type === "node-retry");
    expect(retries.map((e) => (e.type === "node-retry" ? e.delayMs : -1))).toEqual([2, 4]);
    expect(result.trace.spans.find((s) => s.name === "work")?.retries).toBe(2);
  });

  it("should not retry errors that are not retriable", async () => {
    const probe = createProbe();
    const g = await compile(graph(`kind: flaky, config: { failures: 1, retryable: false }, retry: { maxAttempts: 5, initialDelayMs: 1 }`), probe);
    const result = await runGraph(g, {});
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "FLAKY", nodeId: "work" });
    expect(probe.calls.get("work")).toBe(1);
  });

  it("should give up after maxAttempts", async () => {
    const probe = createProbe();
    const g = await compile(graph(`kind: flaky, config: { failures: 10 }, retry: { maxAttempts: 3, initialDelayMs: 0 }`), probe);
    const result = await runGraph(g, {});
    expect(result.status).toBe("failed");
    expect(probe.calls.get("work")).toBe(3);
  });

  it.each(["string", "null"])("should turn a thrown %s into a structured error", async (throwValue) => {
    const g = await compile(graph(`kind: flaky, config: { failures: 1, throwValue: "${throwValue}" }`));
    const result = await runGraph(g, {});
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("NODE_FAILED");
    expect(result.error?.nodeId).toBe("work");
    expect(typeof result.error?.message).toBe("string");
  });

  it("should fail with NO_ROUTE when no edge condition holds", async () => {
    const g = await compile(
      graph(`kind: transform, config: { set: { x: 1 } }`).replace("- { from: work, to: done }", "- { from: work, to: done, condition: 'x == 2' }"),
    );
    const result = await runGraph(g, {});
    expect(result.error).toMatchObject({ code: "NO_ROUTE", nodeId: "work" });
  });

  it("should stop at limits.maxSteps", async () => {
    const g = await compile(`id: t
version: 1
entry: start
exits: [done]
limits: { maxSteps: 50, maxVisitsPerNode: 1000 }
nodes:
  - { id: start, kind: entry }
  - { id: spin, kind: transform, config: { set: { n: "{{ n | inc }}" } } }
  - { id: done, kind: exit }
edges:
  - { from: start, to: spin }
  - { from: spin, to: done, condition: "n > 1000" }
  - { from: spin, to: spin }
`);
    const result = await runGraph(g, {});
    expect(result.error?.code).toBe("STEP_LIMIT");
    expect(result.steps).toBe(51);
  });

  it("should stream tokens, tool calls and child spans", async () => {
    const g = await compile(graph(`kind: emitter, config: { text: "one two three" }`));
    const stream = streamGraph(g, { input: "x" });
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "token-delta") text += event.text;
    }
    const result = await stream.result;
    expect(text).toBe("one two three ");
    expect(types).toContain("tool-call");
    expect(types).toContain("tool-result");
    expect(types.at(-1)).toBe("run-end");
    const model = result.trace.spans.find((s) => s.kind === "model");
    expect(model?.tokens).toEqual({ input: 3, output: 4 });
    expect(result.trace.spans.find((s) => s.id === model?.parentId)?.name).toBe("work");
  });

  it("should cancel the run when the stream consumer leaves early", async () => {
    const probe = createProbe();
    const g = await compile(graph(`kind: wait`), probe);
    const stream = streamGraph(g, {});
    for await (const event of stream) if (event.type === "node-start" && event.nodeId === "work") break;
    const result = await stream.result;
    expect(result.status).toBe("cancelled");
  });

  it("should cap large values when the trace is serialized", async () => {
    const g = await compile(graph(`kind: transform, config: { set: { output: "{{ input }}{{ input }}" } }`));
    const result = await runGraph(g, { input: "x".repeat(5000), maxTraceValueChars: 100 });
    const work = result.trace.spans.find((s) => s.name === "work");
    expect(work?.output).toMatchObject({ truncated: true, preview: expect.any(String) });
    expect(JSON.stringify(result.trace).length).toBeLessThan(3000);
  });
});

describe("fan-out and join", () => {
  const fan = (mode: string, branches: string[], extra = "") => `id: f
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - { id: split, kind: fanout, config: { join: merge${extra} } }
${branches.map((b) => `  - { id: ${b} }`).join("\n")}
  - { id: merge, kind: join, config: { mode: ${mode} } }
  - { id: done, kind: exit }
edges:
  - { from: start, to: split }
${branches.map((b) => `  - { from: split, to: ${b.split(",")[0]} }\n  - { from: ${b.split(",")[0]}, to: merge }`).join("\n")}
  - { from: merge, to: done }
`;

  it("should run branches concurrently up to the limit and merge their writes", async () => {
    const probe = createProbe();
    const ids = ["a", "b", "c", "d", "e"];
    const g = await compile(
      fan(
        "all",
        ids.map((id) => `${id}, kind: yield, config: { set: { ${id}: true } }`),
        ", maxConcurrency: 2",
      ),
      probe,
    );
    const result = await runGraph(g, {});
    expect(result.status).toBe("ok");
    expect(probe.peak).toBe(2);
    for (const id of ids) expect(result.state[id]).toBe(true);
    expect((result.state.branches as { status: string }[]).map((b) => b.status)).toEqual(["ok", "ok", "ok", "ok", "ok"]);

    const probe2 = createProbe();
    const g2 = await compile(
      fan(
        "all",
        ids.map((id) => `${id}, kind: yield, config: { set: { ${id}: true } }`),
      ),
      probe2,
    );
    await runGraph(g2, {});
    expect(probe2.peak).toBe(5);
  });

  it("all: the first failure fails the fan-out and cancels the other branches", async () => {
    const probe = createProbe();
    const g = await compile(fan("all", ["slow, kind: wait", "bad, kind: flaky, config: { failures: 1, retryable: false }"]), probe);
    const result = await runGraph(g, {});
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "FLAKY", nodeId: "bad" });
    expect(probe.signals.get("slow")?.aborted).toBe(true);
  });

  it("any: tolerates failed branches when one succeeds", async () => {
    const g = await compile(fan("any", ["good, kind: transform, config: { set: { good: 1 } }", "bad, kind: flaky, config: { failures: 1, retryable: false }"]));
    const result = await runGraph(g, {});
    expect(result.status).toBe("ok");
    expect(result.state.good).toBe(1);
    expect((result.state.branches as { branch: string; status: string }[]).find((b) => b.branch === "bad")?.status).toBe("failed");
  });

  it("first: takes the first success and cancels the rest", async () => {
    const probe = createProbe();
    const g = await compile(fan("first", ["slow, kind: wait, config: { set: { slow: 1 } }", "fast, kind: transform, config: { set: { fast: 1 } }"]), probe);
    const result = await runGraph(g, {});
    expect(result.status).toBe("ok");
    expect(result.state.fast).toBe(1);
    expect(result.state.slow).toBeUndefined();
    expect(probe.signals.get("slow")?.aborted).toBe(true);
  });
});

describe("loops and visit bounds", () => {
  it("should leave a loop by its error edge when maxVisits is passed", async () => {
    const g = await compile(`id: l
version: 1
entry: start
exits: [done, out]
nodes:
  - { id: start, kind: entry }
  - { id: spin, kind: transform, maxVisits: 4, config: { set: { n: "{{ n | inc }}" } } }
  - { id: done, kind: exit }
  - { id: out, kind: exit, config: { output: "stopped at {{ n }}" } }
edges:
  - { from: start, to: spin }
  - { from: spin, to: done, condition: "n >= 100" }
  - { from: spin, to: spin }
  - { from: spin, to: out, on: error }
`);
    const result = await runGraph(g, {});
    expect(result.status).toBe("ok");
    expect(result.output).toBe("stopped at 4");
    expect((result.state.error as { code: string }).code).toBe("VISIT_LIMIT");
  });

  it("should run a 10,000-node chain within its step limit", async () => {
    const n = 10_000;
    const nodes = ["  - { id: n0, kind: entry }"];
    for (let i = 1; i < n - 1; i++) nodes.push(`  - { id: n${i}, kind: transform, config: { set: { v: ${i} } } }`);
    nodes.push(`  - { id: n${n - 1}, kind: exit }`);
    const edges = Array.from({ length: n - 1 }, (_, i) => `  - { from: n${i}, to: n${i + 1} }`);
    const g = await compile(
      `id: big\nversion: 1\nentry: n0\nexits: [n${n - 1}]\nlimits: { maxSteps: 10000 }\nnodes:\n${nodes.join("\n")}\nedges:\n${edges.join("\n")}\n`,
    );
    const result = await runGraph(g, {});
    expect(result.status).toBe("ok");
    expect(result.state.v).toBe(n - 2);
    expect(result.steps).toBe(n);
  });
});

async function waitFor(probe: Probe, nodeId: string): Promise<void> {
  for (let i = 0; i < 1000 && !probe.waiting.has(nodeId); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  await probe.waiting.get(nodeId);
}

describe("hostile handlers", () => {
  async function withHandler(handler: (state: unknown, context: { emit: (e: unknown) => void }) => unknown, extra = "") {
    const { z } = await import("zod");
    const { builtinNodeKinds } = await import("../kinds/builtin-node-kinds");
    const { createNodeRegistry } = await import("../node-kind/node-registry");
    const odd = { kind: "odd", description: "test", configSchema: z.strictObject({}), create: () => handler as never };
    const loaded = await loadGraph(
      `id: h\nversion: 1\nentry: start\nexits: [done, handled]\nnodes:\n  - { id: start, kind: entry }\n  - { id: work, kind: odd${extra} }\n  - { id: done, kind: exit }\n  - { id: handled, kind: exit, config: { output: "handled {{ error.code }}" } }\nedges:\n  - { from: start, to: work }\n  - { from: work, to: done }\n  - { from: work, to: handled, on: error }\n`,
      { registry: createNodeRegistry([...builtinNodeKinds, odd]) },
    );
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
    const events: RunEvent[] = [];
    const result = await runGraph(loaded.graph, { onEvent: (e) => events.push(e) });
    return { result, events };
  }

  it("should end a child span the handler left open, as an error, so no span stays running", async () => {
    const { result } = await withHandler((_state, context) => {
      (context as unknown as { span: { startChild(options: { kind: string; name: string }): unknown } }).span.startChild({ kind: "model", name: "left-open" });
      return { patch: {} };
    });
    expect(result.status).toBe("ok");
    const open = result.trace.spans.find((span) => span.name === "left-open")!;
    expect(open.status).toBe("error");
    expect(open.error?.code).toBe("SPAN_NOT_ENDED");
    expect(result.trace.spans.every((span) => span.status !== "running")).toBe(true);
  });

  it("should route a thrown Proxy with throwing traps through the error edge", async () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    const { result } = await withHandler(() => {
      throw hostile;
    });
    expect(result.status).toBe("ok");
    expect(result.output).toBe("handled NODE_FAILED");
  });

  it("should fail a node that returns a patch that is not an object", async () => {
    const { result } = await withHandler(() => ({ patch: 42 }));
    expect(result.output).toBe("handled NODE_FAILED");
  });

  it("should drop malformed events instead of passing them to listeners", async () => {
    const { result, events } = await withHandler((_s, context) => {
      context.emit(null);
      context.emit({ type: "nope" });
      context.emit({ type: "token-delta", text: "ok" });
      return undefined;
    });
    expect(result.status).toBe("ok");
    expect(events.filter((e) => "nodeId" in e && e.nodeId === "work" && e.type !== "node-start" && e.type !== "node-end").map((e) => e.type)).toEqual([
      "token-delta",
    ]);
  });
});

describe("the run's abort, made only when needed", () => {
  async function withKind(create: (context: NodeContext) => unknown, deadlineMs?: number, abortSignal?: AbortSignal) {
    const { z } = await import("zod");
    const { builtinNodeKinds } = await import("../kinds/builtin-node-kinds");
    const { createNodeRegistry } = await import("../node-kind/node-registry");
    const custom = {
      kind: "custom",
      description: "test",
      configSchema: z.strictObject({}),
      create: () => ((_state: unknown, context: NodeContext) => create(context)) as never,
    };
    const loaded = await loadGraph(
      `id: a\nversion: 1\nentry: start\nexits: [done]\nnodes:\n  - { id: start, kind: entry }\n  - { id: work, kind: custom }\n  - { id: after, kind: transform, config: { set: { output: "after" } } }\n  - { id: done, kind: exit }\nedges:\n  - { from: start, to: work }\n  - { from: work, to: after }\n  - { from: after, to: done }\n`,
      { registry: createNodeRegistry([...builtinNodeKinds, custom]) },
    );
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
    return runGraph(loaded.graph, { ...(deadlineMs !== undefined ? { deadlineMs } : {}), ...(abortSignal ? { abortSignal } : {}) });
  }

  it("adds no listener to the caller's signal while nodes answer synchronously", async () => {
    const controller = new AbortController();
    let listeners = -1;
    const result = await withKind(
      () => {
        listeners = getEventListeners(controller.signal, "abort").length;
        return { patch: {} };
      },
      60_000,
      controller.signal,
    );
    expect(result.status).toBe("ok");
    expect(listeners).toBe(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("cancels at the next step when the caller aborts during a synchronous node", async () => {
    const controller = new AbortController();
    const result = await withKind(
      () => {
        controller.abort(new Error("stop"));
        return { patch: {} };
      },
      undefined,
      controller.signal,
    );
    expect(result.status).toBe("cancelled");
    expect(result.error).toMatchObject({ code: "RUN_CANCELLED", message: "the run was cancelled by the caller" });
    expect(result.trace.spans.some((span) => span.name === "after")).toBe(false);
  });

  it("gives a node that reads it a real signal, linked to the caller's and the deadline, even from a spread context", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const result = await withKind(
      (context) => {
        const copy = { ...context };
        seen = copy.abortSignal;
        return new Promise(() => undefined);
      },
      40,
      controller.signal,
    );
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen?.aborted).toBe(true);
    expect(result.status).toBe("timeout");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("times out at once a node that waits after synchronous work has used up the deadline", async () => {
    const result = await withKind(() => {
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // busy: synchronous work past the deadline
      }
      return new Promise(() => undefined);
    }, 10);
    expect(result.status).toBe("timeout");
    expect(result.error?.code).toBe("RUN_TIMEOUT");
  });
});
