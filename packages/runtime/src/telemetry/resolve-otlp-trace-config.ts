/** Where and how OTLP/HTTP trace data is sent, resolved from options and the environment. */
export interface OtlpTraceConfig {
  /** The full traces URL, e.g. `http://localhost:4318/v1/traces`. */
  url: string;
  /** Headers sent with every export request. */
  headers: Record<string, string>;
  /** The `service.name` resource attribute. */
  serviceName: string;
}

/** Inputs of {@link resolveOtlpTraceConfig}. */
export interface ResolveOtlpTraceConfigOptions {
  /** The full traces URL, used as is. Default: from the environment. */
  endpoint?: string;
  /** Headers added to (and overriding) the ones from the environment. */
  headers?: Record<string, string>;
  /** Default: `OTEL_SERVICE_NAME`, else `tinyllm`. */
  serviceName?: string;
  /** The environment. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** The `service.name` used when neither the options nor `OTEL_SERVICE_NAME` give one. */
export const defaultOtelServiceName = "tinyllm";

/**
 * Resolves the OTLP/HTTP trace export settings the way the OpenTelemetry specification reads
 * them: `endpoint` wins; else `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as is; else
 * `OTEL_EXPORTER_OTLP_ENDPOINT` gets `/v1/traces` appended. Headers come from
 * `OTEL_EXPORTER_OTLP_HEADERS`, then `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, then `headers`
 * (`key=value` pairs separated by commas, values percent-decoded). Returns `undefined` when no
 * endpoint is configured or `OTEL_SDK_DISABLED` is `true`. Throws a `TypeError` on an endpoint
 * that is not an http(s) URL.
 */
export function resolveOtlpTraceConfig({ endpoint, headers, serviceName, env = process.env }: ResolveOtlpTraceConfigOptions = {}): OtlpTraceConfig | undefined {
  if (nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === "true") return undefined;
  const url = nonEmpty(endpoint) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? appendTracesPath(nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT));
  if (url === undefined) return undefined;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== "http:" && parsed?.protocol !== "https:") throw new TypeError(`Not an http(s) OTLP endpoint: ${JSON.stringify(url)}`);
  return {
    url,
    headers: { ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS), ...headers },
    serviceName: nonEmpty(serviceName) ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? defaultOtelServiceName,
  };
}

/** Parses `key1=value1,key2=value2` (W3C baggage style, values percent-encoded). Bad entries are skipped. */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (text ?? "").split(",")) {
    const at = entry.indexOf("=");
    if (at <= 0) continue;
    const key = entry.slice(0, at).trim();
    if (key === "") continue;
    headers[key] = decode(entry.slice(at + 1).trim());
  }
  return headers;
}

function appendTracesPath(base: string | undefined): string | undefined {
  if (base === undefined) return undefined;
  return base.endsWith("/") ? `${base}v1/traces` : `${base}/v1/traces`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === "" ? undefined : trimmed;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
