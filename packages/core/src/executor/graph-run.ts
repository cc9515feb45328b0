import { CoreErrorCode } from "../error/error-codes";
import { TinyLLMError, toTinyLLMError } from "../error/tinyllm-error";
import type { NodeEmittedEvent, RunEvent } from "../events/run-event";
import type { CompiledEdge, CompiledGraph, CompiledNode } from "../graph/compiled-graph";
import type { FanoutPlan, JoinPlan, NodeContext, NodeResult, RunState, RunSubgraphOptions } from "../node-kind/node-kind";
import type { TimedSpanHandle } from "../trace/trace";
import type { Trace } from "../trace/trace";
import { raceAbort } from "../abort/race-abort";
import { isContextFree } from "../node-kind/context-free";
import { abortReason, backoffDelayMs, delay } from "./abort";
import { signalOf, type AbortState } from "./run-abort";
import type { RunError, RunStatus, SubgraphResult } from "./run-result";

/** How one path (the main run, a fan-out branch, a subgraph) ended. */
export type PathOutcome = { ok: true; state: Record<string, unknown> } | { ok: false; state: Record<string, unknown>; error: TinyLLMError };

type NodeOutcome = { ok: true; patch: Record<string, unknown> | undefined; next: string | undefined } | { ok: false; error: TinyLLMError };

/** Settings shared by every path of one run. */
export interface RunShared {
  runId: string;
  trace: Trace;
  emit: ((event: RunEvent) => void) | undefined;
  random: () => number;
  maxConcurrency: number;
}

/**
 * Executes one graph (the main graph or a subgraph) inside a run. Holds the step and visit
 * counters for that graph.
 */
export class GraphRun {
  steps = 0;
  private readonly visits: Uint32Array;

  constructor(
    readonly graph: CompiledGraph,
    readonly shared: RunShared,
    /** Prefix of node ids in events and spans, for subgraphs (`parent/`). */
    readonly prefix: string,
  ) {
    this.visits = new Uint32Array(graph.nodeList.length);
  }

  /** Walks from `startId` until an exit (or `stopAt`, for fan-out branches). */
  async runPath(
    startId: string,
    initial: Record<string, unknown>,
    signal: AbortState,
    parentSpanId: string | undefined,
    stopAt?: string,
  ): Promise<PathOutcome> {
    const { graph } = this;
    let state = initial;
    let current = startId;
    for (;;) {
      if (current === stopAt) return { ok: true, state };
      if (signal.aborted) return { ok: false, state, error: abortReason(signal, CoreErrorCode.RunCancelled) };
      const node = graph.nodes.get(current) as CompiledNode;
      if (stopAt !== undefined && node.isExit) {
        return {
          ok: false,
          state,
          error: new TinyLLMError({
            code: CoreErrorCode.NoRoute,
            message: `a fan-out branch reached exit '${node.id}' before its join '${stopAt}'`,
            nodeId: node.id,
            hint: "lead every branch to the join node",
          }),
        };
      }
      if (++this.steps > graph.limits.maxSteps) {
        return {
          ok: false,
          state,
          error: new TinyLLMError({
            code: CoreErrorCode.StepLimit,
            message: `the run took more than ${graph.limits.maxSteps} steps`,
            nodeId: node.id,
            hint: "raise limits.maxSteps, or bound the loop with maxVisits",
          }),
        };
      }
      const visits = (this.visits[node.index] = (this.visits[node.index] ?? 0) + 1);
      let outcome: NodeOutcome;
      if (visits > node.maxVisits) {
        outcome = {
          ok: false,
          error: new TinyLLMError({
            code: CoreErrorCode.VisitLimit,
            message: `node '${node.id}' was entered more than ${node.maxVisits} times`,
            nodeId: node.id,
            hint: "add an `on: error` edge from it to leave the loop, or raise maxVisits",
          }),
        };
      } else if (node.fanout) {
        outcome = await this.runFanout(node, node.fanout, state, signal, parentSpanId);
      } else {
        // A node that answers synchronously is finished without a promise or a microtask.
        const ran = this.runNode(node, state, signal, parentSpanId);
        outcome = ran instanceof Promise ? await ran : ran;
      }
      if (outcome.ok) {
        if (outcome.patch !== undefined) state = { ...state, ...outcome.patch };
        if (node.isExit) return { ok: true, state };
        const next = outcome.next ?? pickEdge(node.edges, state);
        if (next === undefined) {
          return {
            ok: false,
            state,
            error: new TinyLLMError({
              code: CoreErrorCode.NoRoute,
              message: `node '${node.id}' finished but none of its edges' conditions held`,
              nodeId: node.id,
              hint: "add an edge without a condition as the default",
            }),
          };
        }
        current = next;
        continue;
      }
      const error = outcome.error;
      if (signal.aborted) return { ok: false, state, error: abortReason(signal, CoreErrorCode.RunCancelled) };
      const errorState = { ...state, error: { code: error.code, message: error.message, nodeId: error.nodeId ?? this.prefix + node.id } };
      const fallback = node.errorEdges.length > 0 ? pickEdge(node.errorEdges, errorState) : undefined;
      if (fallback === undefined) return { ok: false, state, error };
      state = errorState;
      current = fallback;
    }
  }

