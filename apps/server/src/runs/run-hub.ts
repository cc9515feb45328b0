import { randomBytes } from "node:crypto";
import { getEventListeners } from "node:events";
import { runSpans, TinyLLMError, type NodeEndEvent, type RunEvent, type RunResult, type Span } from "@tinyllm/core";
import type { LoadedGraph, RunOptions, RunSampling, Runtime } from "@tinyllm/runtime";
import type { ClientGone } from "../http/client-gone";
import { serverError } from "../http/server-error";
import type { KeyLimiter } from "./key-limiter";

/** One event of a run with its number (1, 2, …): the SSE `id` a client resumes from. */
export interface NumberedEvent {
  seq: number;
  event: RunEvent;
}

/** What {@link RunHub.start} takes. */
export interface StartRunOptions {
  graph: LoadedGraph;
  input: unknown;
  state?: Record<string, unknown>;
  sampling?: RunSampling;
  /** Models for the run by tier (a chat session's overrides). */
  models?: Readonly<Record<string, string>>;
  /** Where the run came from: `api/chat`, `v1/chat/completions`, `v1/runs`, … */
  source: string;
  /** Whose slot the run takes (the API key, or `anonymous`). */
  key: string;
  /** Cancels the run, and the wait for a slot (a client that disconnects). */
  abortSignal?: AbortSignal;
  /**
   * The request's client: when it goes away, the run is cancelled (as by `abortSignal`), and so
   * is the wait for a slot. Costs no AbortSignal unless the run has to wait.
   */
  clientGone?: ClientGone;
  /** Gives up the wait for a slot only; the run, once started, goes on (`POST /v1/runs`). */
  waitSignal?: AbortSignal;
  deadlineMs?: number;
  /** Work to finish before the run counts as ended (appending a chat turn to its session); its failure is logged, not the run's. */
  afterRun?: (result: RunResult) => Promise<unknown>;
}

/** A run the server started: its events so far, live subscribers and the result to come. */
export interface LiveRun {
  readonly id: string;
  readonly graphId: string;
  readonly source: string;
  readonly startedAtMs: number;
  /** `performance.now()` when the run started: add an event's `timeMs` to place it on the same clock. */
  readonly startedAtPerfMs: number;
  /** `running` until the result is in, then the result's status. */
  status: "running" | RunResult["status"];
  /** The run's events so far, numbered from 1. */
  readonly events: NumberedEvent[];
  /** `timeMs` of the run's first `token-delta` event, once there is one. */
  readonly firstTokenMs?: number;
  /** The result, once the run has ended. */
  outcome?: RunResult;
  /** Every event after `afterSeq`, then each new one as it comes; `onEnd` when the run has ended. Returns an unsubscribe. */
  subscribe(afterSeq: number, onEvent: (item: NumberedEvent) => void, onEnd: () => void): () => void;
  /** Cancels the run; the abort reaches the model call in flight. */
  cancel(reason?: string, by?: "request" | "shutdown"): void;
  /** Who cancelled the run, if anyone did. */
  cancelledBy?: "client" | "request" | "shutdown";
  readonly result: Promise<RunResult>;
}

/** Options of {@link RunHub}. */
export interface RunHubOptions {
  runtime: Runtime;
  limiter: KeyLimiter;
  /** Most finished runs kept in memory (the run store keeps them all). Default 50. */
  keepFinished?: number;
  /** Most tokens a client may ask one model call to write; larger asks are cut to it. */
  maxTokensPerCall?: number;
  /** Called when a run's `afterRun` work fails (logging). */
  onAfterRunError?: (error: unknown) => void;
  /** Called when a run starts and ends (metrics). */
  onRunEnd?: (run: LiveRun, result: RunResult) => void;
}

/** Random bytes for run ids, drawn 16 at a time (refilled from the system's CSPRNG). */
let idPool = Buffer.alloc(0);
let idOffset = 0;
/** `run_` and the hex digits of a run id, written in place: one flat string a run. */
const idText = Buffer.from("run_00000000000000000000000000000000", "latin1");
const hexDigits = Buffer.from("0123456789abcdef", "latin1");

/**
 * `run_` and 32 hex digits (128 random bits), as before: a random UUID's digits without its dashes.
 * Made from a pool of random bytes into one string: a UUID's text sliced and joined made about
 * ten strings a run, which the run then kept.
 */
