import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlamaProvider, type LlamaProvider } from "../provider/llama-provider";
import { createOllamaProvider } from "../provider/ollama-provider";
import { resolveTestModel } from "../testing/test-model";
import { startOllamaTestServer, type OllamaTestServer } from "../testing/ollama-test-server";
import { runToolLoop } from "./run-tool-loop";
import type { ToolCallOutcome, ToolSet } from "@tinyllm/core";

/** A deterministic tool set for the loop: `add` validates its input like a real tool. */
function testTools(): ToolSet & { calls: { name: string; input: unknown }[] } {
  const calls: { name: string; input: unknown }[] = [];
  return {
    calls,
    describe: () => [
      {
        name: "add",
        description: "Adds two numbers.",
        parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
      },
    ],
    async call(name, input): Promise<ToolCallOutcome> {
      calls.push({ name, input });
      const record = input as { a?: unknown; b?: unknown } | null;
      if (typeof record?.a !== "number" || typeof record.b !== "number") {
        return { ok: false, error: { code: "TOOL_INPUT_INVALID", message: "a and b must be numbers" }, durationMs: 0 };
      }
      return { ok: true, output: { sum: record.a + record.b }, durationMs: 0 };
    },
  };
}

let llama: LlamaProvider;
let modelPath: string;
beforeAll(async () => {
  modelPath = (await resolveTestModel()).path;
  llama = createLlamaProvider({ modelPath, threads: 1 });
});
afterAll(async () => {
  await llama?.close();
});

describe("runToolLoop, JSON protocol", () => {
  it("should run a bounded loop on the embedded model and end with an answer", async () => {
    const tools = testTools();
    const events: string[] = [];
    const result = await runToolLoop({
      provider: llama,
      model: modelPath,
      tools,
      messages: [{ role: "user", content: "What is 2 plus 3?" }],
      maxToolRounds: 2,
      maxTokens: 48,
      emit: (e) => events.push(e.type),
    });
    expect(result.mode).toBe("json");
    expect(typeof result.text).toBe("string");
    expect(result.toolCalls.length).toBeLessThanOrEqual(2);
    expect(tools.calls.length).toBe(result.toolCalls.length);
    expect(events.filter((e) => e === "tool-call").length).toBe(result.toolCalls.length);
    expect(events.filter((e) => e === "tool-result").length).toBe(result.toolCalls.length);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("should answer without tools when no round is allowed", async () => {
    const tools = testTools();
    const result = await runToolLoop({
      provider: llama,
      model: modelPath,
      tools,
      messages: [{ role: "user", content: "Hello" }],
      maxToolRounds: 0,
      maxTokens: 32,
    });
    expect(result.toolCalls).toHaveLength(0);
    expect(tools.calls).toHaveLength(0);
  });
});

describe("runToolLoop, a context too small for every tool", () => {
  /** Tools whose schemas take about `size` characters each in the protocol. */
  function wideTools(names: string[], size: number): ToolSet {
    const filler = "x".repeat(size);
    return {
      describe: () =>
        names.map((name) => ({
          name,
          description: `Tool ${name}. ${filler}`,
          parameters: { type: "object", properties: { q: { type: "string", description: filler } }, required: ["q"] },
        })),
      call: async () => ({ ok: true, output: "done", durationMs: 0 }),
    };
  }

  it("leaves out the last-named tools until the prompt fits, and says which", async () => {
    const { contextTokens } = await llama.countTokens!({ model: modelPath, messages: [{ role: "user", content: "hi" }] });
    // Each tool takes about a third of the context, so not all three fit.
    const tools = wideTools(["first", "second", "third"], Math.floor(contextTokens / 3));
    const notes: Record<string, unknown>[] = [];
    const result = await runToolLoop({
      provider: llama,
      model: modelPath,
      tools,
      toolNames: ["third", "first", "second"],
      messages: [{ role: "user", content: "Do it." }],
      maxToolRounds: 1,
      maxTokens: 24,
      emit: (event) => (event.type === "node-info" && event.name === "tools-trimmed" ? notes.push(event.data) : undefined),
    });
    expect(typeof result.text).toBe("string");
    expect(notes).toHaveLength(1);
    const note = notes[0] as { kept: string[]; dropped: string[]; contextTokens: number };
    expect(note.contextTokens).toBe(contextTokens);
    expect([...note.kept, ...note.dropped]).toEqual(["third", "first", "second"]);
    expect(note.dropped.length).toBeGreaterThan(0);
  });

  it("offers every tool when they fit, with no note", async () => {
    const notes: unknown[] = [];
    await runToolLoop({
      provider: llama,
      model: modelPath,
      tools: wideTools(["a", "b"], 10),
      messages: [{ role: "user", content: "Hi" }],
      maxToolRounds: 1,
      maxTokens: 16,
      emit: (event) => (event.type === "node-info" ? notes.push(event) : undefined),
    });
    expect(notes).toEqual([]);
  });
});

describe("runToolLoop, native Ollama tools", () => {
  let server: OllamaTestServer;
  let plain: OllamaTestServer;
  beforeAll(async () => {
    server = await startOllamaTestServer();
    plain = await startOllamaTestServer({ toolSupport: false });
  });
  afterAll(async () => {
    await server?.close();
    await plain?.close();
  });

  it("should call tools through Ollama's tools API and send the results back", async () => {
    const tools = testTools();
    const provider = createOllamaProvider({ host: server.url });
    const result = await runToolLoop({
      provider,
      model: server.modelName,
      tools,
      messages: [{ role: "user", content: "Add 2 and 3." }],
      maxToolRounds: 1,
      maxTokens: 32,
    });
    expect(result.mode).toBe("native");
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]?.name).toBe("add");
    const chats = server.requests.filter((r) => r.path === "/api/chat").map((r) => r.body as { tools?: unknown[]; messages: { role: string }[] });
    expect(chats[0]?.tools).toHaveLength(1);
    expect(chats[1]?.messages.some((m) => m.role === "tool")).toBe(true);
  });

  it("should fall back to the JSON protocol when the model does not support tools", async () => {
    const provider = createOllamaProvider({ host: plain.url });
    const result = await runToolLoop({
      provider,
      model: plain.modelName,
      tools: testTools(),
      messages: [{ role: "user", content: "Add 2 and 3." }],
      maxToolRounds: 1,
      maxTokens: 48,
    });
    expect(result.mode).toBe("json");
  });
});
