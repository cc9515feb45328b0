import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    limits: { maxBodyBytes: 64 * 1024, maxQueryChars: 1000, maxConcurrentPerKey: 1, maxQueuedPerKey: 1, maxQueueWaitMs: 300 },
    headersTimeoutMs: 1_000,
  });
});

afterAll(async () => {
  await server?.stop();
});

const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${route}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const story = { model: "multi_domain", messages: [{ role: "user", content: "Tell me a long story about a dragon." }], stream: false };

describe("limits and bad requests", () => {
  it("refuses a 50 MB body with 413 and stays healthy", async () => {
    const response = await post("/api/chat", "x".repeat(50 * 1024 * 1024));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toContain("larger than");
    const openai = await post("/v1/chat/completions", { ...story, messages: [{ role: "user", content: "y".repeat(100 * 1024) }] });
    expect(openai.status).toBe(413);
    expect(((await openai.json()) as { error: { code: string } }).error.code).toBe("server_body_too_large");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("refuses a query longer than the cap with 413 and says what to do", async () => {
    const response = await post("/api/generate", { model: "multi_domain", prompt: "a".repeat(1001), stream: false });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/1001 characters.*at most 1000/);
  });

  it("queues one run per key beyond the slot, refuses the next with 429 and Retry-After, and times out a long wait with 503", async () => {
    const first = await post("/v1/runs", { input: "Tell me a long story about a dragon." });
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    // The slot is taken: the next waits in the queue (its one place) and gives up after 300 ms with 503.
    const waiting = post("/api/chat", story);
    // With the queue full, one more is refused at once.
    const refused = await post("/api/chat", story);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(((await refused.json()) as { error: string }).error).toContain("too many runs at once");
    const timedOut = await waiting;
    expect(timedOut.status).toBe(503);
    expect(Number(timedOut.headers.get("Retry-After"))).toBeGreaterThan(0);
    const cancelled = await fetch(`${server.url}/v1/runs/${id}`, { method: "DELETE" });
    expect(((await cancelled.json()) as { status: string }).status).toBe("cancelled");
  });

  it("ends a run at the request deadline", async () => {
    const quick = await startTestServer({ limits: { requestDeadlineMs: 50 } });
    try {
      const response = await fetch(`${quick.url}/api/chat`, { method: "POST", body: JSON.stringify(story) });
      expect(response.status).toBe(504);
      expect(((await response.json()) as { error: string }).error).toContain("deadline");
    } finally {
      await quick.stop();
    }
  });

  it("drops a client that dribbles its headers, and keeps serving others", async () => {
    const socket = net.connect({ host: "127.0.0.1", port: server.port });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write("POST /api/chat HTTP/1.1\r\nHost: x\r\n");
    const dribble = setInterval(() => socket.writable && socket.write("X"), 200);
    const reply = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
    });
    clearInterval(dribble);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("stays healthy with 1,000 connections opened at once", async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect({ host: "127.0.0.1", port: server.port }, () => resolve(socket));
            socket.once("error", reject);
          }),
      ),
    );
    try {
      const response = await fetch(`${server.url}/api/tags`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { models: unknown[] }).models).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it("gives every response a request id that the log shows, with the path escaped", async () => {
    const response = await fetch(`${server.url}/api/version`);
    const requestId = response.headers.get("X-Request-Id");
    expect(requestId).toBeTruthy();
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(server.logs.some((line) => line.includes(requestId!) && line.includes("/api/version"))).toBe(true);
    await fetch(`${server.url}/x%0Aforged%20line`);
    expect(server.logs.some((line) => line.startsWith("forged"))).toBe(false);
    expect(server.logs.some((line) => line.includes("/x\\nforged line"))).toBe(true);
  });

  it("refuses other web origins and other host names (cross-site requests, DNS rebinding)", async () => {
    // A text/plain POST needs no preflight: a page elsewhere could send it. Its Origin gives it away.
    const crossSite = await fetch(`${server.url}/v1/runs`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "text/plain" },
      body: '{"input":"hi"}',
    });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { message: string } }).error.message).toContain("--cors-origin");
    const sameOrigin = await fetch(`${server.url}/api/version`, { headers: { Origin: server.url } });
    expect(sameOrigin.status).toBe(200);
    const rebound = await new Promise<number>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port: server.port, path: "/api/tags", headers: { Host: "attacker.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end();
    });
    expect(rebound).toBe(403);
  });

  it("cuts a client's num_predict to the server's cap", async () => {
    const capped = await startTestServer({ limits: { maxTokensPerCall: 5 } });
    try {
      const response = await fetch(`${capped.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({
          model: "multi_domain",
          messages: [{ role: "user", content: "Tell me a story about a cat." }],
          stream: false,
          options: { num_predict: 1e12 },
        }),
      });
      const runId = response.headers.get("X-TinyLLM-Run-Id");
      const run = (await (await fetch(`${capped.url}/v1/runs/${runId}`)).json()) as {
        trace: { spans: Array<{ name: string; kind: string; tokens?: { output: number } }> };
      };
      const answers = run.trace.spans.filter((span) => span.kind === "model" && span.name !== "judge");
      expect(answers.length).toBeGreaterThan(0);
      for (const span of answers) expect(span.tokens!.output).toBeLessThanOrEqual(5);
    } finally {
      await capped.stop();
    }
  });
});

describe("API keys", () => {
  let keyed: TestServer;
  beforeAll(async () => {
    keyed = await startTestServer({ apiKeys: ["k-one", "k-two"], corsOrigins: ["http://app.example"] });
  });
  afterAll(async () => {
    await keyed?.stop();
  });

  it("checks the key on every route but /healthz, in each family's error format", async () => {
    expect((await fetch(`${keyed.url}/healthz`)).status).toBe(200);
    const ollama = await fetch(`${keyed.url}/api/tags`);
    expect(ollama.status).toBe(401);
    expect(((await ollama.json()) as { error: string }).error).toContain("needs an API key");
    const openai = await fetch(`${keyed.url}/v1/models`, { headers: { Authorization: "Bearer wrong" } });
    expect(openai.status).toBe(401);
    expect(((await openai.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
    for (const route of ["/metrics", "/readyz", "/v1/runs", "/api/ps"]) expect((await fetch(`${keyed.url}${route}`)).status, route).toBe(401);
    const ok = await fetch(`${keyed.url}/v1/models`, { headers: { Authorization: "Bearer k-two" } });
    expect(ok.status).toBe(200);
  });

  it("allows the configured origin only", async () => {
    const allowed = await fetch(`${keyed.url}/v1/models`, { headers: { Authorization: "Bearer k-one", Origin: "http://app.example" } });
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("http://app.example");
    const other = await fetch(`${keyed.url}/v1/models`, { headers: { Authorization: "Bearer k-one", Origin: "http://evil.example" } });
    expect(other.status).toBe(403);
    expect(other.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("refuses to listen beyond loopback without keys", async () => {
    const error = await startTestServer({ host: "0.0.0.0" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "SERVER_BAD_REQUEST" });
    expect((error as Error).message).toContain("without API keys");
  });
});