const newRunId = (): string => {
  if (idOffset + 16 > idPool.length) {
    idPool = randomBytes(4096);
    idOffset = 0;
  }
  for (let index = 0; index < 16; index++) {
    const byte = idPool[idOffset + index] as number;
    idText[4 + index * 2] = hexDigits[byte >> 4] as number;
    idText[5 + index * 2] = hexDigits[byte & 15] as number;
  }
  idOffset += 16;
  return idText.toString("latin1");
};

/** Most idle controllers a hub keeps for reuse. */
const maxIdleControllers = 256;

interface Subscriber {
  onEvent: (item: NumberedEvent) => void;
  onEnd: () => void;
}

/**
 * A run of the hub. Its methods live on the prototype (no closures per run), it listens to the
 * client's signal as an event listener object (`handleEvent`), and once it has ended it lets go of
 * what only a running run needs (its controller, subscribers and the client's signal): finished
 * runs are kept for `/v1/runs`, so what they hold is what the garbage collector copies.
 */
class HubRun implements LiveRun {
  /**
   * The events, unnumbered: an event's number is its place plus one. Once the run has ended, a
   * node's `node-start` and `node-end` that say nothing its span does not are each replaced by
   * the span (see {@link compactNodeEvents}) and rebuilt when read.
   */
  private readonly raw: (RunEvent | Span)[] = [];
  /** Whether {@link raw} holds spans in place of events. */
  private compacted = false;
  firstTokenMs: number | undefined;
  readonly startedAtMs = Date.now();
  readonly startedAtPerfMs = performance.now();
  status: LiveRun["status"] = "running";
  outcome?: RunResult;
  cancelledBy?: "client" | "request" | "shutdown";
  result!: Promise<RunResult>;
  /** The client's signal (a disconnect cancels the run); undefined once the run has ended. */
  clientSignal: AbortSignal | undefined;
  /** The request's client (its going away cancels the run); undefined once the run has ended. */
  clientGone: ClientGone | undefined;
  private subscribers: Set<Subscriber> | undefined;
  private ended = false;
  /** Neighbours in the hub's list of running runs (undefined once the run has left it). */
  prevLive: HubRun | undefined;
  nextLive: HubRun | undefined;

  constructor(
    readonly id: string,
    readonly graphId: string,
    readonly source: string,
    /** Aborts the run; undefined once it has ended. */
    public controller: AbortController | undefined,
  ) {}

  /**
   * Numbered as they are read: only subscribers and the runs API need the numbers. Not kept: a
   * finished run would then hold its rebuilt events for good (the run list reads every run).
   */
  get events(): NumberedEvent[] {
    return this.eventList().map((event, index) => ({ seq: index + 1, event }));
  }

  /** The events as they were recorded (the compacted ones rebuilt). */
  private eventList(): RunEvent[] {
    if (!this.compacted) return this.raw as RunEvent[];
    const seen = new Set<Span>();
    return this.raw.map((entry) => {
      if (!isSpan(entry)) return entry;
      const end = seen.has(entry);
      seen.add(entry);
      return nodeEvent(entry, this.id, end);
    });
  }

  subscribe(afterSeq: number, onEvent: (item: NumberedEvent) => void, onEnd: () => void): () => void {
    const events = this.eventList();
    for (let index = Math.max(0, Math.floor(afterSeq)); index < events.length; index++) onEvent({ seq: index + 1, event: events[index] as RunEvent });
    if (this.ended) {
      onEnd();
      return () => undefined;
    }
    const subscriber = { onEvent, onEnd };
    (this.subscribers ??= new Set()).add(subscriber);
    return () => void this.subscribers?.delete(subscriber);
  }

  cancel(reason = "the run was cancelled", by: "request" | "shutdown" = "request"): void {
    this.cancelledBy ??= by;
    this.controller?.abort(new TinyLLMError({ code: "RUN_CANCELLED", message: reason }));
  }

  /** The client went away (its signal aborted, or its response closed early). */
  handleEvent(): void {
    this.cancelledBy ??= "client";
    this.controller?.abort(this.clientGone ? this.clientGone.reason : this.clientSignal?.reason);
  }

  /** Numbers an event, keeps it and hands it to the subscribers. */
  record(event: RunEvent): void {
    this.raw.push(event);
    if (this.firstTokenMs === undefined && event.type === "token-delta") this.firstTokenMs = event.timeMs;
    if (this.subscribers) {
      const item = { seq: this.raw.length, event };
      for (const subscriber of this.subscribers) subscriber.onEvent(item);
    }
  }

