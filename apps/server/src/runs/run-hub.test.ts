import path from "node:path";
import { fileURLToPath } from "node:url";
import { builtinNodeKinds, createNodeRegistry, loadGraphFile, runGraph, type RunEvent, type RunResult } from "@tinyllm/core";
import type { LoadedGraph, RunOptions, Runtime } from "@tinyllm/runtime";
import { describe, expect, it } from "vitest";
import type { ClientGone, ClientGoneListener } from "../http/client-gone";
import { KeyLimiter } from "./key-limiter";
import { RunHub } from "./run-hub";

const graph = { graph: { id: "g" }, warnings: [] } as unknown as LoadedGraph;

/** A runtime whose runs end when told to (or when their signal aborts), recording each run's options. */
function fakeRuntime() {
  const runs: Array<{ options: RunOptions; finish: () => void }> = [];
  const runtime = {
    run(_input: unknown, options: RunOptions): Promise<RunResult> {
      return new Promise((resolve) => {
        const result = (status: RunResult["status"]): RunResult =>
          ({
            runId: options.runId,
            graphId: "g",
            status,
            output: "done",
            state: {},
            steps: 1,
            durationMs: 1,
            trace: { version: 1, spans: [] },
          }) as unknown as RunResult;
        const onAbort = () => resolve(result("cancelled"));
        options.abortSignal?.addEventListener("abort", onAbort, { once: true });
        runs.push({
          options,
          finish: () => {
            options.abortSignal?.removeEventListener("abort", onAbort);
            resolve(result("ok"));
          },
        });
      });
    },
  } as unknown as Runtime;
  return { runtime, runs };
}

function hubOf(runtime: Runtime) {
  return new RunHub({ runtime, limiter: new KeyLimiter({ maxConcurrentPerKey: 8, maxQueuedPerKey: 8, maxQueueWaitMs: 1_000 }) });
}

