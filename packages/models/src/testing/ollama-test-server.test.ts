import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOllamaTestServer, type OllamaTestServer } from "./ollama-test-server";

let server: OllamaTestServer;
let client: Ollama;

beforeAll(async () => {
  server = await startOllamaTestServer();
  client = new Ollama({ host: server.url });
});

afterAll(async () => {
  await server?.close();
});

describe("startOllamaTestServer (through the official client)", () => {
  it("answers /api/version and plain 404s", async () => {
    expect(await client.version()).toEqual({ version: "0.12.6" });
    const response = await fetch(`${server.url}/api/nothing`);
    expect(response.status).toBe(404);
    await response.text();
  });

  it("serves non-streamed chat and generate", async () => {
    const chat = await client.chat({ model: "tinyllm-test", messages: [{ role: "user", content: "Once" }], options: { num_predict: 8 } });
    expect(chat.done).toBe(true);
    expect(chat.message.content.length).toBeGreaterThan(0);
    expect(chat.eval_count).toBeGreaterThan(0);
    expect(chat.prompt_eval_count).toBeGreaterThan(0);

    const generated = await client.generate({ model: server.modelName, prompt: "Once upon a time", options: { num_predict: 8 } });
    expect(generated.response?.length).toBeGreaterThan(0);
    expect(generated.done_reason).toMatch(/stop|length/);
  });

  it("streams generate as NDJSON", async () => {
    const parts: string[] = [];
    let done = false;
    for await (const part of await client.generate({ model: server.modelName, prompt: "Once", stream: true, options: { num_predict: 8 } })) {
      parts.push(part.response ?? "");
      done ||= part.done;
    }
    expect(done).toBe(true);
    expect(parts.join("").length).toBeGreaterThan(0);
  });

  it("tracks loaded models with keep_alive and unloads with keep_alive 0", async () => {
    await client.chat({ model: server.modelName, messages: [{ role: "user", content: "a" }], options: { num_predict: 1 }, keep_alive: -1 });
    expect((await client.ps()).models.map((model) => model.name)).toEqual([server.modelName]);
    const unload = await client.chat({ model: server.modelName, messages: [], keep_alive: 0 });
    expect(unload.done_reason).toBe("unload");
    expect((await client.ps()).models).toEqual([]);
  });

  it("cuts a non-streamed answer in half", async () => {
    server.setFault({ kind: "cut-stream", mode: "end", times: 1 });
    await expect(client.chat({ model: server.modelName, messages: [{ role: "user", content: "a" }], options: { num_predict: 4 } })).rejects.toThrow();
    const after = await client.chat({ model: server.modelName, messages: [{ role: "user", content: "a" }], options: { num_predict: 2 } });
    expect(after.done).toBe(true);
  });

  it("records requests", () => {
    expect(server.requests.some((request) => request.path === "/api/generate")).toBe(true);
  });
});