  /** Marks the run ended with `result` and lets go of what only a running run needs. */
  end(result: RunResult): void {
    this.ended = true;
    this.status = result.status;
    this.outcome = result;
    if (result.runId === this.id) this.compacted = compactNodeEvents(this.raw, this.id, runSpans(result));
    this.clientSignal?.removeEventListener("abort", this);
    this.clientSignal = undefined;
    this.clientGone?.unwatch(this);
    this.clientGone = undefined;
    this.controller = undefined;
  }

  /** Tells the subscribers the run has ended, and forgets them. */
  endSubscribers(): void {
    const subscribers = this.subscribers;
    this.subscribers = undefined;
    if (subscribers) for (const subscriber of subscribers) subscriber.onEnd();
  }
}

/** Starts runs on the runtime, numbers their events, fans them out to subscribers and keeps recent ones. */
export class RunHub {
  /**
   * Runs in progress, newest first, linked through the runs themselves: no map entry made and
   * dropped for every run. Finding one by id walks the runs in progress.
   */
  private liveHead: HubRun | undefined;
  private liveCount = 0;
  /**
   * The finished runs kept, oldest overwritten first: a ring of `keepFinished` slots, not a map.
   * A map's table is rebuilt as runs come and go (an allocation every few runs); finding a
   * finished run by id (`GET /v1/runs/{id}`) is a scan of at most `keepFinished` runs.
   */
  private readonly finished: (LiveRun | undefined)[] = [];
  /** The slot of {@link finished} the next finished run takes. */
  private nextFinished = 0;
  /**
   * Controllers of runs that ended without being aborted and with no listener left, for the next
   * runs: an AbortController (an EventTarget) costs more to make than the rest of starting a run.
   * A run's signal goes only to `runtime.run`, whose executor stops reading it and removes its
   * listener when the run ends, so a reused one carries nothing over.
   */
  private readonly idleControllers: AbortController[] = [];
  private closing = false;
  constructor(private readonly options: RunHubOptions) {}

  /** Runs in progress. */
  get running(): number {
    return this.liveCount;
  }

  /** A run by id, running or recently finished. */
  get(id: string): LiveRun | undefined {
    for (let run = this.liveHead; run !== undefined; run = run.nextLive) if (run.id === id) return run;
    for (const run of this.finished) if (run !== undefined && run.id === id) return run;
    return undefined;
  }

  /** Runs in memory, newest first. */
  recent(): LiveRun[] {
    const runs: LiveRun[] = this.liveRuns();
    for (const run of this.finished) if (run !== undefined) runs.push(run);
    return runs.sort((a, b) => b.startedAtMs - a.startedAtMs);
  }

  /** The runs in progress, newest first. */
  private liveRuns(): HubRun[] {
    const runs: HubRun[] = [];
    for (let run = this.liveHead; run !== undefined; run = run.nextLive) runs.push(run);
    return runs;
  }

  private addLive(run: HubRun): void {
    run.nextLive = this.liveHead;
    if (this.liveHead) this.liveHead.prevLive = run;
    this.liveHead = run;
    this.liveCount++;
  }

  private removeLive(run: HubRun): void {
    if (run.prevLive) run.prevLive.nextLive = run.nextLive;
    else if (this.liveHead === run) this.liveHead = run.nextLive;
    else return;
    if (run.nextLive) run.nextLive.prevLive = run.prevLive;
    run.prevLive = undefined;
    run.nextLive = undefined;
    this.liveCount--;
  }

  /** Keeps a finished run, in place of the oldest one when `keepFinished` are kept. */
  private keep(run: LiveRun): void {
    const keep = Math.max(0, Math.floor(this.options.keepFinished ?? 50));
    if (keep === 0) return;
    if (this.nextFinished >= keep) this.nextFinished = 0;
    this.finished[this.nextFinished++] = run;
  }

  /**
   * Waits for a slot for the key, then starts the run. Throws `SERVER_BUSY` (429) when the key's
   * queue is full, `SERVER_QUEUE_TIMEOUT` (503) after waiting too long, `SERVER_SHUTTING_DOWN` (503).
   */
  async start(options: StartRunOptions): Promise<LiveRun> {
    return this.begin(options);
  }