  /**
   * Runs a node: at once when it has one attempt and no timeout and its handler answers
   * synchronously (the common case for transforms, branches, entries and exits), else through
   * {@link runNodeAttempts}.
   */
  private runNode(node: CompiledNode, state: RunState, signal: AbortState, parentSpanId: string | undefined): NodeOutcome | Promise<NodeOutcome> {
    if (node.timeoutMs !== undefined || (node.retry !== undefined && node.retry.maxAttempts > 1))
      return this.runNodeAttempts(node, state, signal, parentSpanId);
    const { trace, emit } = this.shared;
    const name = this.prefix + node.id;
    const span = trace.start({ kind: "node", name, parentId: parentSpanId, input: state, attributes: kindAttributes(node), keepAttributes: true });
    // A node's events carry its span's times: the trace and the events agree, and the clock is read once.
    if (emit) emit({ type: "node-start", runId: this.shared.runId, timeMs: span.startMs, nodeId: name, kind: node.kind, spanId: span.id, attempt: 1 });
    let result: NodeResult | void | Promise<NodeResult | void>;
    try {
      // A built-in handler that never reads its context gets none.
      result = node.handler(state, isContextFree(node.handler) ? (undefined as unknown as NodeContext) : this.createContext(node, name, 1, signal, span));
    } catch (thrown) {
      return this.failNode(node, name, span, nodeError(thrown, name, signal, signal), 1);
    }
    if (result !== undefined && typeof (result as Promise<unknown>).then === "function")
      return this.settleNode(node, name, span, signal, result as Promise<NodeResult | void>);
    return this.endNode(node, name, span, signal, result as NodeResult | undefined);
  }

  /** Waits for a one-attempt node's promise (raced against the run's abort), then ends the node. */
  private async settleNode(
    node: CompiledNode,
    name: string,
    span: TimedSpanHandle,
    signal: AbortState,
    pending: Promise<NodeResult | void>,
  ): Promise<NodeOutcome> {
    let value: NodeResult | void;
    try {
      value = await raceAbort(pending, signalOf(signal));
    } catch (thrown) {
      return this.failNode(node, name, span, nodeError(thrown, name, signal, signal), 1);
    }
    return this.endNode(node, name, span, signal, value as NodeResult | undefined);
  }

  /** Ends a one-attempt node with what its handler returned: ok, or failed when that is not a valid result. */
  private endNode(node: CompiledNode, name: string, span: TimedSpanHandle, signal: AbortState, value: NodeResult | undefined): NodeOutcome {
    const problem = resultProblem(node, name, value);
    if (problem) return this.failNode(node, name, span, nodeError(problem, name, signal, signal), 1);
    span.end(value?.patch !== undefined ? { output: value.patch } : undefined);
    this.emitNodeEnd(node, name, span);
    return { ok: true, patch: value?.patch, next: value?.next };
  }

