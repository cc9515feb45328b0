import { randomUUID } from "node:crypto";
import { CoreErrorCode } from "../error/error-codes";
import { TinyLLMError } from "../error/tinyllm-error";
import type { RunEvent } from "../events/run-event";
import type { CompiledGraph } from "../graph/compiled-graph";
import { withLazyTrace } from "../trace/lazy-trace";
import { Trace } from "../trace/trace";
import { GraphRun, statusOf, toRunError } from "./graph-run";
import { RunAbort } from "./run-abort";
import type { RunResult } from "./run-result";

/**
 * The reason work still in flight is aborted with once its run has ended. One shared error: a
 * new one per run cost a stack trace per run, about a fifth of a model-free run's time.
 */
const runEnded = new TinyLLMError({ code: CoreErrorCode.RunCancelled, message: "the run has ended" });

/** Options of {@link runGraph} and {@link streamGraph}. */
export interface RunGraphOptions {
  /** The run's input; nodes read it as `input`. */
  input?: unknown;
  /** Initial state fields besides `input` (declare them under `state:` in the graph). */
  state?: Record<string, unknown>;
  /** Cancels the run; it then ends with status `cancelled`. */
  abortSignal?: AbortSignal;
  /** Whole-run deadline; overrides the graph's `limits.deadlineMs`. */
  deadlineMs?: number;
  /** Parallel branches at once per fan-out. Default 8. */
  maxConcurrency?: number;
  /** Called synchronously with every event. Keep it cheap. */
  onEvent?: (event: RunEvent) => void;
  /** Run id; a random UUID by default. */
  runId?: string;
  /** Longest serialized value kept per span in the trace. Default 2,000 characters. */
  maxTraceValueChars?: number;
  /** For tests only: a random source for retry jitter. @internal */
  _internal?: { random?: () => number; onCancel?: (cancel: (reason?: unknown) => void) => void };
}

/**
 * Runs a compiled graph to the end. Never throws and never hangs: it resolves with a
 * {@link RunResult} whose status is `ok`, `failed`, `timeout` or `cancelled`.
 *
 * @example
 * ```ts
 * const loaded = await loadGraphFile("graphs/chain.yaml");
 * if (loaded.ok) {
 *   const result = await runGraph(loaded.graph, { input: "hello", deadlineMs: 5_000 });
 *   console.log(result.status, result.output);
 * }
 * ```
 */
export async function runGraph(graph: CompiledGraph, options: RunGraphOptions = {}): Promise<RunResult> {
  const { input, state, abortSignal, onEvent, maxConcurrency = 8, runId = randomUUID(), maxTraceValueChars = 2000 } = options;
  const deadlineMs = options.deadlineMs ?? graph.limits.deadlineMs;
  const trace = new Trace({ runId, graphId: graph.id, maxValueChars: maxTraceValueChars });
  const emit = onEvent ? safeEmitter(onEvent) : undefined;
  // The run's abort: no controller, listener or timer until something needs a real signal.
  const abort = new RunAbort(abortSignal, deadlineMs);
  options._internal?.onCancel?.((reason) => abort.abort(reason));
  const initial = initialState(state, input);
  const rootSpan = trace.start({ kind: "run", name: graph.id, input });
  emit?.({ type: "run-start", runId, timeMs: trace.elapsedMs(), graphId: graph.id, input });
  const run = new GraphRun(graph, { runId, trace, emit, random: options._internal?.random ?? Math.random, maxConcurrency }, "");
  let result: RunResult;
  try {
    const outcome = await run.runPath(graph.entry, initial, abort, rootSpan.id);
    const error = outcome.ok ? undefined : outcome.error;
    rootSpan.end(error ? { error: { code: error.code, message: error.message } } : { output: outcome.state.output });
    trace.closeOpen(error ? { code: error.code, message: error.message } : { code: CoreErrorCode.SpanNotEnded, message: "the run ended before this span did" });
    trace.seal();
    const durationMs = rootSpan.durationMs ?? trace.elapsedMs();
    const ended: Omit<RunResult, "trace"> = error
      ? {
          runId,
          graphId: graph.id,
          status: statusOf(error),
          output: outcome.state.output,
          state: outcome.state,
          error: toRunError(error),
          steps: run.steps,
          durationMs,
        }
      : { runId, graphId: graph.id, status: "ok", output: outcome.state.output, state: outcome.state, steps: run.steps, durationMs };
    // The trace's capped copy is made when someone reads it (most never do).
    result = withLazyTrace(ended, trace);
  } catch (thrown) {
    // Only a bug in the executor itself gets here; still end with a structured result.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    rootSpan.end({ error: { code: "INTERNAL", message } });
    trace.closeOpen({ code: "INTERNAL", message });
    trace.seal();
    result = withLazyTrace(
      {
        runId,
        graphId: graph.id,
        status: "failed",
        output: undefined,
        state: initial,
        error: { code: "INTERNAL", message },
        steps: run.steps,
        durationMs: trace.elapsedMs(),
      },
      trace,
    );
  } finally {
    abort.dispose(runEnded);
  }
  emit?.({ type: "run-end", runId, timeMs: trace.elapsedMs(), result });
  return result;
}

/** A run in progress: iterate its events; `result` resolves when it ends. */
export interface RunStream extends AsyncIterable<RunEvent> {
  readonly result: Promise<RunResult>;
}

/**
 * Runs a graph and streams its events as they happen. Leaving the loop early (`break`)
 * cancels the run.
 *
 * @example
 * ```ts
 * const stream = streamGraph(graph, { input: "hi" });
 * for await (const event of stream) if (event.type === "token-delta") process.stdout.write(event.text);
 * const result = await stream.result;
 * ```
 */
export function streamGraph(graph: CompiledGraph, options: RunGraphOptions = {}): RunStream {
  const queue: RunEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  // Leaving the loop early cancels the run through runGraph's own controller (the caller's
  // signal goes to runGraph as it is): one AbortController a run, not two.
  let cancel: (reason?: unknown) => void = () => undefined;
  const result = runGraph(graph, {
    ...options,
    _internal: { ...options._internal, onCancel: (abort) => (cancel = abort) },
    onEvent: (event) => {
      options.onEvent?.(event);
      queue.push(event);
      if (event.type === "run-end") ended = true;
      wake?.();
    },
  });
  return {
    result,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          while (queue.length > 0) {
            const event = queue.shift() as RunEvent;
            yield event;
            if (event.type === "run-end") return;
          }
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        if (!ended) {
          cancel(new TinyLLMError({ code: CoreErrorCode.RunCancelled, message: "the run was cancelled: its event stream was closed early" }));
          await result;
        }
      }
    },
  };
}

/**
 * `{ ...state, input }`, made without that spread: V8 gives each object made by a spread followed
 * by a new property a hidden class of its own (several times the cost of the copy, and one more
 * object every run keeps). A state with an own `__proto__` key is spread, so that the key stays a
 * plain property.
 */
function initialState(state: Record<string, unknown> | undefined, input: unknown): Record<string, unknown> {
  if (state === undefined || state === null) return { input };
  if (Object.hasOwn(state, "__proto__")) return { ...state, input };
  const initial: Record<string, unknown> = Object.assign({}, state);
  initial.input = input;
  return initial;
}

function safeEmitter(onEvent: (event: RunEvent) => void): (event: RunEvent) => void {
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // A listener's bug must not break the run.
    }
  };
}
