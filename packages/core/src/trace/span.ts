/** What a span measures. `run` → `node` → `model` / `tool` calls; other packages may add kinds. */
export type SpanKind = "run" | "node" | "subgraph" | "model" | "tool" | (string & {});

/** Token counts recorded on a span. */
export interface SpanTokens {
  input: number;
  output: number;
}

/** One timed unit of work in a {@link Trace}. Times are milliseconds since the run started. */
export interface Span {
  id: string;
  parentId?: string;
  kind: SpanKind;
  name: string;
  startMs: number;
  endMs?: number;
  durationMs?: number;
  status: "running" | "ok" | "error";
  input?: unknown;
  output?: unknown;
  tokens?: SpanTokens;
  /** Retries taken before the final attempt. */
  retries?: number;
  error?: { code: string; message: string };
  /** Free-form facts, e.g. the route decision or the model name. */
  attributes?: Record<string, unknown>;
}

/** Fields accepted when a span ends. */
export interface SpanEnd {
  output?: unknown;
  tokens?: SpanTokens;
  error?: { code: string; message: string };
  attributes?: Record<string, unknown>;
}

/** A handle to an open span, handed to nodes so they can record model and tool calls. */
export interface SpanHandle {
  readonly id: string;
  /** Opens a child span, e.g. `{ kind: "model", name: "qwen2.5:3b" }`. */
  startChild(options: { kind: SpanKind; name: string; input?: unknown; attributes?: Record<string, unknown> }): SpanHandle;
  /** Adds attributes to the span. */
  setAttributes(attributes: Record<string, unknown>): void;
  /** Adds token counts to the span. */
  addTokens(tokens: SpanTokens): void;
  /** Records how many retries preceded the final attempt. */
  setRetries(retries: number): void;
  /** Duration once ended, else undefined. */
  readonly durationMs: number | undefined;
  /** Closes the span. A second call is ignored. */
  end(result?: SpanEnd): void;
}
