/**
 * The behaviour every {@link RunStore} backend shares, as one suite each backend passes through
 * the interface: begin, numbered events, finish, get, list with its filters, conflicts and
 * unknown runs, values JSON cannot hold, huge values, interleaved runs, `markInterrupted` and
 * `close`. Test-only.
 *
 * @module
 */
import type { RunEvent, RunFinishInput, RunStore, TraceJSON } from "@tinyllm/core";
import { captureError } from "@tinyllm/models/testing";
import { afterEach, describe, expect, it } from "vitest";

/** A `token-delta` event of run `runId`, its text naming `n`. */
const tokenEvent = (runId: string, n: number): RunEvent => ({ type: "token-delta", runId, timeMs: n, nodeId: "writer", text: `t${n}` });

const traceOf = (runId: string): TraceJSON => ({
  version: 1,
  runId,
  graphId: "g",
  startedAt: new Date(0).toISOString(),
  spans: [
    { id: "s1", kind: "run", name: "g", startMs: 0, endMs: 5, durationMs: 5, status: "ok" },
    { id: "s2", parentId: "s1", kind: "model", name: "m", startMs: 1, endMs: 4, durationMs: 3, status: "ok", tokens: { input: 7, output: 3 } },
  ],
});

const finishOf = (runId: string, overrides: Partial<RunFinishInput> = {}): RunFinishInput => ({
  status: "ok",
  output: "4",
  trace: traceOf(runId),
  route: "math",
  verdict: { pass: true, score: 1, decidedBy: "math.calculator" },
  tokens: { input: 7, output: 3 },
  endedAtMs: 1_700_000_000_500,
  durationMs: 500,
  ...overrides,
});

/**
 * Registers the shared run store suite for one backend. `open` gives a new, empty store for each
 * test; the suite closes it afterwards.
 *
 * @example
 * ```ts
 * runStoreConformance("SQLite", async () => openRunStore({ path: ":memory:" }));
 * ```
 */
