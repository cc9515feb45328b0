import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

/** One sample's value from Prometheus text, by metric name and labels in order. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}{${labels}}`) || (labels === "" && candidate.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("/metrics", () => {
  it("counts requests, latency, time to first token, tokens, runs, gate verdicts by route, queue depth and loaded models", async () => {
    const ask = (content: string) =>
      fetch(`${server.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content }] }) }).then(
        (response) => response.text(),
      );
    await ask("What is 2+2?");
    await ask("Tell me a story about a cat.");
    await fetch(`${server.url}/api/ps`);
    await fetch(`${server.url}/api/nope`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get("Content-Type")).toContain("text/plain");
    const text = await response.text();
    expect(sample(text, "tinyllm_http_requests_total", 'route="/api/chat",method="POST",status="200"')).toBe(2);
    expect(sample(text, "tinyllm_http_requests_total", 'route="unmatched",method="GET",status="404"')).toBe(1);
    expect(sample(text, "tinyllm_http_request_duration_seconds_count", 'route="/api/chat"')).toBe(2);
    expect(sample(text, "tinyllm_time_to_first_token_seconds_count", 'route="/api/chat"')).toBe(2);
    expect(sample(text, "tinyllm_runs_total", 'status="ok",source="api/chat"')).toBe(2);
    expect(sample(text, "tinyllm_tokens_total", 'direction="output"')).toBeGreaterThan(0);
    expect(sample(text, "tinyllm_gate_verdicts_total", 'route="math",outcome="pass"')).toBe(1);
    expect(sample(text, "tinyllm_gate_pass_rate", 'route="math"')).toBe(1);
    expect(sample(text, "tinyllm_queue_depth", "")).toBe(0);
    expect(sample(text, "tinyllm_loaded_models", "")).toBe(1);
    expect(text).toContain("tinyllm_process_resident_memory_bytes");
  });
});
