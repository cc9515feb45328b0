/**
 * Telemetry: the trace of a run exported as OpenTelemetry spans over OTLP/HTTP, with the GenAI
 * attribute names.
 *
 * @module
 */
export { createOtlpTraceExporter, otelTracerName, type OtlpTraceExporter, type OtlpTraceExporterOptions } from "./otlp-trace-exporter";
export type { ExportRunOptions } from "./emit-run-spans";
export {
  defaultOtelServiceName,
  parseOtlpHeaders,
  resolveOtlpTraceConfig,
  type OtlpTraceConfig,
  type ResolveOtlpTraceConfigOptions,
} from "./resolve-otlp-trace-config";