describe("RunHub", () => {
  it("reuses the controller of a run that ended unaborted, and a late cancel of that run reaches nothing", async () => {
    const { runtime, runs } = fakeRuntime();
    const hub = hubOf(runtime);
    const first = await hub.start({ graph, input: "a", source: "test", key: "k" });
    runs[0]!.finish();
    expect((await first.result).status).toBe("ok");
    first.cancel("too late");
    const second = await hub.start({ graph, input: "b", source: "test", key: "k" });
    const signal = runs[1]!.options.abortSignal!;
    expect(signal).toBe(runs[0]!.options.abortSignal);
    expect(signal.aborted).toBe(false);
    second.cancel("stop");
    expect((await second.result).status).toBe("cancelled");
    expect(second.cancelledBy).toBe("request");
    // An aborted controller is not reused.
    await hub.start({ graph, input: "c", source: "test", key: "k" });
    expect(runs[2]!.options.abortSignal).not.toBe(signal);
    expect(runs[2]!.options.abortSignal!.aborted).toBe(false);
    runs[2]!.finish();
  });

  it("keeps the last keepFinished finished runs, newest first, and starts a run in the caller's turn when a slot is free", async () => {
    const { runtime, runs } = fakeRuntime();
    const hub = new RunHub({ runtime, limiter: new KeyLimiter({ maxConcurrentPerKey: 8, maxQueuedPerKey: 8, maxQueueWaitMs: 1_000 }), keepFinished: 2 });
    const started = [];
    for (let index = 0; index < 3; index++) {
      const run = hub.begin({ graph, input: String(index), source: "test", key: "k" });
      expect(run).not.toBeInstanceOf(Promise);
      started.push(run as Exclude<typeof run, Promise<unknown>>);
      runs[index]!.finish();
      await started[index]!.result;
    }
    expect(hub.get(started[0]!.id)).toBeUndefined();
    expect(hub.get(started[1]!.id)).toBe(started[1]);
    expect(hub.get(started[2]!.id)).toBe(started[2]);
    const live = hub.begin({ graph, input: "live", source: "test", key: "k" }) as (typeof started)[number];
    expect(hub.get(live.id)).toBe(live);
    expect(new Set(hub.recent().map((run) => run.id))).toEqual(new Set([live.id, started[2]!.id, started[1]!.id]));
    runs[3]!.finish();
    await live.result;
    expect(hub.get(started[1]!.id)).toBeUndefined();
    expect(hub.recent().map((run) => run.id)).toHaveLength(2);
  });

  it("keeps a finished run's node events as its spans and gives back the same events, in the same order and form", async () => {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../graphs/chain.yaml");
    const loaded = await loadGraphFile(file, { registry: createNodeRegistry(builtinNodeKinds) });
    if (!loaded.ok) throw new Error("graphs/chain.yaml does not load");
    const runtime = {
      run: (input: unknown, options: RunOptions) =>
        runGraph(loaded.graph, { input, ...(options.runId ? { runId: options.runId } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}) }),
    } as unknown as Runtime;
    const hub = hubOf(runtime);
    const run = await hub.start({ graph: { graph: loaded.graph, warnings: [] } as unknown as LoadedGraph, input: " Hello There ", source: "test", key: "k" });
    const live: Array<{ seq: number; event: RunEvent }> = [];
    run.subscribe(
      0,
      (item) => live.push(item),
      () => undefined,
    );
    const result = await run.result;
    expect(result.output).toBe("<<hello there>>");
    expect(live.map((item) => item.event.type)).toEqual(["run-start", ...Array(8).fill(["node-start", "node-end"]).flat().slice(0, 8), "run-end"]);
    const raw = (run as unknown as { raw: object[] }).raw;
    expect(raw.filter((entry) => !("type" in entry))).toHaveLength(8);
    const replayed: Array<{ seq: number; event: RunEvent }> = [];
    run.subscribe(
      0,
      (item) => replayed.push(item),
      () => undefined,
    );
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(live));
    expect(JSON.stringify(run.events)).toBe(JSON.stringify(live));
    const after: Array<{ seq: number; event: RunEvent }> = [];
    run.subscribe(
      5,
      (item) => after.push(item),
      () => undefined,
    );
    expect(JSON.stringify(after)).toBe(JSON.stringify(live.slice(5)));
  });

  it("keeps no finished runs with keepFinished 0", async () => {
    const { runtime, runs } = fakeRuntime();
    const hub = new RunHub({ runtime, limiter: new KeyLimiter({ maxConcurrentPerKey: 8, maxQueuedPerKey: 8, maxQueueWaitMs: 1_000 }), keepFinished: 0 });
    const run = await hub.start({ graph, input: "a", source: "test", key: "k" });
    runs[0]!.finish();
    await run.result;
    expect(hub.get(run.id)).toBeUndefined();
    expect(hub.recent()).toEqual([]);
  });

  it("does not reuse a controller whose signal still has a listener", async () => {
    const { runtime, runs } = fakeRuntime();
    const hub = hubOf(runtime);
    await hub.start({ graph, input: "a", source: "test", key: "k" });
    runs[0]!.options.abortSignal!.addEventListener("abort", () => undefined);
    runs[0]!.finish();
    await hub.get(runs[0]!.options.runId!)!.result;
    await hub.start({ graph, input: "b", source: "test", key: "k" });
    expect(runs[1]!.options.abortSignal).not.toBe(runs[0]!.options.abortSignal);
    runs[1]!.finish();
  });

  it("cancels a run whose client goes away, and stops watching the client once the run has ended", async () => {
    const { runtime, runs } = fakeRuntime();
    const hub = hubOf(runtime);
    const watchers = new Set<ClientGoneListener>();
    const clientOf = (): ClientGone & { go(): void } => ({
      gone: false,
      reason: undefined,
      get signal(): AbortSignal {
        throw new Error("no wait, no signal");
      },
      watch: (listener) => void watchers.add(listener),
      unwatch: (listener) => void watchers.delete(listener),
      go() {
        (this as { gone: boolean }).gone = true;
        (this as { reason: unknown }).reason = new Error("gone");
        for (const listener of watchers) listener.handleEvent();
      },
    });
    const client = clientOf();
    const run = await hub.start({ graph, input: "a", source: "test", key: "k", clientGone: client });
    expect(watchers.size).toBe(1);
    client.go();
    expect((await run.result).status).toBe("cancelled");
    expect(run.cancelledBy).toBe("client");
    expect(runs[0]!.options.abortSignal!.reason).toBe(client.reason);

    watchers.clear();
    const finished = await hub.start({ graph, input: "b", source: "test", key: "k", clientGone: clientOf() });
    runs[1]!.finish();
    await finished.result;
    expect(watchers.size).toBe(0);
  });

  it("numbers events as it hands them out, from any point", async () => {
    const { runtime, runs } = fakeRuntime();
    const hub = hubOf(runtime);
    const run = await hub.start({ graph, input: "a", source: "test", key: "k" });
    const onEvent = runs[0]!.options.onEvent!;
    onEvent({ type: "run-start", runId: run.id, timeMs: 0, graphId: "g", input: "a" });
    onEvent({ type: "token-delta", runId: run.id, timeMs: 5, nodeId: "n", text: "hi" });
    const seen: number[] = [];
    run.subscribe(
      1,
      (item) => seen.push(item.seq),
      () => undefined,
    );
    onEvent({ type: "token-delta", runId: run.id, timeMs: 7, nodeId: "n", text: "!" });
    expect(seen).toEqual([2, 3]);
    expect(run.events.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(run.firstTokenMs).toBe(5);
    runs[0]!.finish();
    await run.result;
    // An ended run gives the same numbered events on every read (made afresh, not kept).
    const first = run.events;
    expect(run.events).toEqual(first);
    expect(run.events).not.toBe(first);
    expect(first.map((item) => item.seq)).toEqual([1, 2, 3]);
  });
});
