import type { RunResult } from "../executor/run-result";
import type { Span } from "./span";
import type { Trace, TraceJSON } from "./trace";

/** Where a result made by {@link withLazyTrace} keeps its run's trace (not enumerable: not copied, not serialised). */
const recordedTrace = Symbol("recordedTrace");

type LazyResult = RunResult & { [recordedTrace]?: Trace };

/** One getter and setter for every result, so results keep one shape. */
const traceProperty: PropertyDescriptor = {
  get(this: LazyResult): TraceJSON {
    const trace = this[recordedTrace] as Trace;
    const json = trace.toJSON();
    Object.defineProperty(this, "trace", { value: json, writable: true, enumerable: true, configurable: true });
    return json;
  },
  set(this: LazyResult, value: TraceJSON) {
    Object.defineProperty(this, "trace", { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/**
 * Gives `result` its `trace` (an own, enumerable property, the last one) as the JSON copy of
 * `trace` made on first read, and kept: most results are answered and dropped without anyone
 * reading their trace, and copying every span's capped input and output costs more than the
 * rest of a model-free run's bookkeeping. `trace` must be sealed (it no longer changes).
 * @internal
 */
export function withLazyTrace(result: Omit<RunResult, "trace">, trace: Trace): RunResult {
  Object.defineProperty(result, recordedTrace, { value: trace, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(result, "trace", traceProperty);
  return result as RunResult;
}

/**
 * The spans of a run's trace, without making the trace's capped JSON copy when it has not been
 * made yet: for reading spans' kinds, names, statuses, tokens and attributes cheaply (usage,
 * finish reasons, metrics). Spans read this way may hold the live, uncapped inputs and outputs;
 * treat them as read-only, and use `result.trace` for anything that is kept or sent.
 *
 * @example
 * ```ts
 * const outputTokens = runSpans(result).reduce((sum, span) => sum + (span.tokens?.output ?? 0), 0);
 * ```
 */
export function runSpans(result: RunResult): readonly Span[] {
  const own = Object.getOwnPropertyDescriptor(result, "trace");
  const trace = (result as LazyResult)[recordedTrace];
  if (own !== undefined && own.get !== undefined && trace !== undefined) return trace.spans;
  return result.trace.spans;
}