  /** Runs a node with a timeout, or retries: each attempt with its own timeout, waiting between attempts. */
  private async runNodeAttempts(node: CompiledNode, state: RunState, signal: AbortState, parentSpanId: string | undefined): Promise<NodeOutcome> {
    const { trace, emit } = this.shared;
    const name = this.prefix + node.id;
    const span = trace.start({ kind: "node", name, parentId: parentSpanId, input: state, attributes: kindAttributes(node), keepAttributes: true });
    const maxAttempts = node.retry?.maxAttempts ?? 1;
    for (let attempt = 1; ; attempt++) {
      if (emit)
        emit({
          type: "node-start",
          runId: this.shared.runId,
          timeMs: attempt === 1 ? span.startMs : trace.elapsedMs(),
          nodeId: name,
          kind: node.kind,
          spanId: span.id,
          attempt,
        });
      let timer: ReturnType<typeof setTimeout> | undefined;
      let nodeSignal: AbortState = signal;
      let unlink: (() => void) | undefined;
      if (node.timeoutMs !== undefined) {
        const parent = signalOf(signal);
        const controller = new AbortController();
        const timeoutMs = node.timeoutMs;
        timer = setTimeout(
          () =>
            controller.abort(
              new TinyLLMError({
                code: CoreErrorCode.NodeTimeout,
                message: `node '${name}' did not finish within ${timeoutMs} ms`,
                nodeId: name,
                isRetryable: true,
                hint: "raise the node's timeoutMs, or make it faster",
              }),
            ),
          timeoutMs,
        );
        const onParentAbort = () => controller.abort(parent.reason);
        if (parent.aborted) controller.abort(parent.reason);
        else parent.addEventListener("abort", onParentAbort, { once: true });
        unlink = () => parent.removeEventListener("abort", onParentAbort);
        nodeSignal = controller.signal;
      }
      try {
        const context = this.createContext(node, name, attempt, nodeSignal, span);
        let result = node.handler(state, context);
        if (result !== undefined && typeof (result as Promise<unknown>).then === "function") {
          result = await raceAbort(result as Promise<NodeResult | void>, signalOf(nodeSignal));
        }
        const value = result as NodeResult | undefined;
        const problem = resultProblem(node, name, value);
        if (problem) throw problem;
        const next = value?.next;
        span.end(value?.patch !== undefined ? { output: value.patch, ...(attempt > 1 ? { attributes: { attempts: attempt } } : {}) } : undefined);
        if (attempt > 1) span.setRetries(attempt - 1);
        this.emitNodeEnd(node, name, span);
        return { ok: true, patch: value?.patch, next };
      } catch (thrown) {
        const error = nodeError(thrown, name, nodeSignal, signal);
        if (!signal.aborted && error.isRetryable && attempt < maxAttempts && node.retry) {
          const delayMs = backoffDelayMs(attempt, node.retry, this.shared.random);
          if (emit)
            emit({
              type: "node-retry",
              runId: this.shared.runId,
              timeMs: trace.elapsedMs(),
              nodeId: name,
              attempt,
              delayMs,
              error: { code: error.code, message: error.message },
            });
          try {
            await delay(delayMs, signalOf(signal));
          } catch {
            return this.failNode(node, name, span, abortReason(signal, CoreErrorCode.RunCancelled), attempt);
          }
          continue;
        }
        return this.failNode(node, name, span, error, attempt);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        unlink?.();
      }
    }
  }

  private failNode(node: CompiledNode, name: string, span: TimedSpanHandle, error: TinyLLMError, attempts: number): NodeOutcome {
    span.end({ error: { code: error.code, message: error.message } });
    if (attempts > 1) span.setRetries(attempts - 1);
    this.emitNodeEnd(node, name, span, error);
    return { ok: false, error };
  }

  /** Streams `node-end` for a node whose span has ended: `ok`, or `error` with the error. */
  private emitNodeEnd(node: CompiledNode, name: string, span: TimedSpanHandle, error?: TinyLLMError): void {
    const { trace, emit } = this.shared;
    if (!emit) return;
    emit({
      type: "node-end",
      runId: this.shared.runId,
      timeMs: span.endMs ?? trace.elapsedMs(),
      nodeId: name,
      kind: node.kind,
      spanId: span.id,
      status: error ? "error" : "ok",
      durationMs: span.durationMs ?? 0,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
    });
  }

  private createContext(node: CompiledNode, name: string, attempt: number, abortState: AbortState, span: TimedSpanHandle): NodeContext {
    const shared = this.shared;
    const context = {
      runId: shared.runId,
      nodeId: name,
      kind: node.kind,
      attempt,
      [abortStateKey]: abortState,
      span,
      emit: (event: NodeEmittedEvent) => {
        // Only well-formed events reach listeners; a node's bad event is dropped, not passed on.
        if (shared.emit && event !== null && typeof event === "object" && EMITTABLE.has((event as { type?: unknown }).type as string)) {
          shared.emit({ ...event, runId: shared.runId, timeMs: shared.trace.elapsedMs(), nodeId: name } as RunEvent);
        }
      },
      runSubgraph: (graph: CompiledGraph, options: RunSubgraphOptions) => this.runSubgraph(graph, options, name, abortState, span.id),
    };
    // An own, enumerable property (a spread context keeps it), made on first read: a node that
    // never reads it costs the run no AbortController. One shared getter, so every context has
    // the same shape.
    Object.defineProperty(context, "abortSignal", abortSignalProperty);
    return context as unknown as NodeContext;
  }