export function runStoreConformance(name: string, open: () => Promise<RunStore>): void {
  describe(`${name} meets the run store contract`, () => {
    const opened: RunStore[] = [];
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((store) => store.close()));
    });
    const fresh = async (): Promise<RunStore> => {
      const store = await open();
      opened.push(store);
      return store;
    };
    const begin = (store: RunStore, id: string, more: { startedAtMs?: number; graphId?: string; input?: unknown; source?: string } = {}) =>
      store.begin({
        id,
        graphId: more.graphId ?? "g",
        input: more.input ?? "What is 2+2?",
        startedAtMs: more.startedAtMs ?? 1_700_000_000_000,
        ...(more.source ? { source: more.source } : {}),
      });

    it("records a run as running, with what it started with and no trace yet", async () => {
      const store = await fresh();
      await store.begin({
        id: "r1",
        graphId: "g",
        graphVersion: "1.2",
        input: { query: "hi" },
        source: "cli",
        key: "anonymous",
        startedAtMs: 1_700_000_000_000,
      });
      const record = await store.get("r1");
      expect(record).toEqual({
        id: "r1",
        graphId: "g",
        graphVersion: "1.2",
        source: "cli",
        key: "anonymous",
        status: "running",
        input: { query: "hi" },
        startedAtMs: 1_700_000_000_000,
        eventCount: 0,
      });
    });

    it("numbers a run's events from 1 across batches and reads them after a sequence number, with a limit", async () => {
      const store = await fresh();
      await begin(store, "r1");
      await store.appendEvents("r1", [tokenEvent("r1", 1), tokenEvent("r1", 2)]);
      await store.appendEvents("r1", []);
      await store.appendEvents("r1", [tokenEvent("r1", 3)]);
      const all = await store.events("r1");
      expect(all.map((item) => item.seq)).toEqual([1, 2, 3]);
      expect(all.map((item) => (item.event as { text: string }).text)).toEqual(["t1", "t2", "t3"]);
      expect(all[0]!.event).toEqual(tokenEvent("r1", 1));
      expect((await store.events("r1", { afterSeq: 1 })).map((item) => item.seq)).toEqual([2, 3]);
      expect((await store.events("r1", { afterSeq: 1, limit: 1 })).map((item) => item.seq)).toEqual([2]);
      expect(await store.events("r1", { afterSeq: 3 })).toEqual([]);
      expect((await store.get("r1"))!.eventCount).toBe(3);
    });

    it("records how a run ended: status, output, trace, route, verdict, tokens and times", async () => {
      const store = await fresh();
      await begin(store, "r1");
      await store.finish("r1", finishOf("r1"));
      expect(await store.get("r1")).toMatchObject({
        status: "ok",
        output: "4",
        trace: traceOf("r1"),
        route: "math",
        verdict: { pass: true, score: 1, decidedBy: "math.calculator" },
        tokens: { input: 7, output: 3 },
        endedAtMs: 1_700_000_000_500,
        durationMs: 500,
      });
      await begin(store, "r2");
      await store.finish("r2", {
        status: "failed",
        error: { code: "NODE_FAILED", message: "boom", nodeId: "writer" },
        trace: traceOf("r2"),
        endedAtMs: 1_700_000_000_100,
        durationMs: 100,
      });
      const failed = await store.get("r2");
      expect(failed).toMatchObject({ status: "failed", error: { code: "NODE_FAILED", message: "boom", nodeId: "writer" } });
      expect(failed).not.toHaveProperty("verdict");
      expect(failed).not.toHaveProperty("output");
    });

    it("says undefined and no events for a run it does not have", async () => {
      const store = await fresh();
      expect(await store.get("nope")).toBeUndefined();
      expect(await store.events("nope")).toEqual([]);
    });

    it("refuses to begin a run twice, to write to an unknown run, and to write to a run that ended", async () => {
      const store = await fresh();
      await begin(store, "r1");
      expect((await captureError(begin(store, "r1"))).code).toBe("RUN_STORE_CONFLICT");
      expect((await captureError(store.appendEvents("nope", [tokenEvent("nope", 1)]))).code).toBe("RUN_NOT_FOUND");
      expect((await captureError(store.finish("nope", finishOf("nope")))).code).toBe("RUN_NOT_FOUND");
      await store.finish("r1", finishOf("r1"));
      expect((await captureError(store.finish("r1", finishOf("r1", { status: "failed" })))).code).toBe("RUN_STORE_CONFLICT");
      expect((await captureError(store.appendEvents("r1", [tokenEvent("r1", 1)]))).code).toBe("RUN_STORE_CONFLICT");
      expect((await store.get("r1"))!.status).toBe("ok");
    });

    it("refuses bad arguments with INVALID_ARGUMENT naming the field", async () => {
      const store = await fresh();
      const noGraph = await captureError(store.begin({ id: "r1", input: "x", startedAtMs: 1 } as never));
      expect(noGraph.code).toBe("INVALID_ARGUMENT");
      expect(noGraph.message).toContain("graphId");
      expect((await captureError(store.begin({ id: "", graphId: "g", input: "x", startedAtMs: 1 }))).code).toBe("INVALID_ARGUMENT");
      expect((await captureError(store.list({ limit: 1001 }))).code).toBe("INVALID_ARGUMENT");
      expect((await captureError(store.list({ limit: 0 }))).code).toBe("INVALID_ARGUMENT");
      expect((await captureError(store.events("r1", { afterSeq: -1 }))).code).toBe("INVALID_ARGUMENT");
      await begin(store, "r1");
      expect((await captureError(store.finish("r1", { ...finishOf("r1"), status: "running" } as never))).code).toBe("INVALID_ARGUMENT");
    });

    it("lists summaries newest first, with limit, beforeMs, status and graphId", async () => {
      const store = await fresh();
      for (let i = 1; i <= 5; i++) await begin(store, `r${i}`, { startedAtMs: 1000 * i, graphId: i % 2 ? "odd" : "even", source: "cli" });
      await store.finish("r2", finishOf("r2", { durationMs: 42 }));
      expect((await store.list()).map((run) => run.id)).toEqual(["r5", "r4", "r3", "r2", "r1"]);
      expect((await store.list({ limit: 2 })).map((run) => run.id)).toEqual(["r5", "r4"]);
      expect((await store.list({ beforeMs: 4000 })).map((run) => run.id)).toEqual(["r3", "r2", "r1"]);
      expect((await store.list({ status: "ok" })).map((run) => run.id)).toEqual(["r2"]);
      expect((await store.list({ status: "running", graphId: "odd" })).map((run) => run.id)).toEqual(["r5", "r3", "r1"]);
      const [r2] = await store.list({ status: "ok" });
      expect(r2).toEqual({
        id: "r2",
        graphId: "even",
        source: "cli",
        status: "ok",
        startedAtMs: 2000,
        durationMs: 42,
        route: "math",
        verdictPass: true,
        tokens: { input: 7, output: 3 },
        inputPreview: "What is 2+2?",
      });
      const [r5] = await store.list({ limit: 1 });
      expect(r5).toMatchObject({ id: "r5", status: "running", verdictPass: null });
      expect(r5).not.toHaveProperty("durationMs");
    });

    it("keeps runs whose values JSON cannot hold (bigints, cycles), with placeholders", async () => {
      const store = await fresh();
      const cyclic: Record<string, unknown> = { n: 10n };
      cyclic["self"] = cyclic;
      await store.begin({ id: "r1", graphId: "g", input: cyclic, startedAtMs: 1 });
      await store.appendEvents("r1", [{ type: "tool-call", runId: "r1", timeMs: 1, nodeId: "n", callId: "c", toolName: "t", input: cyclic }]);
      await store.finish("r1", finishOf("r1", { output: cyclic }));
      const record = await store.get("r1");
      expect(record!.input).toEqual({ n: "10", self: "[circular]" });
      expect(record!.output).toEqual({ n: "10", self: "[circular]" });
      const [event] = await store.events("r1");
      expect((event!.event as { input: unknown }).input).toEqual({ n: "10", self: "[circular]" });
      expect((await store.list())[0]!.inputPreview).toContain('"n":"10"');
    });

    it("keeps a run with a huge input, capping what it stores and previewing 200 characters on one line", async () => {
      const store = await fresh();
      const huge = `line one\n\n   line two ${"x".repeat(3_000_000)}`;
      await store.begin({ id: "r1", graphId: "g", input: huge, startedAtMs: 1 });
      const [summary] = await store.list();
      expect(summary!.inputPreview.length).toBeLessThanOrEqual(200);
      expect(summary!.inputPreview.startsWith("line one line two xxx")).toBe(true);
      const record = await store.get("r1");
      expect(JSON.stringify(record!.input).length).toBeLessThan(huge.length);
      await store.appendEvents("r1", [{ type: "token-delta", runId: "r1", timeMs: 1, nodeId: "writer", text: huge }]);
      const [event] = await store.events("r1");
      expect(event!.event).toMatchObject({ type: "token-delta", runId: "r1", nodeId: "writer" });
      await store.finish("r1", finishOf("r1", { output: huge }));
      expect((await store.get("r1"))!.status).toBe("ok");
    });

    it("numbers the events of interleaved runs each on their own", async () => {
      const store = await fresh();
      await Promise.all(["a", "b", "c"].map((id) => begin(store, id)));
      for (let batch = 0; batch < 5; batch++) {
        await Promise.all(["a", "b", "c"].map((id) => store.appendEvents(id, [tokenEvent(id, batch * 2 + 1), tokenEvent(id, batch * 2 + 2)])));
      }
      for (const id of ["a", "b", "c"]) {
        const events = await store.events(id);
        expect(events.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(events.map((item) => (item.event as { text: string }).text)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i + 1}`));
        expect(events.every((item) => item.event.runId === id)).toBe(true);
      }
    });

    it("leaves running the runs begun through this store when marking interrupted ones", async () => {
      const store = await fresh();
      await begin(store, "live");
      expect(await store.markInterrupted()).toBe(0);
      expect((await store.get("live"))!.status).toBe("running");
    });

    it("ignores a second close and refuses other calls after close", async () => {
      const store = await fresh();
      await begin(store, "r1");
      await store.close();
      await store.close();
      for (const call of [() => store.get("r1"), () => store.list(), () => store.appendEvents("r1", []), () => store.markInterrupted()]) {
        expect((await captureError(call())).code).toBe("RUN_STORE_FAILED");
      }
    });
  });
}
