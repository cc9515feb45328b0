import OpenAI from "openai";
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

// The official `openai` client, unchanged, against the server.
describe("the OpenAI API, through the official openai client", () => {
  it("lists the graphs as models and retrieves one", async () => {
    const page = await openai.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["multi_domain"]);
    expect((await openai.models.retrieve("multi_domain")).object).toBe("model");
  });

  it("completes a chat without streaming, with usage", async () => {
    const completion = await openai.chat.completions.create({ model: "multi_domain", messages: [{ role: "user", content: "What is 2+2?" }] });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.content).toBe("4");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it("streams a chat that reaches the model as SSE, with a last usage chunk", async () => {
    const stream = await openai.chat.completions.create({
      model: "multi_domain",
      messages: [
        { role: "system", content: "You tell stories." },
        { role: "user", content: "Tell me a story about a cat." },
      ],
      stream: true,
      stream_options: { include_usage: true },
      seed: 1,
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text.trim().length).toBeGreaterThan(0);
    // The story model often writes to the prompt's token limit: "length" is then the truth.
    expect(["stop", "length"]).toContain(finish);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("says length when max_tokens cut the answer", async () => {
    const completion = await openai.chat.completions.create({
      model: "multi_domain",
      messages: [{ role: "user", content: "Tell me a story about a cat." }],
      max_tokens: 3,
    });
    expect(completion.choices[0]!.finish_reason).toBe("length");
  });

  it("refuses bad requests with the OpenAI error format", async () => {
    const unknown = await openai.chat.completions.create({ model: "gpt-9", messages: [{ role: "user", content: "hi" }] }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).message).toContain("multi_domain");
    const empty = await openai.chat.completions.create({ model: "multi_domain", messages: [] }).catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    const twoChoices = await openai.chat.completions
      .create({ model: "multi_domain", n: 2, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(twoChoices).toBeInstanceOf(OpenAI.BadRequestError);
    const raw = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{" });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.code).toBe("server_bad_request");
  });

  it("cancels the run when the client aborts the stream", async () => {
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: "multi_domain", messages: [{ role: "user", content: "Tell me a long story about a dragon." }], stream: true },
      { signal: controller.signal },
    );
    // openai-node ends the iteration quietly when its signal aborts.
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.choices[0]?.delta.content) controller.abort();
    }
    expect(controller.signal.aborted).toBe(true);
    expect(chunks).toBeGreaterThan(0);
    const { data } = (await (await fetch(`${server.url}/v1/runs?limit=1`)).json()) as { data: Array<{ id: string; source: string }> };
    expect(data[0]!.source).toBe("v1/chat/completions");
    await (await fetch(`${server.url}/v1/runs/${data[0]!.id}/events`)).text();
    const run = (await (await fetch(`${server.url}/v1/runs/${data[0]!.id}`)).json()) as { status: string };
    expect(run.status).toBe("cancelled");
  });

  it("embeds, as floats and as the client's default base64", async () => {
    const result = await openai.embeddings.create({ model: "multi_domain", input: ["a cat", "a dog"] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(result.data[0]!.embedding.every((value) => Number.isFinite(value))).toBe(true);
    const floats = await openai.embeddings.create({ model: "multi_domain", input: "a cat", encoding_format: "float" });
    expect(floats.data[0]!.embedding[0]).toBeCloseTo(result.data[0]!.embedding[0]!, 5);
  });
});
