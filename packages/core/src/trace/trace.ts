import type { Span, SpanEnd, SpanHandle, SpanKind, SpanTokens } from "./span";
import { capValue, capValueShared, type CopyMemo } from "./cap-value";

let isoMs = Number.NaN;
let isoText = "";

/** `new Date().toISOString()`, shared by the traces that start in the same millisecond. */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMs) {
    isoMs = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/** The default clock: one function for every trace, not a closure each. */
const performanceNow = (): number => performance.now();

/** Span ids (`s1`, `s2`, …), made once and shared by every trace: not a new string for each span of each run. */
const spanIds: string[] = [];
const spanIdCacheSize = 4096;
function spanId(n: number): string {
  if (n >= spanIdCacheSize) return `s${n}`;
  return (spanIds[n] ??= `s${n}`);
}

/**
 * A span's record: a plain object (its prototype is `Object.prototype`, as a literal's is) whose
 * fields added later (parent, input, attributes, end, output) fit in the object itself. Made by
 * a constructor so V8 sizes the object for them; a literal would keep them in a separate array,
 * one more object for every span the run and its result hold.
 */
const SpanRecord = function (this: Span, id: string, kind: SpanKind, name: string, startMs: number) {
  this.id = id;
  this.kind = kind;
  this.name = name;
  this.startMs = startMs;
  this.status = "running";
} as unknown as new (id: string, kind: SpanKind, name: string, startMs: number) => Span;
SpanRecord.prototype = Object.prototype;

/** The JSON form of a trace: one format used by every TinyLLM package, the CLI and the server. */
export interface TraceJSON {
  version: 1;
  runId: string;
  graphId: string;
  /** ISO time the run started. */
  startedAt: string;
  spans: Span[];
}

/** Options of {@link Trace}. */
export interface TraceOptions {
  runId: string;
  graphId: string;
  /** Longest serialized input or output kept per span, in characters. Default 2,000. */
  maxValueChars?: number;
  /** Clock in milliseconds; for tests. */
  now?: () => number;
}

/**
 * Records the spans of one run. Values are kept by reference while the run goes and capped
 * when the trace is serialized, so tracing costs little on the hot path.
 */
export class Trace {
  readonly runId: string;
  readonly graphId: string;
  readonly startedAt: string;
  readonly spans: Span[] = [];
  private readonly origin: number;
  private readonly now: () => number;
  private readonly maxValueChars: number;
  private counter = 0;
  private sealed = false;

  constructor({ runId, graphId, maxValueChars = 2000, now = performanceNow }: TraceOptions) {
    this.runId = runId;
    this.graphId = graphId;
    this.now = now;
    this.origin = now();
    this.startedAt = isoNow();
    this.maxValueChars = maxValueChars;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return this.now() - this.origin;
  }

  /**
   * Stops recording: spans started, ended or changed after this (a call cut short that settles
   * late) are not kept. A run seals its trace when it ends, so its result's trace is what the
   * run recorded up to its end, whenever it is read.
   */
  seal(): void {
    this.sealed = true;
  }

  /** True once {@link seal} was called. */
  get isSealed(): boolean {
    return this.sealed;
  }

  /**
   * Opens a span. Its `attributes` are copied, unless `keepAttributes` says the caller never
   * changes that object (the executor's per-node `{ kind }`, shared by every run): the trace only
   * ever replaces a span's attributes, never changes them in place.
   */
  start(options: {
    kind: SpanKind;
    name: string;
    parentId?: string;
    input?: unknown;
    attributes?: Readonly<Record<string, unknown>>;
    keepAttributes?: boolean;
  }): TimedSpanHandle {
    const span: Span = new SpanRecord(spanId(++this.counter), options.kind, options.name, this.now() - this.origin);
    if (options.parentId !== undefined) span.parentId = options.parentId;
    if (options.input !== undefined) span.input = options.input;
    if (options.attributes !== undefined)
      span.attributes = options.keepAttributes ? (options.attributes as Record<string, unknown>) : { ...options.attributes };
    if (!this.sealed) this.spans.push(span);
    return new Handle(this, span);
  }

  /** @internal */
  close(span: Span, result: SpanEnd | undefined): void {
    if (span.status !== "running" || this.sealed) return;
    const end = this.now() - this.origin;
    span.endMs = end;
    span.durationMs = end - span.startMs;
    if (result) {
      if (result.output !== undefined) span.output = result.output;
      if (result.tokens) addTokens(span, result.tokens);
      if (result.attributes) span.attributes = { ...span.attributes, ...result.attributes };
      if (result.error) span.error = result.error;
    }
    span.status = span.error ? "error" : "ok";
  }

  /**
   * Ends every span still running with `error`: when a run is cancelled or times out, the calls
   * cut short (a model still writing) show as failed, not as running forever. Returns how many.
   */
  closeOpen(error: { code: string; message: string }): number {
    let count = 0;
    for (const span of this.spans) {
      if (span.status !== "running") continue;
      this.close(span, { error });
      count++;
    }
    return count;
  }

  /** Spans whose parent is `parentId` (or the roots when undefined). */
  children(parentId: string | undefined): Span[] {
    return this.spans.filter((s) => s.parentId === parentId);
  }

  /**
   * A JSON-safe copy with inputs and outputs capped. Plain data met again in another span (the
   * state a node passed on unchanged, the conversation every state holds) is copied once and
   * shared by the spans that hold it.
   */
  toJSON(): TraceJSON {
    const cap = this.maxValueChars;
    const memo: CopyMemo = new Map();
    return {
      version: 1,
      runId: this.runId,
      graphId: this.graphId,
      startedAt: this.startedAt,
      spans: this.spans.map((span) => {
        const copy: Span = { ...span };
        if (span.input !== undefined) copy.input = capValueShared(span.input, cap, memo);
        if (span.output !== undefined) copy.output = capValueShared(span.output, cap, memo);
        if (span.attributes !== undefined) copy.attributes = capValue(span.attributes, cap * 4) as Record<string, unknown>;
        return copy;
      }),
    };
  }
}

/**
 * A {@link SpanHandle} that also reads its span's start and end times, so events about the span
 * (the executor's `node-start` and `node-end`) carry the same times as the span.
 * @internal
 */
export interface TimedSpanHandle extends SpanHandle {
  /** The span's start (ms since the run started). */
  readonly startMs: number;
  /** The span's end, once it has ended and was recorded (not after the trace was sealed). */
  readonly endMs: number | undefined;
}

class Handle implements TimedSpanHandle {
  constructor(
    private readonly trace: Trace,
    private readonly span: Span,
  ) {}
  get id(): string {
    return this.span.id;
  }
  startChild(options: { kind: SpanKind; name: string; input?: unknown; attributes?: Record<string, unknown> }): SpanHandle {
    return this.trace.start({ ...options, parentId: this.span.id });
  }
  setAttributes(attributes: Record<string, unknown>): void {
    if (this.trace.isSealed) return;
    this.span.attributes = { ...this.span.attributes, ...attributes };
  }
  addTokens(tokens: SpanTokens): void {
    if (this.trace.isSealed) return;
    addTokens(this.span, tokens);
  }
  setRetries(retries: number): void {
    if (this.trace.isSealed) return;
    this.span.retries = retries;
  }
  get durationMs(): number | undefined {
    return this.span.durationMs;
  }
  get startMs(): number {
    return this.span.startMs;
  }
  get endMs(): number | undefined {
    return this.span.endMs;
  }
  end(result?: SpanEnd): void {
    this.trace.close(this.span, result);
  }
}

function addTokens(span: Span, tokens: SpanTokens): void {
  span.tokens = {
    input: (span.tokens?.input ?? 0) + tokens.input,
    output: (span.tokens?.output ?? 0) + tokens.output,
  };
}
