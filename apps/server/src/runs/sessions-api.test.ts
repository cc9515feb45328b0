import OpenAI from "openai";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server";

let server: TestServer;
let openai: OpenAI;

beforeAll(async () => {
  server = await startTestServer();
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
});

afterAll(async () => {
  await server?.stop();
});

interface StoredRun {
  trace: { spans: { kind: string; name: string; attributes?: Record<string, unknown> }[] };
}

async function storedRun(runId: string | null): Promise<StoredRun> {
  const response = await fetch(`${server.url}/v1/runs/${runId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredRun;
}

describe("sessions and memory through the chat routes", () => {
  it("keeps the conversation of an OpenAI user as a server-side session", async () => {
    const first = await openai.chat.completions
      .create({ model: "multi_domain", user: "ada", messages: [{ role: "user", content: "Once upon a time there was a cat." }], seed: 3, max_tokens: 12 })
      .withResponse();
    expect(first.response.headers.get("x-tinyllm-session")).toBe("ada");
    // The client sends only its new message: the server has the rest.
    const second = await openai.chat.completions
      .create({ model: "multi_domain", user: "ada", messages: [{ role: "user", content: "What did the cat do?" }], seed: 3, max_tokens: 12 })
      .withResponse();
    expect(second.data.choices[0]!.message.content?.length).toBeGreaterThan(0);
    const session = await server.runtime.sessionStore().get("ada");
    expect(session?.messages.map((message) => message.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(session?.messages[2]!.content).toBe("What did the cat do?");
    // The second run's model call was given the first exchange as earlier turns.
    const run = await storedRun(second.response.headers.get("x-tinyllm-run-id"));
    const call = run.trace.spans.find((span) => span.kind === "model" && span.attributes?.conversation !== undefined);
    expect(call?.attributes?.conversation).toMatchObject({ turns: 2, omittedTurns: 0 });
  });

  it("selects a session with X-TinyLLM-Session on Ollama's /api/chat, and says when the id is bad", async () => {
    const ollama = new Ollama({ host: server.url, headers: { "X-TinyLLM-Session": "kitchen" } });
    const answer = await ollama.chat({
      model: "multi_domain",
      messages: [{ role: "user", content: "Tell me a story." }],
      options: { seed: 1, num_predict: 8 },
    });
    expect(answer.done).toBe(true);
    expect((await server.runtime.sessionStore().get("kitchen"))?.messages).toHaveLength(2);
    const bad = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tinyllm-session": "no spaces allowed" },
      body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content: "hi" }], stream: false }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/session/i);
  });

  it("gives the messages a client sent as the conversation when no session is selected, and recalls the user's memories", async () => {
    await server.runtime.memoryStore().add({ text: "Grace keeps bees on her roof.", scope: "user", owner: "grace" });
    const response = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tinyllm-user": "grace" },
      body: JSON.stringify({
        model: "multi_domain",
        stream: false,
        options: { seed: 2, num_predict: 8 },
        messages: [
          { role: "user", content: "Hello there." },
          { role: "assistant", content: "Hi! What can I do?" },
          { role: "user", content: "Where are the bees kept?" },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const run = await storedRun(response.headers.get("x-tinyllm-run-id"));
    const recall = run.trace.spans.find((span) => span.name === "recall");
    expect(recall?.attributes?.memory).toMatchObject({ mode: "recall", recalled: 1 });
    const call = run.trace.spans.find((span) => span.kind === "model" && span.attributes?.conversation !== undefined);
    expect(call?.attributes?.conversation).toMatchObject({ turns: 2, memories: 1 });
  });
});
