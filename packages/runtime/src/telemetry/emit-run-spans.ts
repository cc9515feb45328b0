import type * as OtelApiModule from "@opentelemetry/api";
import type { Context, HrTime, Span as OtelSpan, Tracer } from "@opentelemetry/api";
import type { RunResult, Span } from "@tinyllm/core";
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID } from "./gen-ai-attributes";
import { otelAttributesOf, otelSpanNameOf, toAttributeValue } from "./otel-span-attributes";

/** Options of `OtlpTraceExporter.exportRun`. */
export interface ExportRunOptions {
  /**
   * When the run started, in milliseconds since the epoch. Default: the trace's `startedAt`
   * (millisecond precision); span times are offsets from it.
   */
  startedAtMs?: number;
  /**
   * Extra attributes of the run span, under the names given (e.g. `enduser.id`). A
   * `conversationId` entry is written as `gen_ai.conversation.id`.
   */
  attributes?: Record<string, string | number | boolean>;
}

/** The values of `@opentelemetry/api` used here (passed in: the API is loaded on demand). */
export type OtelApi = Pick<typeof OtelApiModule, "ROOT_CONTEXT" | "SpanKind" | "SpanStatusCode" | "trace">;

/** Records the spans of one run with `tracer`: parents first, the run span as the root. */
export function emitRunSpans(api: OtelApi, tracer: Tracer, result: RunResult, { startedAtMs, attributes }: ExportRunOptions): void {
  const { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } = api;
  const baseMs = startedAtMs ?? Date.parse(result.trace.startedAt);
  if (!Number.isFinite(baseMs)) throw new TypeError(`Run ${result.runId} has no valid start time`);
  const spans = result.trace.spans.length > 0 ? result.trace.spans : [syntheticRunSpan(result)];
  const byId = new Map(spans.map((span) => [span.id, span]));
  const lastEndMs = spans.reduce((last, span) => Math.max(last, span.endMs ?? span.startMs), result.durationMs);
  const runSpan = spans.find((span) => span.kind === "run" && span.parentId === undefined) ?? spans.find((span) => span.parentId === undefined) ?? spans[0];
  const created = new Map<string, OtelSpan>();
  let root: OtelSpan | undefined;

  const open = (span: Span, depth: number): OtelSpan => {
    const existing = created.get(span.id);
    if (existing) return existing;
    const parentSpan = span.parentId === undefined ? undefined : byId.get(span.parentId);
    // A missing (or cyclic) parent hangs the span under the root, so the run keeps one trace id.
    const parent = parentSpan && depth < spans.length ? open(parentSpan, depth + 1) : root;
    const again = created.get(span.id);
    if (again) return again;
    const otelSpan = startSpan(span, parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, parent));
    created.set(span.id, otelSpan);
    root ??= otelSpan;
    return otelSpan;
  };

  const startSpan = (span: Span, context: Context): OtelSpan => {
    const spanAttributes = otelAttributesOf(span);
    if (span === runSpan) Object.assign(spanAttributes, runAttributes(result, attributes));
    const otelSpan = tracer.startSpan(
      otelSpanNameOf(span),
      { kind: span.kind === "model" ? SpanKind.CLIENT : SpanKind.INTERNAL, startTime: hrTimeAt(baseMs, span.startMs), attributes: spanAttributes },
      context,
    );
    if (span.status === "error") {
      otelSpan.setStatus({ code: SpanStatusCode.ERROR, message: span.error?.message ?? "failed" });
    } else if (span === runSpan && result.status !== "ok") {
      otelSpan.setStatus({ code: SpanStatusCode.ERROR, message: result.error?.message ?? `run ${result.status}` });
      otelSpan.setAttribute(ATTR_ERROR_TYPE, result.error?.code ?? result.status);
    }
    if (span.status === "running") otelSpan.setAttribute("tinyllm.span.unfinished", true);
    return otelSpan;
  };

  if (runSpan) open(runSpan, 0);
  for (const span of spans) open(span, 0);
  for (const span of spans) created.get(span.id)?.end(hrTimeAt(baseMs, Math.max(span.startMs, span.endMs ?? lastEndMs)));
}

/** Run-level attributes of the root span. */
function runAttributes(result: RunResult, extra: ExportRunOptions["attributes"]): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {
    "tinyllm.graph.id": result.graphId,
    "tinyllm.run.id": result.runId,
    "tinyllm.run.status": result.status,
    "tinyllm.run.steps": result.steps,
  };
  const route = toAttributeValue(result.state.route);
  if (typeof route === "string" || typeof route === "number") attributes["tinyllm.route"] = route;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (key === "conversationId") attributes[ATTR_GEN_AI_CONVERSATION_ID] = String(value);
    else attributes[key] = value;
  }
  return attributes;
}

/** The span a trace without spans is exported as. */
function syntheticRunSpan(result: RunResult): Span {
  const span: Span = { id: "run", kind: "run", name: result.graphId, startMs: 0, endMs: result.durationMs, status: result.status === "ok" ? "ok" : "error" };
  if (result.error) span.error = { code: result.error.code, message: result.error.message };
  return span;
}

/** `baseMs + offsetMs` (epoch milliseconds) as an exact `[seconds, nanoseconds]` pair. */
function hrTimeAt(baseMs: number, offsetMs: number): HrTime {
  const wholeMs = Math.floor(baseMs);
  const totalNanos = Math.round((baseMs - wholeMs + offsetMs) * 1e6) + (wholeMs % 1000) * 1e6;
  const seconds = Math.floor(wholeMs / 1000) + Math.floor(totalNanos / 1e9);
  const nanos = ((totalNanos % 1e9) + 1e9) % 1e9;
  return [seconds, nanos];
}
