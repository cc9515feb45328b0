import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRuntime, type Runtime } from "@tinyllm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../start-server";

const chain = fileURLToPath(new URL("../../../../graphs/chain.yaml", import.meta.url));

/** A plain HTTP request (fetch cannot set Host), with its status, headers and body. */
function request(
  url: string,
  { method = "POST", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = http.request(url, { method, headers: { ...(text !== undefined ? { "content-type": "application/json" } : {}), ...headers } }, (response) => {
      let received = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (received += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: received }));
    });
    sent.on("error", reject);
    sent.end(text);
  });
}

const chat = (content: string, extra: Record<string, unknown> = {}) => ({ model: "chain", messages: [{ role: "user", content }], stream: false, ...extra });

describe("the server's per-request path, on a graph without a model", () => {
  let dir: string;
  let runtime: Runtime;
  let server: RunningServer;
  let withKeys: RunningServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-request-path-"));
    runtime = await createRuntime({ cwd: dir, env: {}, runStore: false, verdictStore: false });
    server = await startServer({ runtime, graphs: [chain], port: 0, log: () => undefined });
    withKeys = await startServer({ runtime, graphs: [chain], port: 0, log: () => undefined, apiKeys: ["secret"], corsOrigins: ["http://app.test"] });
  });

  afterAll(async () => {
    await server?.close({ graceMs: 0, closeRuntime: false });
    await withKeys?.close({ graceMs: 0, closeRuntime: true });
    await rm(dir, { recursive: true, force: true });
  });

  it("answers a chat with its JSON, a length, the run id and a request id", async () => {
    const response = await request(`${server.url}/api/chat`, { body: chat("Hello There") });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      model: "chain",
      message: { role: "assistant", content: "<<hello there>>" },
      done: true,
      done_reason: "stop",
    });
    expect(response.headers["content-type"]).toBe("application/json");
    expect(Number(response.headers["content-length"])).toBe(Buffer.byteLength(response.body));
    expect(response.headers["x-tinyllm-run-id"]).toMatch(/^run_[0-9a-f]{32}$/);
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
  });

  it("gives every request its own id, echoes a safe id the client sent and replaces an unsafe one", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(String((await request(`${server.url}/api/chat`, { body: chat("hi") })).headers["x-request-id"]));
    ids.add(String((await request(`${server.url}/api/tags`, { method: "GET" })).headers["x-request-id"]));
    expect(ids.size).toBe(6);
    const echoed = await request(`${server.url}/api/chat`, { body: chat("hi"), headers: { "X-Request-Id": "client-id_42=" } });
    expect(echoed.headers["x-request-id"]).toBe("client-id_42=");
    const replaced = await request(`${server.url}/api/chat`, { body: chat("hi"), headers: { "X-Request-Id": "two words" } });
    expect(replaced.headers["x-request-id"]).not.toBe("two words");
    const failed = await request(`${server.url}/api/chat`, { body: { model: "nope", messages: [{ role: "user", content: "hi" }] } });
    expect(failed.status).toBe(404);
    expect(failed.headers["x-request-id"]).toBeTruthy();
  });

  it("takes the usual options and words a bad body as zod does", async () => {
    const ok = await request(`${server.url}/api/chat`, {
      body: chat("hi", { options: { temperature: 0.5, top_p: 1, seed: 7, num_predict: 10 }, keep_alive: "5m", format: "", extra: { any: 1 } }),
    });
    expect(ok.status).toBe(200);
    const cases: Array<[unknown, RegExp]> = [
      [{ model: "", messages: [{ role: "user", content: "hi" }] }, /^model: name the model/],
      [{ model: "chain", messages: [{ role: "robot", content: "hi" }] }, /^messages\.0\.role: /],
      [{ model: "chain", messages: [{ role: "user", content: 5 }] }, /^messages\.0\.content: /],
      [chat("hi", { stream: "no" }), /^stream: /],
      [chat("hi", { options: { temperature: 3 } }), /^options\.temperature: /],
      [chat("hi", { options: { seed: 1.5 } }), /^options\.seed: /],
      [chat("hi", { options: null }), /^options: /],
      [chat("hi", { keep_alive: null }), /^keep_alive: /],
      [[1, 2], /^the body: /],
    ];
    for (const [body, message] of cases) {
      const response = await request(`${server.url}/api/chat`, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((JSON.parse(response.body) as { error: string }).error, JSON.stringify(body)).toMatch(message);
    }
    const parts = await request(`${server.url}/api/chat`, {
      body: { model: "chain", messages: [{ role: "user", content: [{ type: "text", text: "Parts" }] }], stream: false },
    });
    expect(JSON.parse(parts.body)).toMatchObject({ message: { content: "<<parts>>" } });
  });

  it("serves loopback names only, whatever their case or port, and refuses other origins", async () => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, "localhost"]) {
      expect((await request(`${server.url}/api/tags`, { method: "GET", headers: { Host: host } })).status, host).toBe(200);
    }
    for (const host of ["evil.example", `evil.example:${port}`, `localhost.evil.example:${port}`, `user@localhost:${port}`]) {
      expect((await request(`${server.url}/api/tags`, { method: "GET", headers: { Host: host } })).status, host).not.toBe(200);
    }
    expect((await request(`${server.url}/api/chat`, { body: chat("hi"), headers: { Origin: "http://evil.example" } })).status).toBe(403);
    expect((await request(`${server.url}/api/chat`, { body: chat("hi"), headers: { Origin: server.url } })).status).toBe(200);
  });

  it("with CORS, answers refusals with the CORS headers too", async () => {
    const refused = await request(`${withKeys.url}/api/chat`, { body: chat("hi"), headers: { Origin: "http://app.test" } });
    expect(refused.status).toBe(401);
    expect(refused.headers["access-control-allow-origin"]).toBe("http://app.test");
    expect(refused.headers["x-request-id"]).toBeTruthy();
    const answered = await request(`${withKeys.url}/api/chat`, { body: chat("hi"), headers: { Origin: "http://app.test", Authorization: "Bearer secret" } });
    expect(answered.status).toBe(200);
    expect(answered.headers["access-control-allow-origin"]).toBe("http://app.test");
    expect(answered.headers["access-control-expose-headers"]).toContain("X-Request-Id");
    expect(answered.headers["x-request-id"]).toBeTruthy();
    expect(answered.headers["x-tinyllm-run-id"]).toBeTruthy();
    const tooBig = await request(`${withKeys.url}/api/chat`, { body: chat("x".repeat(2 * 1024 * 1024)), headers: { Authorization: "Bearer secret" } });
    expect(tooBig.status).toBe(413);
  });
});
