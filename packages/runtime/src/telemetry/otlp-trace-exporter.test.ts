import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Trace, type RunResult } from "@tinyllm/core";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";
import type { Runtime } from "../runtime";
import { createOtlpTraceExporter, resolveOtlpTraceConfig, type OtlpTraceExporter } from "./index";
import { toAttributeValue } from "./otel-span-attributes";

/** One request the loopback collector received. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: OtlpRequest;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { scope?: { name?: string }; spans: OtlpSpan[] }[] }[];
}

/** A span as received, with its attributes decoded. */
interface Got {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string } | undefined;
}

function decodeValue(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue);
  return undefined;
}

function attributesOf(list: { key: string; value: OtlpValue }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, decodeValue(value)]));
}

/** A plain OTLP/HTTP JSON receiver on loopback. */
async function startCollector(): Promise<{ server: Server; url: string; received: Received[]; spans(): Got[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST") {
        response.writeHead(405).end();
        return;
      }
      received.push({ path: request.url ?? "", headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpRequest });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    received,
    spans: () =>
      received.flatMap(({ body }) =>
        body.resourceSpans.flatMap((resourceSpans) =>
          resourceSpans.scopeSpans.flatMap((scopeSpans) =>
            scopeSpans.spans.map((span): Got => ({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              start: BigInt(span.startTimeUnixNano),
              end: BigInt(span.endTimeUnixNano),
              attributes: attributesOf(span.attributes),
              status: span.status,
            })),
          ),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The received spans of one run, by their TinyLLM span id. */
function spansOfRun(all: Got[], runId: string): Map<string, Got> {
  const root = all.find((span) => span.attributes["tinyllm.run.id"] === runId);
  expect(root, `no run span for ${runId}`).toBeDefined();
  return new Map(all.filter((span) => span.traceId === root!.traceId).map((span) => [String(span.attributes["tinyllm.span.id"]), span]));
}

const nanosAt = (result: RunResult, ms: number) => BigInt(Date.parse(result.trace.startedAt)) * 1_000_000n + BigInt(Math.round(ms * 1e6));

/** Checks the tree, the times and the names of one run against its trace. */
function expectSameTree(result: RunResult, got: Map<string, Got>): void {
  expect(got.size).toBe(result.trace.spans.length);
  expect(new Set([...got.values()].map((span) => span.traceId)).size).toBe(1);
  for (const span of result.trace.spans) {
    const exported = got.get(span.id)!;
    expect(exported, span.id).toBeDefined();
    if (span.parentId === undefined) expect(exported.parentSpanId).toBeUndefined();
    else expect(exported.parentSpanId).toBe(got.get(span.parentId)!.spanId);
    // Times are the trace's, to the microsecond.
    expect(Number(exported.start - nanosAt(result, span.startMs))).toBeLessThan(1000);
    expect(Math.abs(Number(exported.end - nanosAt(result, span.endMs!)))).toBeLessThan(1000);
    expect(exported.end >= exported.start).toBe(true);
    if (span.parentId !== undefined) {
      const parent = got.get(span.parentId)!;
      expect(exported.start >= parent.start && exported.end <= parent.end).toBe(true);
    }
    if (span.kind === "node") expect(exported.name).toBe(`node ${span.name}`);
    if (span.kind === "run") expect(exported.name).toBe(`run ${result.graphId}`);
    if (span.kind === "tool") {
      expect(exported.name).toBe(`execute_tool ${span.name}`);
      expect(exported.attributes).toMatchObject({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": span.name });
    }
    if (span.kind === "model") {
      const model = typeof span.attributes?.model === "string" ? span.attributes.model : span.name;
      expect(exported.name).toBe(`chat ${model}`);
      expect(exported.kind).toBe(3); // SPAN_KIND_CLIENT
      expect(exported.attributes).toMatchObject({
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": model,
        "gen_ai.usage.input_tokens": span.tokens!.input,
        "gen_ai.usage.output_tokens": span.tokens!.output,
      });
      if (span.attributes?.provider !== undefined) expect(exported.attributes["gen_ai.provider.name"]).toBe(span.attributes.provider);
    }
  }
}

/** A small trace built with the real recorder, no model needed. */
function syntheticRun({ fail = false }: { fail?: boolean } = {}): RunResult {
  let clock = 1000;
  const recorder = new Trace({ runId: `synthetic-${Math.random()}`, graphId: "tiny", now: () => clock });
  const run = recorder.start({ kind: "run", name: "tiny" });
  clock += 1;
  const node = run.startChild({
    kind: "node",
    name: "answer",
    attributes: { kind: "model", big: { text: "x".repeat(5000) }, labels: ["a", "b"], mixed: [1, "a"] },
  });
  const model = node.startChild({ kind: "model", name: "qwen2.5:0.5b", attributes: { provider: "ollama", tier: "T1" } });
  clock += 5.25;
  model.end(fail ? { error: { code: "MODEL_TIMEOUT", message: "the model took too long" } } : { tokens: { input: 12, output: 34 } });
  node.startChild({ kind: "tool", name: "search" }); // never ended
  clock += 1;
  node.end(fail ? { error: { code: "NODE_FAILED", message: "answer failed" } } : undefined);
  run.end();
  const trace = recorder.toJSON();
  return {
    runId: recorder.runId,
    graphId: "tiny",
    status: fail ? "failed" : "ok",
    output: "hi",
    state: { route: "general" },
    steps: 1,
    durationMs: 7.25,
    trace,
    ...(fail ? { error: { code: "NODE_FAILED", message: "answer failed", nodeId: "answer" } } : {}),
  };
}

describe("createOtlpTraceExporter with a real graph", () => {
  let dir: string;
  let runtime: Runtime;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let exporter: OtlpTraceExporter;
  const errors: Error[] = [];

  beforeAll(async () => {
    const modelFile = (await resolveTestModel()).path;
    dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-otel-"));
    runtime = await createRuntime({ cwd: dir, env: {}, flags: { modelFile, provider: "llama", threads: 1 }, verdictStore: false, runStore: false });
    collector = await startCollector();
    exporter = createOtlpTraceExporter({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_SERVICE_NAME: "otel-test", OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=s%20ecret" },
      onError: (error) => errors.push(error),
    })!;
  });

  afterAll(async () => {
    await exporter?.shutdown();
    await runtime?.close();
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("should export a calculator run as one trace with the tool span under its node", async () => {
    const result = await runtime.run("What is 2+2?");
    expect(result.status).toBe("ok");
    exporter.exportRun(result, { attributes: { conversationId: "conv-1", "enduser.id": "u-7" } });
    await exporter.forceFlush();

    expect(collector.received.length).toBeGreaterThan(0);
    const request = collector.received[0]!;
    expect(request.path).toBe("/v1/traces");
    expect(request.headers["content-type"]).toContain("application/json");
    expect(request.headers["x-api-key"]).toBe("s ecret");
    expect(attributesOf(request.body.resourceSpans[0]!.resource?.attributes)["service.name"]).toBe("otel-test");
    expect(request.body.resourceSpans[0]!.scopeSpans[0]!.scope?.name).toBe("@tinyllm/runtime");

    const got = spansOfRun(collector.spans(), result.runId);
    expectSameTree(result, got);
    const runSpan = got.get(result.trace.spans.find((span) => span.kind === "run")!.id)!;
    expect(runSpan.parentSpanId).toBeUndefined();
    expect(runSpan.attributes).toMatchObject({
      "tinyllm.graph.id": "multi_domain",
      "tinyllm.run.id": result.runId,
      "tinyllm.route": "math",
      "tinyllm.run.status": "ok",
      "gen_ai.conversation.id": "conv-1",
      "enduser.id": "u-7",
    });
    const tools = [...got.values()].filter((span) => span.name === "execute_tool calculator");
    expect(tools).toHaveLength(1);
    const router = [...got.values()].find((span) => span.name === "node router")!;
    expect(router.attributes).toMatchObject({
      "tinyllm.route": "math",
      "tinyllm.labels": ["math"],
      "tinyllm.node.id": "router",
      "tinyllm.node.kind": "router",
    });
    expect(JSON.parse(String(router.attributes["tinyllm.confidences"]))).toMatchObject({ math: 1 });
    expect(errors).toEqual([]);
  });

  it("should export model calls with the GenAI names and the trace's token counts, one trace id per run", async () => {
    const before = collector.spans().length;
    const story = await runtime.run("Tell me a story about a cat.");
    const again = await runtime.run("What is 2+2?");
    expect(story.status).toBe("ok");
    exporter.exportRun(story);
    exporter.exportRun(again);
    await exporter.forceFlush();

    const all = collector.spans();
    expect(all.length - before).toBe(story.trace.spans.length + again.trace.spans.length);
    const storySpans = spansOfRun(all, story.runId);
    const againSpans = spansOfRun(all, again.runId);
    expectSameTree(story, storySpans);
    expectSameTree(again, againSpans);
    expect([...storySpans.values()][0]!.traceId).not.toBe([...againSpans.values()][0]!.traceId);

    const models = story.trace.spans.filter((span) => span.kind === "model");
    expect(models.length).toBeGreaterThan(0);
    const generated = models.find((span) => span.attributes?.provider === "llama")!;
    expect(storySpans.get(generated.id)!.attributes).toMatchObject({ "gen_ai.provider.name": "llama", "tinyllm.tier": generated.attributes!.tier });
    const inputTokens = [...storySpans.values()].reduce((sum, span) => sum + Number(span.attributes["gen_ai.usage.input_tokens"] ?? 0), 0);
    expect(inputTokens).toBe(models.reduce((sum, span) => sum + span.tokens!.input, 0));
    expect(errors).toEqual([]);
  });
});

describe("createOtlpTraceExporter", () => {
  it("should be undefined without an endpoint, or when the SDK is disabled", () => {
    expect(createOtlpTraceExporter({ env: {} })).toBeUndefined();
    expect(createOtlpTraceExporter({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "  " } })).toBeUndefined();
    expect(createOtlpTraceExporter({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "true" } })).toBeUndefined();
  });

  it("should report an endpoint that is not an http URL and give no exporter", () => {
    const errors: Error[] = [];
    expect(createOtlpTraceExporter({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "localhost:4318" }, onError: (error) => errors.push(error) })).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("localhost:4318");
  });

  it("should resolve the endpoint, headers and service name as the OTel spec says", () => {
    expect(resolveOtlpTraceConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" } })).toEqual({
      url: "http://collector:4318/v1/traces",
      headers: {},
      serviceName: "tinyllm",
    });
    expect(resolveOtlpTraceConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/base/" } })?.url).toBe("http://collector:4318/base/v1/traces");
    expect(
      resolveOtlpTraceConfig({
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/otlp",
          OTEL_SERVICE_NAME: "svc",
        },
      }),
    ).toMatchObject({ url: "https://traces.example/otlp", serviceName: "svc" });
    expect(
      resolveOtlpTraceConfig({
        endpoint: "http://override:1/x",
        serviceName: "mine",
        headers: { b: "option" },
        env: {
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/t",
          OTEL_EXPORTER_OTLP_HEADERS: "a=1, b = 2 ,broken,=x",
          OTEL_EXPORTER_OTLP_TRACES_HEADERS: "a=3",
        },
      }),
    ).toEqual({ url: "http://override:1/x", headers: { a: "3", b: "option" }, serviceName: "mine" });
  });

  it("should use OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, keep failed spans as errors and end unfinished ones", async () => {
    const collector = await startCollector();
    const exporter = createOtlpTraceExporter({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/custom/traces` } })!;
    try {
      expect(exporter.url).toBe(`${collector.url}/custom/traces`);
      const result = syntheticRun({ fail: true });
      exporter.exportRun(result, { startedAtMs: 1_700_000_000_123.5 });
      await exporter.forceFlush();
      expect(collector.received.map((request) => request.path)).toEqual(["/custom/traces"]);
      const got = spansOfRun(collector.spans(), result.runId);
      expect(got.size).toBe(4);
      const [run, node, model, tool] = ["s1", "s2", "s3", "s4"].map((id) => got.get(id)!);
      expect(run!.start).toBe(1_700_000_000_123_500_000n);
      expect(model!.end - model!.start).toBe(5_250_000n);
      expect(model!.status).toMatchObject({ code: 2, message: "the model took too long" });
      expect(model!.attributes).toMatchObject({ "error.type": "MODEL_TIMEOUT", "gen_ai.provider.name": "ollama", "gen_ai.request.model": "qwen2.5:0.5b" });
      expect(node!.status).toMatchObject({ code: 2, message: "answer failed" });
      expect(run!.status).toMatchObject({ code: 2, message: "answer failed" });
      expect(run!.attributes).toMatchObject({ "error.type": "NODE_FAILED", "tinyllm.run.status": "failed", "tinyllm.route": "general" });
      expect(tool!.attributes).toMatchObject({ "tinyllm.span.unfinished": true, "gen_ai.tool.name": "search" });
      expect(tool!.end).toBe(run!.end);
      expect(tool!.parentSpanId).toBe(node!.spanId);
      expect(node!.attributes["tinyllm.labels"]).toEqual(["a", "b"]);
      expect(node!.attributes["tinyllm.mixed"]).toBe('[1,"a"]');
      expect(String(node!.attributes["tinyllm.big"]).length).toBeLessThanOrEqual(1024);
    } finally {
      await exporter.shutdown();
      await collector.close();
    }
  });

  it("should not slow or break a run when the collector is dead, and report that once", async () => {
    const errors: Error[] = [];
    const exporter = createOtlpTraceExporter({
      endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces`,
      timeoutMs: 2000,
      onError: (error) => errors.push(error),
    })!;
    const started = performance.now();
    for (let i = 0; i < 20; i++) exporter.exportRun(syntheticRun());
    expect(performance.now() - started).toBeLessThan(500);

    const flushing = performance.now();
    await expect(exporter.forceFlush()).resolves.toBeUndefined();
    expect(performance.now() - flushing).toBeLessThan(15_000);
    // A second failed batch in the same outage is not reported again.
    exporter.exportRun(syntheticRun());
    await expect(exporter.forceFlush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
    await expect(exporter.shutdown()).resolves.toBeUndefined();
    exporter.exportRun(syntheticRun());
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });

  it("should report a new outage after the collector came back", async () => {
    const collector = await startCollector();
    const errors: Error[] = [];
    let down = true;
    collector.server.removeAllListeners("request");
    collector.server.on("request", (request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(down ? 400 : 200, { "content-type": "application/json" }).end("{}"));
    });
    const exporter = createOtlpTraceExporter({ endpoint: `${collector.url}/v1/traces`, onError: (error) => errors.push(error) })!;
    try {
      for (const state of [true, true, false, true]) {
        down = state;
        exporter.exportRun(syntheticRun());
        await exporter.forceFlush();
      }
      expect(errors).toHaveLength(2);
    } finally {
      await exporter.shutdown();
      await collector.close();
    }
  });

  it("should survive a throwing onError and a malformed result", async () => {
    const exporter = createOtlpTraceExporter({
      endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces`,
      timeoutMs: 500,
      onError: () => {
        throw new Error("callback broke");
      },
    })!;
    expect(() => exporter.exportRun({ ...syntheticRun(), trace: { ...syntheticRun().trace, startedAt: "not a date" } })).not.toThrow();
    expect(() => exporter.exportRun(null as unknown as RunResult)).not.toThrow();
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });
});

describe("toAttributeValue", () => {
  it("should keep primitives and primitive arrays and cap everything else as JSON", () => {
    expect(toAttributeValue("a")).toBe("a");
    expect(toAttributeValue(2)).toBe(2);
    expect(toAttributeValue(Number.NaN)).toBe("NaN");
    expect(toAttributeValue(true)).toBe(true);
    expect(toAttributeValue(null)).toBeUndefined();
    expect(toAttributeValue([1, 2])).toEqual([1, 2]);
    expect(toAttributeValue({ a: 1 })).toBe('{"a":1}');
    const huge = toAttributeValue({ list: Array.from({ length: 100_000 }, (_, i) => ({ i })) }) as string;
    expect(huge.length).toBeLessThanOrEqual(1024);
    expect(huge.endsWith("…")).toBe(true);
  });
});
