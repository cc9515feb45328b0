import type { RunResult } from "@tinyllm/core";
import { emitRunSpans, type ExportRunOptions } from "./emit-run-spans";
import { maxStringAttributeChars } from "./otel-span-attributes";
import { ReportingSpanExporter } from "./reporting-span-exporter";
import type { OtlpTraceConfig } from "./resolve-otlp-trace-config";

/** Settings of {@link startOtelPipeline}. */
export interface OtelPipelineOptions {
  config: OtlpTraceConfig;
  tracerName: string;
  timeoutMs: number;
  maxQueueSize: number;
  scheduledDelayMs: number;
  onSuccess: () => void;
  onFailure: (error: unknown) => void;
}

/** The OpenTelemetry SDK objects behind one exporter. */
export interface OtelPipeline {
  /** Records a run's spans; they are queued for export. Throws on a malformed result. */
  emit(result: RunResult, options: ExportRunOptions): void;
  /** Exports what is queued and waits for the exports in flight. Rejects when an export failed. */
  forceFlush(): Promise<void>;
  /** Flushes and releases the SDK. */
  shutdown(): Promise<void>;
}

/**
 * Builds the SDK pipeline: tracer → batch processor (bounded queue) → OTLP/HTTP JSON exporter.
 * The OpenTelemetry packages are imported here, on demand, so importing the runtime (ESM or
 * CommonJS) does not load them.
 */
export async function startOtelPipeline({
  config,
  tracerName,
  timeoutMs,
  maxQueueSize,
  scheduledDelayMs,
  onSuccess,
  onFailure,
}: OtelPipelineOptions): Promise<OtelPipeline> {
  const [api, { OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, TracerProvider }] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace"),
  ]);
  const exporter = new ReportingSpanExporter(
    new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: timeoutMs }),
    onSuccess,
    onFailure,
  );
  const processor = new BatchSpanProcessor({
    exporter,
    maxQueueSize,
    maxExportBatchSize: Math.min(512, maxQueueSize),
    scheduledDelayMillis: scheduledDelayMs,
    exportTimeoutMillis: timeoutMs + 1000,
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName }),
    spanProcessors: [processor],
    spanLimits: { attributeValueLengthLimit: maxStringAttributeChars },
  });
  const tracer = provider.getTracer(tracerName);
  return {
    emit: (result, options) => emitRunSpans(api, tracer, result, options),
    async forceFlush() {
      try {
        await processor.forceFlush();
      } finally {
        await exporter.settled();
      }
    },
    async shutdown() {
      try {
        await processor.forceFlush();
      } finally {
        await exporter.settled();
        await provider.shutdown();
      }
    },
  };
}
