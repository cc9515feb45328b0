import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defineGraph, type RunStore } from "@tinyllm/core";
import { captureError, resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";
import type { Runtime } from "../runtime";

let dir: string;
let runtime: Runtime;
let store: RunStore;
const warnings: string[] = [];

/** A graph without models: its runs need no backend. */
const echoGraph = defineGraph({
  id: "echo",
  version: 1,
  entry: "begin",
  exits: ["end"],
  nodes: [
    { id: "begin", kind: "entry" },
    { id: "end", kind: "exit", config: { output: "{{ input | upper }}" } },
  ],
  edges: [{ from: "begin", to: "end" }],
});

beforeAll(async () => {
  const modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-runtime-runs-"));
  runtime = await createRuntime({
    cwd: dir,
    env: {},
    flags: { modelFile, provider: "llama", threads: 1 },
    verdictStore: false,
    runStore: "runs/runs.db",
    onWarning: (message) => warnings.push(message),
  });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the runtime records its runs", () => {
  it("records a run with its status, route, verdict, tokens, numbered events from run-start to run-end, and its trace", async () => {
    const result = await runtime.run("What is 2+2?", { source: "test" });
    expect(result.status).toBe("ok");
    store = runtime.runStore()!;
    expect(store).toBeDefined();
    const record = await store.get(result.runId);
    expect(record).toMatchObject({ id: result.runId, graphId: "multi_domain", source: "test", status: "ok", input: "What is 2+2?", route: "math" });
    expect(record!.output).toEqual(result.output);
    expect(record!.verdict).toMatchObject({ pass: (result.state.verdict as { pass: boolean }).pass });
    expect(record!.trace!.spans.length).toBe(result.trace.spans.length);
    expect(record!.trace!.spans.length).toBeGreaterThan(2);
    expect(record!.durationMs).toBeCloseTo(result.durationMs, 3);
    const events = await store.events(result.runId);
    expect(events.map((item) => item.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]!.event.type).toBe("run-start");
    expect(events.at(-1)!.event.type).toBe("run-end");
    expect(events.some((item) => item.event.type === "node-info" && item.event.name === "route")).toBe(true);
    expect(record!.eventCount).toBe(events.length);
    const [summary] = await store.list({ limit: 1 });
    expect(summary).toMatchObject({ id: result.runId, status: "ok", route: "math", inputPreview: "What is 2+2?" });
    expect(warnings).toEqual([]);
  });

  it("records streamed runs with the given runId, tokens summed from the spans", async () => {
    const running = runtime.stream("Tell me a story about a cat.", { runId: "story-run_1.a:b" });
    for await (const _event of running) {
      // The events are recorded as they go.
    }
    const result = await running.result;
    expect(result.runId).toBe("story-run_1.a:b");
    const record = await store.get("story-run_1.a:b");
    expect(record).toMatchObject({ status: result.status, route: result.state.route });
    const spanTokens = result.trace.spans.reduce((sum, span) => sum + (span.tokens?.output ?? 0), 0);
    expect(spanTokens).toBeGreaterThan(0);
    expect(record!.tokens!.output).toBe(spanTokens);
  });

  it("refuses an invalid runId with INVALID_ARGUMENT and a hint, recording nothing", async () => {
    for (const runId of ["", "has space", "x".repeat(129), "semi;colon"]) {
      const error = await captureError(runtime.run("What is 2+2?", { runId, graph: echoGraph }));
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(error.hint).toBeTruthy();
    }
    expect((await store.list({ graphId: "echo" })).length).toBe(0);
  });

  it("records a run that was aborted as cancelled", async () => {
    const controller = new AbortController();
    const result = await runtime.run("Tell me a long story about a dragon.", {
      runId: "aborted-run",
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === "token-delta") controller.abort();
      },
    });
    expect(result.status).toBe("cancelled");
    const record = await store.get("aborted-run");
    expect(record).toMatchObject({ status: "cancelled", error: { code: result.error!.code } });
    expect((await store.events("aborted-run")).at(-1)!.event.type).toBe("run-end");
  });

  it("records nothing with record: false", async () => {
    const result = await runtime.run("quiet", { graph: echoGraph, runId: "not-recorded", record: false });
    expect(result.output).toBe("QUIET");
    expect(await store.get("not-recorded")).toBeUndefined();
  });

  it("stores no verdict of a run with record: false, and stores those of the others", async () => {
    const verdictDir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-runtime-verdicts-"));
    const gated = defineGraph({
      id: "gated",
      version: 1,
      entry: "begin",
      exits: ["end"],
      nodes: [
        { id: "begin", kind: "entry" },
        { id: "answer", kind: "transform", config: { set: { output: "{{ input }} is a fine question." } } },
        { id: "gate", kind: "gate", config: { pass: "end", judge: { enabled: false } } },
        { id: "end", kind: "exit" },
      ],
      edges: [
        { from: "begin", to: "answer" },
        { from: "answer", to: "gate" },
      ],
    });
    const withVerdicts = await createRuntime({
      cwd: verdictDir,
      env: {},
      runStore: false,
      memoryStore: false,
      precedentIndex: false,
      flags: { ollamaHost: "http://127.0.0.1:9" },
      probeTimeoutMs: 300,
    });
    try {
      await withVerdicts.run("Why is the sky blue?", { graph: gated, record: false });
      await withVerdicts.run("Why is grass green?", { graph: gated });
      const stored = withVerdicts.verdictStore()!.list();
      expect(stored.map((verdict) => verdict.query)).toEqual(["Why is grass green?"]);
    } finally {
      await withVerdicts.close();
      await rm(verdictDir, { recursive: true, force: true });
    }
  });

  it("warns once and keeps running when the run store cannot be opened", async () => {
    const blocker = path.join(dir, "a-file");
    await writeFile(blocker, "not a folder");
    const seen: string[] = [];
    const broken = await createRuntime({
      cwd: dir,
      env: {},
      verdictStore: false,
      runStore: path.join(blocker, "runs.db"),
      onWarning: (message) => seen.push(message),
    });
    try {
      for (const input of ["one", "two"]) expect((await broken.run(input, { graph: echoGraph })).status).toBe("ok");
      expect(broken.runStore()).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/runs are not recorded/);
      expect(seen[0]).toContain(blocker);
    } finally {
      await broken.close();
    }
  });

  it("warns once and keeps running when writes to the store fail", async () => {
    const seen: string[] = [];
    const failing = await createRuntime({ cwd: dir, env: {}, verdictStore: false, runStore: "failing/runs.db", onWarning: (message) => seen.push(message) });
    try {
      await failing.runStore()!.close();
      for (const input of ["one", "two"]) expect((await failing.run(input, { graph: echoGraph })).status).toBe("ok");
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/not recorded/);
    } finally {
      await failing.close();
    }
  });
});