  /**
   * As {@link start}, but the run itself (not a promise) when a slot is free at once: the common
   * case starts the run in the caller's turn, without a promise or a microtask. Throws as
   * {@link start} rejects.
   */
  begin(options: StartRunOptions): LiveRun | Promise<LiveRun> {
    if (this.closing) throw serverError("SERVER_SHUTTING_DOWN", "the server is shutting down", "try again on another server or after the restart", 5);
    // A free slot is taken at once; only a run that has to wait goes through the queue.
    const release = this.options.limiter.tryAcquire(options.key);
    if (release) return this.launch(options, release);
    return this.slot(options.key, options.abortSignal ?? options.clientGone?.signal ?? options.waitSignal).then((waited) => {
      if (this.closing) {
        waited();
        throw serverError("SERVER_SHUTTING_DOWN", "the server is shutting down", "try again on another server or after the restart", 5);
      }
      return this.launch(options, waited);
    });
  }

  /** Starts the run in the slot `release` gives back. */
  private launch(options: StartRunOptions, release: () => void): LiveRun {
    const controller = this.idleControllers.pop() ?? new AbortController();
    const run = new HubRun(newRunId(), options.graph.graph.id, options.source, controller);
    const clientSignal = options.abortSignal;
    if (clientSignal) {
      run.clientSignal = clientSignal;
      if (clientSignal.aborted) run.handleEvent();
      else clientSignal.addEventListener("abort", run, { once: true });
    }
    const client = options.clientGone;
    if (client) {
      run.clientGone = client;
      if (client.gone) run.handleEvent();
      else client.watch(run);
    }
    this.addLive(run);
    const graphId = options.graph.graph.id;
    const ended = (value: RunResult): RunResult => {
      run.end(value);
      if (!controller.signal.aborted && this.idleControllers.length < maxIdleControllers && getEventListeners(controller.signal, "abort").length === 0)
        this.idleControllers.push(controller);
      release();
      this.removeLive(run);
      this.keep(run);
      run.endSubscribers();
      this.options.onRunEnd?.(run, value);
      return value;
    };
    const { afterRun } = options;
    const settled = (value: RunResult): RunResult | Promise<RunResult> =>
      afterRun
        ? afterRun(value)
            .catch((error: unknown) => this.options.onAfterRunError?.(error))
            .then(() => ended(value))
        : ended(value);
    // Built without spreads: each `...(x ? { x } : {})` makes an object a run.
    const runOptions: RunOptions = {
      graph: options.graph,
      runId: run.id,
      source: options.source,
      abortSignal: controller.signal,
      onEvent: (event) => run.record(event),
    };
    if (options.state) runOptions.state = options.state;
    if (options.sampling) runOptions.sampling = this.capped(options.sampling);
    if (options.models) runOptions.models = options.models;
    if (options.deadlineMs !== undefined) runOptions.deadlineMs = options.deadlineMs;
    run.result = this.options.runtime.run(options.input, runOptions).then(settled, (error: unknown) => settled(failedResult(run.id, graphId, error)));
    return run;
  }

  private capped(sampling: RunSampling): RunSampling {
    const cap = this.options.maxTokensPerCall;
    if (cap === undefined || sampling.maxTokens === undefined || sampling.maxTokens <= cap) return sampling;
    return { ...sampling, maxTokens: cap };
  }

  /** Waits for a slot for `key` (as a run does); resolves with its release. For work that is not a run, e.g. embeddings. */
  async slot(key: string, abortSignal?: AbortSignal): Promise<() => void> {
    if (this.closing) throw serverError("SERVER_SHUTTING_DOWN", "the server is shutting down", "try again on another server or after the restart", 5);
    return this.options.limiter.acquire(key, abortSignal);
  }

  /** Cancels every run in progress now (a second Ctrl-C). */
  cancelAll(): number {
    let count = 0;
    for (const run of this.liveRuns()) {
      run.cancel("the server is shutting down", "shutdown");
      count++;
    }
    return count;
  }

  /**
   * Stops taking runs, lets those in progress finish for up to `graceMs`, then cancels the rest
   * and waits for them to end (so their results are recorded).
   */
  async drain(graceMs: number): Promise<{ finished: number; cancelled: number }> {
    this.closing = true;
    const pending = this.liveRuns();
    if (pending.length === 0) return { finished: 0, cancelled: 0 };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const all = Promise.all(pending.map((run) => run.result));
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    let cancelled = 0;
    if (timedOut) {
      for (const run of this.liveRuns()) {
        cancelled++;
        run.cancel("the server is shutting down", "shutdown");
      }
      await all;
    }
    return { finished: pending.length - cancelled, cancelled };
  }
}

