import { TinyLLMError, type RunEvent, type RunResult } from "@tinyllm/core";
import type { LoadedGraph, RunSampling, Runtime } from "@tinyllm/runtime";
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
  readonly events: NumberedEvent[];
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
  /** Most finished runs kept in memory (the run store keeps them all). Default 200. */
  keepFinished?: number;
  /** Most tokens a client may ask one model call to write; larger asks are cut to it. */
  maxTokensPerCall?: number;
  /** Called when a run's `afterRun` work fails (logging). */
  onAfterRunError?: (error: unknown) => void;
  /** Called when a run starts and ends (metrics). */
  onRunEnd?: (run: LiveRun, result: RunResult) => void;
}

/** `run_` and 32 hex digits: a random UUID without its dashes (sliced out, cheaper than a replace). */
const newRunId = () => {
  const uuid = crypto.randomUUID();
  return `run_${uuid.slice(0, 8)}${uuid.slice(9, 13)}${uuid.slice(14, 18)}${uuid.slice(19, 23)}${uuid.slice(24)}`;
};

/** Starts runs on the runtime, numbers their events, fans them out to subscribers and keeps recent ones. */
export class RunHub {
  private readonly live = new Map<string, LiveRun>();
  private readonly finished = new Map<string, LiveRun>();
  private readonly controllers = new Map<string, AbortController>();
  private closing = false;
  constructor(private readonly options: RunHubOptions) {}

  /** Runs in progress. */
  get running(): number {
    return this.live.size;
  }

  /** A run by id, running or recently finished. */
  get(id: string): LiveRun | undefined {
    return this.live.get(id) ?? this.finished.get(id);
  }

  /** Runs in memory, newest first. */
  recent(): LiveRun[] {
    return [...this.live.values(), ...this.finished.values()].sort((a, b) => b.startedAtMs - a.startedAtMs);
  }

  /**
   * Waits for a slot for the key, then starts the run. Throws `SERVER_BUSY` (429) when the key's
   * queue is full, `SERVER_QUEUE_TIMEOUT` (503) after waiting too long, `SERVER_SHUTTING_DOWN` (503).
   */
  async start(options: StartRunOptions): Promise<LiveRun> {
    if (this.closing) throw serverError("SERVER_SHUTTING_DOWN", "the server is shutting down", "try again on another server or after the restart", 5);
    const release = await this.slot(options.key, options.abortSignal ?? options.waitSignal);
    if (this.closing) {
      release();
      throw serverError("SERVER_SHUTTING_DOWN", "the server is shutting down", "try again on another server or after the restart", 5);
    }
    const id = newRunId();
    const controller = new AbortController();
    const onClientAbort = () => {
      run.cancelledBy ??= "client";
      controller.abort(options.abortSignal?.reason);
    };
    const events: NumberedEvent[] = [];
    const subscribers = new Set<{ onEvent: (item: NumberedEvent) => void; onEnd: () => void }>();
    let ended = false;
    const run: LiveRun = {
      id,
      graphId: options.graph.graph.id,
      source: options.source,
      startedAtMs: Date.now(),
      startedAtPerfMs: performance.now(),
      status: "running",
      events,
      subscribe(afterSeq, onEvent, onEnd) {
        for (const item of events) if (item.seq > afterSeq) onEvent(item);
        if (ended) {
          onEnd();
          return () => undefined;
        }
        const subscriber = { onEvent, onEnd };
        subscribers.add(subscriber);
        return () => subscribers.delete(subscriber);
      },
      cancel: (reason = "the run was cancelled", by = "request") => {
        run.cancelledBy ??= by;
        controller.abort(new TinyLLMError({ code: "RUN_CANCELLED", message: reason }));
      },
      result: undefined as unknown as Promise<RunResult>,
    };
    if (options.abortSignal?.aborted) onClientAbort();
    else options.abortSignal?.addEventListener("abort", onClientAbort, { once: true });
    this.live.set(id, run);
    this.controllers.set(id, controller);
    const onEvent = (event: RunEvent) => {
      const item = { seq: events.length + 1, event };
      events.push(item);
      for (const subscriber of subscribers) subscriber.onEvent(item);
    };
    const result = this.options.runtime
      .run(options.input, {
        graph: options.graph,
        runId: id,
        source: options.source,
        abortSignal: controller.signal,
        onEvent,
        ...(options.state ? { state: options.state } : {}),
        ...(options.sampling ? { sampling: this.capped(options.sampling) } : {}),
        ...(options.models ? { models: options.models } : {}),
        ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      })
      .then(
        (value) => value,
        (error: unknown): RunResult => failedResult(id, options.graph.graph.id, error),
      )
      .then(async (value) => {
        if (options.afterRun) await options.afterRun(value).catch((error: unknown) => this.options.onAfterRunError?.(error));
        ended = true;
        run.status = value.status;
        run.outcome = value;
        release();
        options.abortSignal?.removeEventListener("abort", onClientAbort);
        this.live.delete(id);
        this.controllers.delete(id);
        this.finished.set(id, run);
        const keep = this.options.keepFinished ?? 200;
        while (this.finished.size > keep) this.finished.delete(this.finished.keys().next().value as string);
        for (const subscriber of subscribers) subscriber.onEnd();
        subscribers.clear();
        this.options.onRunEnd?.(run, value);
        return value;
      });
    (run as { result: Promise<RunResult> }).result = result;
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
    for (const run of this.live.values()) {
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
    const pending = [...this.live.values()];
    if (pending.length === 0) return { finished: 0, cancelled: 0 };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const all = Promise.all(pending.map((run) => run.result));
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    let cancelled = 0;
    if (timedOut) {
      for (const run of this.live.values()) {
        cancelled++;
        run.cancel("the server is shutting down", "shutdown");
      }
      await all;
    }
    return { finished: pending.length - cancelled, cancelled };
  }
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
