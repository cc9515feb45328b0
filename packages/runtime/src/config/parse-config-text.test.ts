import { describe, expect, test } from "vitest";
import type { TinyLLMError } from "@tinyllm/core";
import { parseConfigText } from "./parse-config-text";
import { errorOf as errorOfRun } from "@tinyllm/models/testing";

function errorOf(text: string, file?: string): TinyLLMError {
  return errorOfRun(() => parseConfigText({ text, ...(file ? { file } : {}) }));
}

describe("parseConfigText", () => {
  test("returns the validated content", () => {
    expect(parseConfigText({ text: "provider: ollama\nllama:\n  threads: 2\n" })).toEqual({ provider: "ollama", llama: { threads: 2 } });
  });

  test("an empty or comment-only file is an empty configuration", () => {
    expect(parseConfigText({ text: "" })).toEqual({});
    expect(parseConfigText({ text: "# nothing yet\n" })).toEqual({});
  });

  test("a section with every key commented out is allowed", () => {
    expect(parseConfigText({ text: "ollama:\n  # host: x\n" })).toEqual({ ollama: null });
  });

  test("reports an unknown top-level key at its line and column, with a suggestion", () => {
    const error = errorOf("provider: ollama\ngrpah: x.yaml\n", "conf/tinyllm.yaml");
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe('conf/tinyllm.yaml:2:1: unknown key "grpah"; did you mean "graph"?');
    expect(error.hint).toContain("remove it");
    expect(error.hint).toContain("graph");
  });

  test("reports a nested unknown key at the key", () => {
    const error = errorOf("ollama:\n  host: http://x:1\n  hots: y\n");
    expect(error.message).toBe('tinyllm.yaml:3:3: unknown key "hots" in ollama; did you mean "host"?');
    expect(error.hint).toBe("remove it; the keys allowed in ollama are: host, keepAlive");
  });

  test("reports an unknown tier", () => {
    const error = errorOf("tiers:\n  T0:\n    ollama: a\n  T9:\n    ollama: b\n");
    expect(error.message).toMatch(/^tinyllm\.yaml:4:3: unknown key "T9" in tiers/);
  });

  test("reports a wrong type at the value, saying what was expected and found", () => {
    const error = errorOf("llama:\n  threads: many\n");
    expect(error.message).toBe('tinyllm.yaml:2:12: llama.threads: expected a whole number, got the text "many"');
    expect(error.hint).toMatch(/^set llama\.threads to /);
  });

  test("reports a scheduler share out of range at its value", () => {
    expect(parseConfigText({ text: "scheduler:\n  offloadHorizonMs: 30000\n  minGpuShare: 0.4\n" }).scheduler).toEqual({
      offloadHorizonMs: 30000,
      minGpuShare: 0.4,
    });
    const error = errorOf("scheduler:\n  offloadHorizonMs: 30000\n  minGpuShare: 1.5\n");
    expect(error.message).toMatch(/^tinyllm\.yaml:3:16: scheduler\.minGpuShare: .*at most 1/);
  });

  test("reports a wrong type deep in tiers", () => {
    const error = errorOf("tiers:\n  T2:\n    memoryMB: '4700'\n");
    expect(error.message).toBe('tinyllm.yaml:3:15: tiers.T2.memoryMB: expected a number, got the text "4700"');
  });

  test("reports a bad provider with a suggestion", () => {
    const error = errorOf("provider: olama\n");
    expect(error.message).toBe('tinyllm.yaml:1:11: provider: "olama" is not one of ollama, llama, openai; did you mean "ollama"?');
  });

  test("reports a section that is not a mapping", () => {
    const error = errorOf("llama: ./model.gguf\n");
    expect(error.message).toBe('tinyllm.yaml:1:8: llama: expected a mapping (indented key: value lines), got the text "./model.gguf"');
  });

  test("lists every problem, in file order", () => {
    const error = errorOf("llama:\n  gpu: yes\nfoo: 1\nopenai:\n  baseUrl: ftp://x\n");
    expect(error.message.split("\n")[0]).toBe("tinyllm.yaml has 3 problems:");
    const positions = [...error.message.matchAll(/tinyllm\.yaml:(\d+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(positions).toEqual(["2:8", "3:1", "5:12"]);
  });

  test("reports YAML syntax errors with their position", () => {
    const error = errorOf("provider: ollama\nollama:\n  host: [x\n");
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toMatch(/^tinyllm\.yaml:\d+:\d+: YAML: /);
  });

  test("reports duplicate keys", () => {
    const error = errorOf("provider: ollama\nprovider: llama\n");
    expect(error.message).toMatch(/^tinyllm\.yaml:2:1: YAML: .*unique/);
  });

  test("rejects a document that is not a mapping", () => {
    expect(errorOf("- provider\n").message).toMatch(/^tinyllm\.yaml:1:1: the file must be a mapping/);
    expect(errorOf("ollama\n").message).toMatch(/not a single value/);
  });
});

describe("parseConfigText: secrets and limits", () => {
  test("never echoes an API key, even a malformed one", () => {
    const error = errorOf("openai:\n  apiKey: 123456789\n");
    expect(error.message).toBe("tinyllm.yaml:2:11: openai.apiKey: expected text, got a number (not shown)");
    expect(error.message).not.toContain("123456789");
  });

  test("a deeply nested document is CONFIG_INVALID, not a crash", () => {
    const error = errorOf(`graph: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(error.code).toBe("CONFIG_INVALID");
  });
});