/** True for a span that stands for a node event in a finished run's events (events have a `type`, spans do not). */
function isSpan(entry: RunEvent | Span): entry is Span {
  return (entry as { type?: unknown }).type === undefined;
}

/** The `node-start` (first attempt) or `node-end` event a span stands for, as the executor emitted it. */
function nodeEvent(span: Span, runId: string, end: boolean): RunEvent {
  const kind = span.attributes?.kind as string;
  if (!end) return { type: "node-start", runId, timeMs: span.startMs, nodeId: span.name, kind, spanId: span.id, attempt: 1 };
  const event: NodeEndEvent = {
    type: "node-end",
    runId,
    timeMs: span.endMs as number,
    nodeId: span.name,
    kind,
    spanId: span.id,
    status: span.status as "ok" | "error",
    durationMs: span.durationMs as number,
  };
  if (span.error) event.error = { code: span.error.code, message: span.error.message };
  return event;
}

/** How many own enumerable keys `value` has (without making an array of them). */
function keyCount(value: object): number {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count;
}

/** The node span of `spanId` among `spans` (`s3` is usually the third). */
function spanOf(spans: readonly Span[], spanId: string): Span | undefined {
  const guess = spans[Number(spanId.slice(1)) - 1];
  if (guess !== undefined && guess.id === spanId) return guess;
  for (const span of spans) if (span.id === spanId) return span;
  return undefined;
}

/** True when `event` is exactly what {@link nodeEvent} makes of `span` (so it can be dropped and rebuilt). */
function sameNodeEvent(event: RunEvent, span: Span, runId: string, end: boolean): boolean {
  if (event.runId !== runId || span.kind !== "node" || typeof span.attributes?.kind !== "string") return false;
  if (event.type === "node-start")
    return (
      !end &&
      event.attempt === 1 &&
      event.timeMs === span.startMs &&
      event.nodeId === span.name &&
      event.kind === span.attributes.kind &&
      event.spanId === span.id &&
      keyCount(event) === 7
    );
  if (event.type !== "node-end" || !end) return false;
  const error = event.error;
  return (
    event.timeMs === span.endMs &&
    event.nodeId === span.name &&
    event.kind === span.attributes.kind &&
    event.spanId === span.id &&
    event.status === span.status &&
    event.durationMs === span.durationMs &&
    (error === undefined
      ? span.error === undefined && keyCount(event) === 8
      : span.error !== undefined && error.code === span.error.code && error.message === span.error.message && keyCount(error) === 2 && keyCount(event) === 9)
  );
}

/**
 * Replaces each node's `node-start` (first attempt) and its `node-end` by the node's span, when
 * both are exactly what {@link nodeEvent} rebuilds from the span: a finished run kept for
 * `/v1/runs` then holds one object the trace keeps anyway instead of two events and their
 * numbers (the objects the garbage collector copies while the run is kept). A node that was
 * retried, or events that differ from their span in any way, are kept as they are. Returns
 * whether any were replaced.
 */
function compactNodeEvents(raw: (RunEvent | Span)[], runId: string, spans: readonly Span[]): boolean {
  let compacted = false;
  for (let index = 0; index < raw.length; index++) {
    const start = raw[index] as RunEvent | Span;
    if (isSpan(start) || start.type !== "node-start") continue;
    const span = spanOf(spans, start.spanId);
    if (span === undefined || !sameNodeEvent(start, span, runId, false)) continue;
    // Its end is the next node event of the same span; another start of it first (a retry) keeps both.
    for (let next = index + 1; next < raw.length; next++) {
      const event = raw[next] as RunEvent | Span;
      if (isSpan(event) || (event.type !== "node-start" && event.type !== "node-end") || event.spanId !== start.spanId) continue;
      if (sameNodeEvent(event, span, runId, true)) {
        raw[index] = span;
        raw[next] = span;
        compacted = true;
      }
      break;
    }
  }
  return compacted;
}

function failedResult(runId: string, graphId: string, error: unknown): RunResult {
  const failure = TinyLLMError.isInstance(error) ? error : undefined;
  return {
    runId,
    graphId,
    status: "failed",
    output: undefined,
    state: {},
    error: {
      code: failure?.code ?? "SERVER_INTERNAL",
      message: failure?.message ?? "the run could not start",
      ...(failure?.hint ? { hint: failure.hint } : {}),
    },
    steps: 0,
    durationMs: 0,
    trace: { version: 1, runId, graphId, startedAt: new Date().toISOString(), spans: [] },
  };
}
