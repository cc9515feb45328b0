import type { RunResult } from "@tinyllm/core";
import type { ExportRunOptions } from "./emit-run-spans";
import { startOtelPipeline } from "./otel-pipeline";
import { resolveOtlpTraceConfig } from "./resolve-otlp-trace-config";

/** Options of {@link createOtlpTraceExporter}. */
export interface OtlpTraceExporterOptions {
  /**
   * The full OTLP/HTTP traces URL, used as is (e.g. `http://localhost:4318/v1/traces`). Default:
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`.
   */
  endpoint?: string;
  /** Headers sent with each export, over `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_TRACES_HEADERS`. */
  headers?: Record<string, string>;
  /** The `service.name` resource attribute. Default `OTEL_SERVICE_NAME`, else `tinyllm`. */
  serviceName?: string;
  /** The environment the `OTEL_*` variables are read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Longest time one export request may take, retries included. Default 10,000 ms. */
  timeoutMs?: number;
  /** Most spans kept waiting for export; spans beyond it are dropped. Default 2,048. */
  maxQueueSize?: number;
  /** How long finished spans wait to be sent in a batch. Default 2,000 ms. */
  scheduledDelayMs?: number;
  /**
   * Receives export failures (a collector that is down, a bad endpoint). Called once when exports
   * start failing and again only after one has succeeded in between; never with the same failure
   * twice. Errors are otherwise swallowed: telemetry never breaks a run.
   */
  onError?: (error: Error) => void;
}

/** Sends the traces of finished runs to an OpenTelemetry collector over OTLP/HTTP (JSON). */
export interface OtlpTraceExporter {
  /** The traces URL the spans go to. */
  readonly url: string;
  /**
   * Queues a run's trace as OpenTelemetry spans: one trace id per run, the span tree kept, times
   * from the trace, GenAI attribute names on model and tool spans. Returns at once; never throws.
   * Does nothing after {@link OtlpTraceExporter.shutdown}. See {@link ExportRunOptions}.
   */
  exportRun(result: RunResult, options?: ExportRunOptions): void;
  /** Sends everything queued so far and waits for the exports in flight. Never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes, then releases the exporter. A second call returns the same promise. Never rejects. */
  shutdown(): Promise<void>;
}

/** Name of the OpenTelemetry tracer (instrumentation scope) the spans are recorded with. */
export const otelTracerName = "@tinyllm/runtime";

/**
 * Creates an exporter that turns {@link RunResult} traces into OpenTelemetry spans and sends them
 * to an OTLP/HTTP collector with a batching, bounded queue, so a slow or dead collector costs a
 * run nothing. Returns `undefined` when no endpoint is configured (see
 * {@link OtlpTraceExporterOptions.endpoint}), when `OTEL_SDK_DISABLED=true`, or when the endpoint
 * is not an http(s) URL (reported through `onError`).
 *
 * @example
 * ```ts
 * const exporter = createOtlpTraceExporter({ onError: (error) => console.warn(error.message) });
 * const result = await runtime.run("What is 2+2?");
 * exporter?.exportRun(result, { attributes: { conversationId: "c-42" } });
 * await exporter?.shutdown();
 * ```
 */
export function createOtlpTraceExporter(options: OtlpTraceExporterOptions = {}): OtlpTraceExporter | undefined {
  const { timeoutMs = 10_000, maxQueueSize = 2048, scheduledDelayMs = 2000, onError } = options;
  let failing = false;
  const report = (error: unknown) => {
    if (failing) return;
    failing = true;
    try {
      onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // A throwing callback must not break the exporter either.
    }
  };

  let config;
  try {
    config = resolveOtlpTraceConfig(options);
  } catch (error) {
    report(error);
    return undefined;
  }
  if (config === undefined) return undefined;

  // The SDK is loaded only once an endpoint is configured: importing the runtime stays cheap.
  const pipeline = startOtelPipeline({
    config,
    tracerName: otelTracerName,
    timeoutMs,
    maxQueueSize,
    scheduledDelayMs,
    onSuccess: () => (failing = false),
    onFailure: report,
  }).catch((error: unknown) => {
    report(error);
    return undefined;
  });
  const emitting = new Set<Promise<void>>();
  const emitted = async () => {
    while (emitting.size > 0) await Promise.all([...emitting]);
  };
  let closing: Promise<void> | undefined;

  return {
    url: config.url,
    exportRun(result, runOptions) {
      if (closing) return;
      const emit = pipeline.then((loaded) => loaded?.emit(result, runOptions ?? {})).catch(report);
      emitting.add(emit);
      void emit.finally(() => emitting.delete(emit));
    },
    async forceFlush() {
      if (closing) return closing;
      await emitted();
      await (await pipeline)?.forceFlush().catch(report);
    },
    shutdown() {
      closing ??= (async () => {
        await emitted();
        await (await pipeline)?.shutdown().catch(report);
      })();
      return closing;
    },
  };
}