  private async runSubgraph(
    graph: CompiledGraph,
    options: RunSubgraphOptions,
    name: string,
    signal: AbortState,
    parentSpanId: string,
  ): Promise<SubgraphResult> {
    const child = new GraphRun(graph, this.shared, `${name}/`);
    const span = this.shared.trace.start({ kind: "subgraph", name: graph.id, parentId: parentSpanId, input: options.input });
    const outcome = await child.runPath(graph.entry, { ...options.state, input: options.input }, signal, span.id);
    if (outcome.ok) {
      span.end({ output: outcome.state.output });
      return { status: "ok", output: outcome.state.output, state: outcome.state };
    }
    const error = outcome.error;
    span.end({ error: { code: error.code, message: error.message } });
    return { status: statusOf(error), output: outcome.state.output, state: outcome.state, error: toRunError(error) };
  }

  private async runFanout(
    node: CompiledNode,
    config: FanoutPlan,
    state: RunState,
    abortState: AbortState,
    parentSpanId: string | undefined,
  ): Promise<NodeOutcome> {
    const { trace, emit } = this.shared;
    const signal = signalOf(abortState);
    const name = this.prefix + node.id;
    const join = this.graph.nodes.get(config.join) as CompiledNode;
    // The loader checks that a fan-out's join is a join node.
    const joinConfig = join.join as JoinPlan;
    const targets = node.edges.filter((e) => !e.condition || e.condition.evaluate(state)).map((e) => e.to);
    const span = trace.start({
      kind: "node",
      name,
      parentId: parentSpanId,
      input: state,
      attributes: { kind: node.kind, branches: targets, mode: joinConfig.mode },
    });
    if (emit) emit({ type: "node-start", runId: this.shared.runId, timeMs: span.startMs, nodeId: name, kind: node.kind, spanId: span.id, attempt: 1 });
    const limit = Math.max(
      1,
      Math.min(config.maxConcurrency ?? Number.POSITIVE_INFINITY, this.graph.limits.maxConcurrency ?? Number.POSITIVE_INFINITY, this.shared.maxConcurrency),
    );
    const stop = new AbortController();
    const onParent = () => stop.abort(signal.reason);
    if (signal.aborted) stop.abort(signal.reason);
    else signal.addEventListener("abort", onParent, { once: true });
    const results: (
      { branch: string; status: "ok" | "failed" | "cancelled"; output?: unknown; error?: RunError; patch?: Record<string, unknown> } | undefined
    )[] = targets.map(() => undefined);
    let firstFailure: TinyLLMError | undefined;
    let winner: number | undefined;
    let nextIndex = 0;
    const worker = async (): Promise<void> => {
      while (nextIndex < targets.length && !stop.signal.aborted) {
        const i = nextIndex++;
        const target = targets[i] as string;
        const outcome = await this.runPath(target, state as Record<string, unknown>, stop.signal, span.id, config.join);
        if (outcome.ok) {
          results[i] = { branch: target, status: "ok", output: outcome.state.output, patch: diff(state, outcome.state) };
          if (joinConfig.mode === "first" && winner === undefined) {
            winner = i;
            stop.abort(new TinyLLMError({ code: "BRANCH_CANCELLED", message: "another branch finished first" }));
          }
        } else {
          const cancelled = stop.signal.aborted && !signal.aborted;
          results[i] = { branch: target, status: cancelled ? "cancelled" : "failed", error: toRunError(outcome.error) };
          if (!cancelled && firstFailure === undefined) firstFailure = outcome.error;
          if (joinConfig.mode === "all" && !cancelled) stop.abort(outcome.error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
    signal.removeEventListener("abort", onParent);
    for (let i = 0; i < targets.length; i++) results[i] ??= { branch: targets[i] as string, status: "cancelled" };

    const done = results as NonNullable<(typeof results)[number]>[];
    let error: TinyLLMError | undefined;
    if (signal.aborted) error = abortReason(signal, CoreErrorCode.RunCancelled);
    else if (joinConfig.mode === "all" && firstFailure) error = firstFailure;
    else if (!done.some((r) => r.status === "ok")) {
      error =
        firstFailure ??
        new TinyLLMError({
          code: CoreErrorCode.NoRoute,
          message: `fan-out '${name}' had no branch to run`,
          nodeId: name,
          hint: "make at least one outgoing edge's condition hold",
        });
    }
    if (error) {
      const failed = new TinyLLMError({
        code: error.code,
        message: error.message,
        nodeId: error.nodeId ?? name,
        isRetryable: false,
        cause: error,
        ...(error.hint ? { hint: error.hint } : {}),
      });
      return this.failNode(node, name, span, failed, 1);
    }
    const patch: Record<string, unknown> = {};
    const chosen = winner !== undefined ? [done[winner]] : done.filter((r) => r.status === "ok");
    for (const r of chosen) Object.assign(patch, r?.patch);
    patch[joinConfig.into] = done.map(({ patch: _patch, ...r }) => r);
    span.end({ output: patch[joinConfig.into] });
    this.emitNodeEnd(node, name, span);
    return { ok: true, patch, next: config.join };
  }
}

/** Each node's span attributes (`{ kind }`), made once and shared by its spans in every run (never changed: frozen). */
const nodeAttributes = new WeakMap<CompiledNode, Readonly<Record<string, unknown>>>();
function kindAttributes(node: CompiledNode): Readonly<Record<string, unknown>> {
  let attributes = nodeAttributes.get(node);
  if (attributes === undefined) {
    attributes = Object.freeze({ kind: node.kind });
    nodeAttributes.set(node, attributes);
  }
  return attributes;
}

const EMITTABLE = new Set(["token-delta", "tool-call", "tool-result", "node-info"]);

/** Where a node's context keeps its abort state, for the shared `abortSignal` getter. */
const abortStateKey = Symbol("abortState");
const abortSignalProperty: PropertyDescriptor = {
  get(this: { [abortStateKey]: AbortState }) {
    return signalOf(this[abortStateKey]);
  },
  enumerable: true,
  configurable: true,
};

/** Why what a handler returned is not a valid result (a patch that is not an object, an edge it does not have), or undefined. */
function resultProblem(node: CompiledNode, name: string, value: NodeResult | undefined): TinyLLMError | undefined {
  if (
    value !== undefined &&
    (value === null ||
      typeof value !== "object" ||
      (value.patch !== undefined && (value.patch === null || typeof value.patch !== "object" || Array.isArray(value.patch))))
  ) {
    return new TinyLLMError({
      code: CoreErrorCode.NodeFailed,
      message: `node '${name}' returned ${describeResult(value)}; a handler returns nothing or { patch?: object, next?: string }`,
      nodeId: name,
    });
  }
  if (value?.next !== undefined && !node.edges.some((e) => e.to === value.next)) {
    return new TinyLLMError({
      code: CoreErrorCode.NoRoute,
      message: `node '${name}' chose '${value.next}', which none of its edges leads to`,
      nodeId: name,
    });
  }
  return undefined;
}

function describeResult(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `a ${typeof value}`;
  const patch = (value as { patch?: unknown }).patch;
  return `a patch that is ${patch === null ? "null" : Array.isArray(patch) ? "an array" : `a ${typeof patch}`}`;
}

/** The first edge whose condition holds (or that has none). */
export function pickEdge(edges: readonly CompiledEdge[], state: RunState): string | undefined {
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i] as CompiledEdge;
    if (edge.condition === undefined || edge.condition.evaluate(state)) return edge.to;
  }
  return undefined;
}

/** Maps an ending error to a run status. */
export function statusOf(error: TinyLLMError): RunStatus {
  if (error.code === CoreErrorCode.RunTimeout) return "timeout";
  if (error.code === CoreErrorCode.RunCancelled) return "cancelled";
  return "failed";
}

/** The JSON form of an error in a result. */
export function toRunError(error: TinyLLMError): RunError {
  return {
    code: error.code,
    message: error.message,
    ...(error.nodeId !== undefined ? { nodeId: error.nodeId } : {}),
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
  };
}

function nodeError(thrown: unknown, nodeId: string, nodeSignal: AbortState, runSignal: AbortState): TinyLLMError {
  if (runSignal.aborted) return abortReason(runSignal, CoreErrorCode.RunCancelled);
  if (nodeSignal.aborted && nodeSignal.reason === thrown) return abortReason(nodeSignal, CoreErrorCode.NodeTimeout);
  const error = toTinyLLMError(thrown, { code: CoreErrorCode.NodeFailed, nodeId });
  if (error.nodeId !== undefined) return error;
  return new TinyLLMError({
    code: error.code,
    message: error.message,
    nodeId,
    isRetryable: error.isRetryable,
    cause: error,
    ...(error.hint ? { hint: error.hint } : {}),
  });
}

function diff(base: RunState, next: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(next)) if (next[key] !== base[key]) out[key] = next[key];
  return out;
}
