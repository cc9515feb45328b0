import { describe, expect, test } from "vitest";
import { parseOllamaHost } from "@tinyllm/models";
import { TinyLLMConfigSchema, tinyLLMConfigJsonSchema } from "./tinyllm-config-schema";

describe("TinyLLMConfigSchema", () => {
  test("accepts a full configuration", () => {
    const config = {
      provider: "llama",
      ollama: { host: "localhost:11434", keepAlive: "1h30m" },
      llama: { modelFile: "./m.gguf", modelsDir: "./models", threads: 4, gpu: true, contextSize: 8192 },
      openai: { baseUrl: "http://127.0.0.1:8080/v1", apiKey: "sk-x" },
      tiers: { T0: { ollama: "a", llama: "b", openai: "c", memoryMB: 1.5 }, T3: {} },
      graph: "g.yaml",
      promptsDir: "prompts",
      cacheDir: "~/cache",
    };
    expect(TinyLLMConfigSchema.parse(config)).toEqual(config);
  });

  test("accepts an empty object and empty (null) values", () => {
    expect(TinyLLMConfigSchema.safeParse({}).success).toBe(true);
    expect(TinyLLMConfigSchema.safeParse({ provider: null, ollama: null, tiers: { T0: null }, llama: { threads: null } }).success).toBe(true);
  });

  test("rejects unknown keys at every level", () => {
    for (const config of [{ providr: "ollama" }, { ollama: { hots: "x" } }, { tiers: { T4: {} } }, { tiers: { T0: { gguf: "x" } } }]) {
      const result = TinyLLMConfigSchema.safeParse(config);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
    }
  });

  test.each([
    [{ provider: "foo" }],
    [{ llama: { threads: 0 } }],
    [{ llama: { threads: 1.5 } }],
    [{ llama: { contextSize: "big" } }],
    [{ llama: { gpu: "yes" } }],
    [{ ollama: { host: "ftp://x" } }],
    [{ ollama: { keepAlive: "10 minutes" } }],
    [{ ollama: { keepAlive: true } }],
    [{ openai: { baseUrl: "not a url" } }],
    [{ tiers: { T1: { memoryMB: 0 } } }],
    [{ graph: "" }],
  ])("rejects %j", (config) => {
    expect(TinyLLMConfigSchema.safeParse(config).success).toBe(false);
  });

  test.each([["5m"], ["1h30m"], ["-1s"], ["0"], ["2.5h"], [300], [-1], [0]])("keepAlive accepts %j", (keepAlive) => {
    expect(TinyLLMConfigSchema.safeParse({ ollama: { keepAlive } }).success).toBe(true);
  });

  test("converts to JSON Schema for editors", () => {
    const schema = tinyLLMConfigJsonSchema();
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(["provider", "ollama", "llama", "openai", "tiers", "graph", "promptsDir", "cacheDir"]),
    );
  });
});

describe("parseOllamaHost", () => {
  test.each([
    ["http://127.0.0.1:11434", "http://127.0.0.1:11434"],
    ["http://example.com/", "http://example.com"],
    ["https://ollama.example.com", "https://ollama.example.com"],
    ["localhost", "http://localhost:11434"],
    ["localhost:8080", "http://localhost:8080"],
    [":8080", "http://127.0.0.1:8080"],
    ["0.0.0.0", "http://127.0.0.1:11434"],
    ["  localhost  ", "http://localhost:11434"],
  ])("%j → %j", (input, expected) => {
    expect(parseOllamaHost(input)).toBe(expected);
  });

  test.each([[""], ["ftp://host"], ["http://"], ["a b"], ["http://host?x=1"]])("rejects %j", (input) => {
    expect(parseOllamaHost(input)).toBeUndefined();
  });
});
