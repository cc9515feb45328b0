import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveTestModel } from "@tinyllm/models/testing";
import { createRuntime } from "@tinyllm/runtime";
import { describe, expect, it } from "vitest";
import { startServer } from "./start-server";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: number | string } }>;
}

describe("OTLP export", () => {
  it("exports each served run's spans with the GenAI names to OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const bodies: Array<{ path: string; spans: OtlpSpan[] }> = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        bodies.push({ path: request.url ?? "", spans: body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)) });
        response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-otlp-"));
    try {
      const modelFile = (await resolveTestModel()).path;
      const runtime = await createRuntime({ cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, flags: { modelFile, provider: "llama", threads: 1 } });
      const server = await startServer({ runtime, port: 0, log: () => undefined });
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content: "Tell me a story about a cat." }] }),
      });
      expect(response.status).toBe(200);
      const runId = response.headers.get("X-TinyLLM-Run-Id");
      // Closing the server closes the runtime, which flushes the exporter.
      await server.close({ graceMs: 1_000 });
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.every((body) => body.path === "/v1/traces")).toBe(true);
      const spans = bodies.flatMap((body) => body.spans);
      const attribute = (span: OtlpSpan, key: string) => span.attributes?.find((entry) => entry.key === key)?.value;
      const root = spans.find((span) => span.name === "run multi_domain" && attribute(span, "tinyllm.run.id")?.stringValue === runId);
      expect(root).toBeDefined();
      const ofRun = spans.filter((span) => span.traceId === root!.traceId);
      const chats = ofRun.filter((span) => span.name.startsWith("chat "));
      expect(chats.length).toBeGreaterThan(0);
      expect(attribute(chats[0]!, "gen_ai.provider.name")?.stringValue).toBe("llama");
      expect(Number(attribute(chats[0]!, "gen_ai.usage.output_tokens")?.intValue)).toBeGreaterThan(0);
      const ids = new Set(ofRun.map((span) => span.spanId));
      expect(ofRun.filter((span) => span !== root).every((span) => span.parentSpanId && ids.has(span.parentSpanId))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
