import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];

/** `ExportResultCode.SUCCESS` and `.FAILED` of `@opentelemetry/core`. */
const exportSucceeded = 0;
const exportFailed = 1;

/**
 * Wraps an exporter: remembers the exports in flight (so a flush can wait for the batches a
 * timer already sent) and reports failures to `onFailure` and successes to `onSuccess`.
 */
export class ReportingSpanExporter implements SpanExporter {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly inner: SpanExporter,
    private readonly onSuccess: () => void,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    this.pending.add(done);
    const finish = (result: ExportResult) => {
      this.pending.delete(done);
      settle();
      if (result.code === exportSucceeded) this.onSuccess();
      else this.onFailure(result.error ?? new Error("OTLP trace export failed"));
      resultCallback(result);
    };
    try {
      this.inner.export(spans, finish);
    } catch (error) {
      finish({ code: exportFailed, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Resolves once every export started so far has finished (never rejects). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush?.();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
