import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defineGraph, nodeInfoOf, type RouteInfo, type RunEvent } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";
import type { Runtime } from "../runtime";

let dir: string;
let runtime: Runtime;

// No model anywhere: the router keeps to its fast path and precedents, the gate to its cheap checks.
const noBackend = { flags: { ollamaHost: "http://127.0.0.1:9" }, probeTimeoutMs: 300 } as const;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-precedents-"));
  runtime = await createRuntime({ cwd: dir, env: {}, ...noBackend, verdictStore: false, runStore: false, memoryStore: false });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

/** entry → router (never sure of itself, no LLM) → a fixed answer → gate (cheap checks only) → exit. */
function graph(id: string, answer: string) {
  return defineGraph({
    id,
    version: 1,
    entry: "start",
    exits: ["done"],
    nodes: [
      { id: "start", kind: "entry" },
      {
        id: "router",
        kind: "router",
        config: {
          llm: "never",
          threshold: 1,
          routes: [
            { name: "bugs", examples: ["how many legs does a spider have", "what do ants eat", "are bees insects"] },
            { name: "other", examples: ["capital of france", "write a poem about rain", "tips for sleeping better"] },
          ],
          default: "other",
        },
      },
      { id: "answer", kind: "transform", config: { set: { output: answer } } },
      { id: "gate", kind: "gate", config: { pass: "done", judge: { enabled: false } } },
      { id: "done", kind: "exit" },
    ],
    edges: [
      { from: "start", to: "router" },
      { from: "router", to: "answer" },
      { from: "answer", to: "gate" },
    ],
  });
}
const answers = graph("answers", "Most of them have six or eight legs.");
const empty = graph("empty", "");
const scope = "routes:bugs,other";

async function routeOf(query: string, which = answers): Promise<RouteInfo> {
  const events: RunEvent[] = [];
  const result = await runtime.run(query, { graph: which, onEvent: (event) => events.push(event) });
  expect(result.status).toBe("ok");
  const route = events.map((event) => nodeInfoOf(event, "route")).find(Boolean);
  expect(route).toBeDefined();
  return route as RouteInfo;
}

describe("routing by precedent in the runtime", () => {
  it("records every gated run, and lets agreeing passing precedents route a near query", async () => {
    const first = await routeOf("how many legs does a spider have");
    expect(first.decidedBy).toBe("fast");
    await routeOf("how many legs does an ant have");
    for (const query of ["capital of peru", "a poem about snow", "what is the tallest mountain", "how do magnets work"]) await routeOf(query);

    const index = runtime.precedentIndex();
    expect(index).toBeDefined();
    const near = await index!.nearest("how many legs does a beetle have", 5, { scope });
    expect(near.slice(0, 2).map((m) => [m.query, m.route, m.pass])).toEqual(
      expect.arrayContaining([
        ["how many legs does a spider have", first.route, true],
        ["how many legs does an ant have", first.route, true],
      ]),
    );
    expect(existsSync(path.join(dir, ".tinyllm", "precedents.db"))).toBe(true);

    const beetle = await routeOf("how many legs does a beetle have");
    expect(beetle).toMatchObject({ decidedBy: "precedent", route: first.route, precedent: { outcome: "decided" } });
    expect(beetle.precedent?.support).toBeGreaterThanOrEqual(2);
  });

  it("counts runs that failed the gate against their route", async () => {
    // The same question, asked before in other words, failed three times; two other insects passed.
    for (const query of ["how many legs does a wasp have exactly", "how many legs does a wasp have in total", "how many legs does a wasp have really"])
      await routeOf(query, empty);
    const near = await runtime.precedentIndex()!.nearest("how many legs does a wasp have", 5, { scope });
    expect(near.slice(0, 3).every((m) => !m.pass)).toBe(true);
    expect(near.filter((m) => m.pass).length).toBeGreaterThanOrEqual(2);
    const wasp = await routeOf("how many legs does a wasp have");
    expect(wasp.decidedBy).toBe("fast");
    expect(wasp.precedent?.outcome).toBe("undecided");
  });

  it("records nothing for a run with record: false, or with precedentIndex: false", async () => {
    const before = await runtime.precedentIndex()!.nearest("zebra stripes pattern", 5, { scope });
    await runtime.run("zebra stripes pattern", { graph: answers, record: false });
    expect(await runtime.precedentIndex()!.nearest("zebra stripes pattern", 5, { scope })).toEqual(before);

    const offDir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-precedents-off-"));
    const off = await createRuntime({ cwd: offDir, env: {}, ...noBackend, verdictStore: false, runStore: false, memoryStore: false, precedentIndex: false });
    try {
      const result = await off.run("how many legs does a spider have", { graph: answers });
      expect(result.status).toBe("ok");
      expect(off.precedentIndex()).toBeUndefined();
      expect(existsSync(path.join(offDir, ".tinyllm", "precedents.db"))).toBe(false);
    } finally {
      await off.close();
      await rm(offDir, { recursive: true, force: true });
    }
  });

  it("keeps precedents for the next runtime on the same directory", async () => {
    const next = await createRuntime({ cwd: dir, env: {}, ...noBackend, verdictStore: false, runStore: false, memoryStore: false });
    try {
      const near = await next.precedentIndex()!.nearest("how many legs does a spider have", 1, { scope });
      expect(near[0]).toMatchObject({ query: "how many legs does a spider have", pass: true });
    } finally {
      await next.close();
    }
  });
});
