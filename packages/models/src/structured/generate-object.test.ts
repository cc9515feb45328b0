import { basename, dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLlamaProvider, type LlamaProvider } from "../provider/llama-provider";
import type { ChatOptions, ChatResult, ModelProvider } from "@tinyllm/core";
import { captureError } from "../testing/capture-error";
import { resolveTestModel } from "../testing/test-model";
import { generateObject, toJsonSchema } from "@tinyllm/core";

let llama: LlamaProvider;
let model: string;

beforeAll(async () => {
  const testModel = await resolveTestModel();
  model = basename(testModel.path);
  llama = createLlamaProvider({ modelsDir: dirname(testModel.path), threads: 1 });
});

afterAll(async () => {
  await llama?.close();
});

/** Wraps a provider and records every chat request. */
function recording(provider: ModelProvider): ModelProvider & { requests: ChatOptions[] } {
  const requests: ChatOptions[] = [];
  return {
    ...provider,
    id: provider.id,
    specificationVersion: "v1",
    capabilities: provider.capabilities,
    requests,
    chat(options) {
      requests.push(options);
      return provider.chat(options);
    },
  };
}

/** A provider that answers with the given texts in turn. */
function scripted(answers: string[]): ModelProvider & { requests: ChatOptions[] } {
  const requests: ChatOptions[] = [];
  const result = (text: string): ChatResult => ({
    text,
    model: "scripted",
    usage: { inputTokens: 10, outputTokens: 5 },
    finishReason: "stop",
    durationMs: 3,
  });
  return {
    specificationVersion: "v1",
    id: "scripted",
    capabilities: { nativeToolCalls: false, jsonSchema: false, embeddings: false, streaming: false },
    requests,
    async chat(options) {
      requests.push(options);
      return result(answers[requests.length - 1] ?? "");
    },
    async *streamChat() {
      yield { type: "finish", result: result("") };
    },
    async embed() {
      return { embeddings: [], model: "scripted" };
    },
    async listModels() {
      return [];
    },
  };
}

// Only constraints the llama.cpp grammar enforces, so the tiny model always answers validly.
const pet = z.object({
  name: z.string().max(16),
  kind: z.enum(["cat", "dog", "bird"]),
  friendly: z.boolean(),
  toys: z
    .array(z.enum(["ball", "stick"]))
    .min(1)
    .max(3),
  note: z.string().max(12).nullable(),
});

describe("generateObject", () => {
  it("returns a validated object from the embedded model", async () => {
    const provider = recording(llama);
    const { object, result, repaired } = await generateObject({
      provider,
      model,
      schema: pet,
      system: "Answer in JSON.",
      messages: [{ role: "user", content: "Describe a pet." }],
      maxTokens: 120,
    });
    expect(pet.parse(object)).toEqual(object);
    expect(repaired).toBe(false);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(provider.requests[0]?.jsonSchema).toMatchObject({ type: "object", required: ["name", "kind", "friendly", "toys", "note"] });
    expect(provider.requests[0]?.jsonSchema).not.toHaveProperty("$schema");
  });

  it("runs one repair round with the error, then throws MODEL_OUTPUT_INVALID", async () => {
    // JSON Schema cannot carry the refinement, so the grammar allows answers the schema rejects.
    const impossible = z.object({ code: z.number().refine((value) => value === 123456.5, "code must be 123456.5") });
    const provider = recording(llama);
    const error = await captureError(
      generateObject({
        provider,
        model,
        schema: impossible,
        messages: [{ role: "user", content: "Give me the code." }],
        maxTokens: 40,
        temperature: 0,
      }),
    );
    expect(error.code).toBe("MODEL_OUTPUT_INVALID");
    expect(error.message).toContain("attempt 2");
    expect(error.message).toContain("code must be 123456.5");
    expect(error.isRetryable).toBe(false);
    expect(provider.requests).toHaveLength(2);
    const repair = provider.requests[1]!.messages;
    expect(repair.at(-2)?.role).toBe("assistant");
    expect(repair.at(-1)?.content).toContain("code must be 123456.5");
  });

  it("repairs an invalid first answer", async () => {
    const provider = scripted(['{"name": "Rex", "kind": "lion"}', '```json\n{"name":"Rex","kind":"dog","friendly":true,"toys":["ball"],"note":null}\n```']);
    const { object, repaired, result } = await generateObject({
      provider,
      model: "m",
      schema: pet,
      messages: [{ role: "user", content: "pet" }],
    });
    expect(object).toEqual({ name: "Rex", kind: "dog", friendly: true, toys: ["ball"], note: null });
    expect(repaired).toBe(true);
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 10 });
    expect(provider.requests[1]!.messages.at(-1)!.content).toMatch(/kind/);
  });

  it("reports unparsable JSON and honours repair: false", async () => {
    const provider = scripted(["not json"]);
    const error = await captureError(generateObject({ provider, model: "m", schema: pet, messages: [{ role: "user", content: "pet" }], repair: false }));
    expect(error.code).toBe("MODEL_OUTPUT_INVALID");
    expect(error.message).toContain("not JSON");
    expect(provider.requests).toHaveLength(1);
  });

  it("passes provider errors through and rejects schemas JSON Schema cannot express", async () => {
    const error = await captureError(
      generateObject({ provider: llama, model, schema: pet, messages: [{ role: "user", content: "pet" }], abortSignal: AbortSignal.abort() }),
    );
    expect(error.code).toBe("MODEL_ABORTED");
    expect(() => toJsonSchema(z.object({ at: z.date() }))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
