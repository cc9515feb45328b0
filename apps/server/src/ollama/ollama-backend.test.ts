import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ollama } from "ollama";
import { startOllamaTestServer, type OllamaTestServer } from "@tinyllm/models/testing";
import { createRuntime } from "@tinyllm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../start-server";

// The server in front of an Ollama backend (a loopback server speaking Ollama's protocol, which
// runs the real test model): keep_alive from the client reaches the backing Ollama.
let backing: OllamaTestServer;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  backing = await startOllamaTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-ollama-backend-"));
  const tiers = ["T0", "T1", "T2", "T3"].map((tier) => `  ${tier}: { ollama: ${JSON.stringify(backing.modelName)} }`).join("\n");
  await writeFile(path.join(dir, "tinyllm.yaml"), `provider: ollama\nollama:\n  host: ${backing.url}\ntiers:\n${tiers}\n`);
  const runtime = await createRuntime({ cwd: dir, env: {}, flags: {} });
  server = await startServer({ runtime, port: 0, log: () => undefined });
});

afterAll(async () => {
  await server?.close({ graceMs: 1_000 });
  await backing?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("on an Ollama backend", () => {
  it("passes the client's keep_alive to every backing call of the run", async () => {
    const client = new Ollama({ host: server.url });
    const before = backing.requests.length;
    const response = await client.chat({
      model: "multi_domain",
      messages: [{ role: "user", content: "Tell me a story about a cat." }],
      stream: false,
      keep_alive: "42m",
    });
    expect(response.done).toBe(true);
    const calls = backing.requests.slice(before).filter((request) => request.path === "/api/chat");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect((call.body as { keep_alive?: unknown }).keep_alive).toBe("42m");
  });

  it("loads the backing models with an empty prompt and unloads them with keep_alive 0, as Ollama does", async () => {
    const client = new Ollama({ host: server.url });
    await client.generate({ model: "multi_domain", prompt: "", keep_alive: 0 });
    expect((await client.ps()).models).toEqual([]);
    await client.generate({ model: "multi_domain", prompt: "", keep_alive: "1h" });
    const { models } = await client.ps();
    expect(models.map((model) => model.name)).toEqual([backing.modelName]);
    expect(Date.parse(String(models[0]!.expires_at)) - Date.now()).toBeGreaterThan(59 * 60_000);
  });
});
