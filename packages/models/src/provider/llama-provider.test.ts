import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveTestModel, type TestModel } from "../testing/test-model";
import { writeTestGguf } from "../testing/write-test-gguf";
import { createLlamaProvider, type LlamaProvider } from "./llama-provider";
import type { ChatStreamPart } from "@tinyllm/core";
import { describeProviderConformance } from "../testing/provider-conformance";

describeProviderConformance({
  name: "llama provider",
  test: { describe, it, beforeAll, afterAll },
  createSubject: async () => {
    const { path } = await resolveTestModel();
    return { provider: createLlamaProvider({ modelsDir: dirname(path), threads: 1 }), model: basename(path) };
  },
});

let testModel: TestModel;
let modelName: string;
let provider: LlamaProvider;
let directory: string;

const user = (content: string) => [{ role: "user" as const, content }];

beforeAll(async () => {
  testModel = await resolveTestModel();
  modelName = basename(testModel.path);
  directory = await mkdtemp(join(tmpdir(), "tinyllm-llama-"));
  provider = createLlamaProvider({ modelsDir: dirname(testModel.path), threads: 1 });
});

afterAll(async () => {
  await provider?.close();
  await rm(directory, { recursive: true, force: true });
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error & { code: string; hint?: string }> {
  const error = (await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )) as (Error & { code: string; hint?: string }) | undefined;
  expect(error, `expected a ${code} error`).toBeDefined();
  expect(error!.code).toBe(code);
  return error!;
}

describe("createLlamaProvider", () => {
  it("chats with text, usage and timings", async () => {
    const result = await provider.chat({
      model: modelName,
      system: "You tell stories.",
      messages: user("Once upon a time"),
      maxTokens: 24,
    });
    expect(result.text.trim().length).toBeGreaterThan(0);
    expect(result.model).toBe(modelName);
    expect(result.usage.inputTokens).toBeGreaterThan(5);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThanOrEqual(24);
    expect(["stop", "length"]).toContain(result.finishReason);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.timeToFirstTokenMs!).toBeLessThanOrEqual(result.durationMs);
  });

  it("is deterministic with a seed and temperature", async () => {
    const request = { model: modelName, messages: user("Tell me a story."), maxTokens: 16, temperature: 0.9, topP: 0.9, seed: 7 };
    const first = await provider.chat(request);
    const second = await provider.chat(request);
    expect(second.text).toBe(first.text);
  });

  it("streams deltas that concatenate to the final text", async () => {
    const parts: ChatStreamPart[] = [];
    for await (const part of provider.streamChat({ model: modelName, messages: user("Once upon a time"), maxTokens: 20 })) {
      parts.push(part);
    }
    const last = parts.at(-1);
    expect(last?.type).toBe("finish");
    const deltas = parts.filter((part) => part.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(1);
    const text = deltas.map((part) => (part.type === "text-delta" ? part.text : "")).join("");
    expect(last?.type === "finish" && last.result.text).toBe(text);
    expect(parts.slice(0, -1).every((part) => part.type === "text-delta")).toBe(true);
  });

  it("constrains output with a JSON schema", async () => {
    const result = await provider.chat({
      model: modelName,
      messages: user("Describe a pet as JSON."),
      maxTokens: 120,
      jsonSchema: {
        type: "object",
        properties: {
          name: { type: "string", maxLength: 16 },
          kind: { type: "string", enum: ["cat", "dog"] },
          happy: { type: "boolean" },
        },
        required: ["name", "kind", "happy"],
        additionalProperties: false,
      },
    });
    const value = JSON.parse(result.text) as Record<string, unknown>;
    expect(typeof value.name).toBe("string");
    expect(["cat", "dog"]).toContain(value.kind);
    expect(typeof value.happy).toBe("boolean");
  });

  it("stops at stop strings", async () => {
    const free = await provider.chat({ model: modelName, messages: user("Once upon a time"), maxTokens: 30 });
    const words = free.text.trim().split(/\s+/);
    const stopWord = words[Math.min(2, words.length - 1)]!;
    const stopped = await provider.chat({ model: modelName, messages: user("Once upon a time"), maxTokens: 30, stop: [stopWord] });
    expect(stopped.text).not.toContain(stopWord);
    expect(stopped.finishReason).toBe("stop");
  });

  it("aborts a running generation promptly with MODEL_ABORTED", async () => {
    const controller = new AbortController();
    const stream = provider.streamChat({
      model: modelName,
      messages: user("Once upon a time"),
      maxTokens: 5000,
      abortSignal: controller.signal,
    });
    const started = performance.now();
    const error = await expectCode(
      (async () => {
        for await (const part of stream) {
          if (part.type === "text-delta") controller.abort();
        }
      })(),
      "MODEL_ABORTED",
    );
    expect(error.name).toBe("TinyLLMError");
    expect(performance.now() - started).toBeLessThan(5_000);
    await expectCode(provider.chat({ model: modelName, messages: user("hi"), abortSignal: AbortSignal.abort() }), "MODEL_ABORTED");
    // The sequence is free again.
    const after = await provider.chat({ model: modelName, messages: user("Once"), maxTokens: 4 });
    expect(after.usage.outputTokens).toBeGreaterThan(0);
  });

  it("stops generating when the stream consumer stops reading", async () => {
    for await (const part of provider.streamChat({ model: modelName, messages: user("Once"), maxTokens: 5000 })) {
      if (part.type === "text-delta") break;
    }
    const after = await provider.chat({ model: modelName, messages: user("Once"), maxTokens: 4 });
    expect(after.text.length).toBeGreaterThan(0);
  });

  it("queues parallel calls on one sequence", async () => {
    const results = await Promise.all([1, 2, 3].map((seed) => provider.chat({ model: modelName, messages: user("Once"), maxTokens: 6, temperature: 1, seed })));
    for (const result of results) expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("resolves models by file name, stem and path, and reports unknown ones", async () => {
    const stemName = modelName.replace(/\.gguf$/, "");
    for (const model of [stemName, testModel.path]) {
      const result = await provider.chat({ model, messages: user("Once"), maxTokens: 3 });
      expect(result.model).toBe(model);
    }
    const error = await expectCode(provider.chat({ model: "no-such-model", messages: user("hi") }), "MODEL_NOT_FOUND");
    expect(error.message).toContain("no-such-model");
    expect(error.hint).toContain(modelName);
  });

  it("embeds one vector per input", async () => {
    const { embeddings, model } = await provider.embed({ model: modelName, input: ["a cat", "a dog", "the sun"] });
    expect(model).toBe(modelName);
    expect(embeddings).toHaveLength(3);
    const size = embeddings[0]!.length;
    expect(size).toBeGreaterThan(0);
    for (const vector of embeddings) {
      expect(vector).toHaveLength(size);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    expect((await provider.embed({ model: modelName, input: [] })).embeddings).toEqual([]);
  });

  it("serializes concurrent embeddings, also when a waiting call aborts", async () => {
    const controller = new AbortController();
    const inputs = Array.from({ length: 8 }, (_, index) => `sentence ${index}`);
    const first = provider.embed({ model: modelName, input: inputs });
    const aborted = provider.embed({ model: modelName, input: inputs, abortSignal: controller.signal });
    const third = provider.embed({ model: modelName, input: inputs });
    controller.abort();
    await expectCode(aborted, "MODEL_ABORTED");
    const [a, c] = await Promise.all([first, third]);
    expect(a.embeddings).toHaveLength(8);
    expect(c.embeddings).toEqual(a.embeddings);
  });

  it("lists GGUF files in modelsDir and modelPath with sizes", async () => {
    const models = await provider.listModels();
    const entry = models.find((info) => info.name === modelName);
    expect(entry?.sizeBytes).toBeGreaterThan(1000);
    expect(entry?.family).toBe("llama");

    await writeFile(join(directory, "notes.txt"), "not a model");
    await writeTestGguf(join(directory, "extra.gguf"));
    const other = createLlamaProvider({ modelsDir: directory, modelPath: testModel.path });
    try {
      const names = (await other.listModels()).map((info) => info.name).sort();
      expect(names).toEqual([modelName, "extra.gguf"].sort());
      // The default model answers an empty model name.
      const result = await other.chat({ model: "", messages: user("Once"), maxTokens: 3 });
      expect(result.usage.outputTokens).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it("refuses files llama.cpp would crash on, with MODEL_LOAD_FAILED", async () => {
    await writeFile(join(directory, "junk.gguf"), "definitely not gguf");
    const valid = join(directory, "valid.gguf");
    await writeTestGguf(valid);
    const bytes = await readFile(valid);
    const key = Buffer.from("llama.feed_forward_length");
    const at = bytes.indexOf(key);
    expect(at).toBeGreaterThan(0);
    bytes.write("llama.feed_forward_lengtX", at, "latin1");
    await writeFile(join(directory, "broken.gguf"), bytes);
    const other = createLlamaProvider({ modelsDir: directory });
    try {
      await expectCode(other.chat({ model: "junk", messages: user("hi") }), "MODEL_LOAD_FAILED");
      const error = await expectCode(other.chat({ model: "broken", messages: user("hi") }), "MODEL_LOAD_FAILED");
      expect(error.message).toContain("llama.feed_forward_length");
    } finally {
      await other.close();
    }
  });

  it("reports a missing node-llama-cpp as MODEL_UNAVAILABLE with install instructions", async () => {
    const missing = createLlamaProvider({
      modelPath: testModel.path,
      importNodeLlamaCpp: () => Promise.reject(Object.assign(new Error("Cannot find package 'node-llama-cpp'"), { code: "ERR_MODULE_NOT_FOUND" })),
    });
    const error = await expectCode(missing.chat({ model: "", messages: user("hi") }), "MODEL_UNAVAILABLE");
    expect(error.hint).toContain("node-llama-cpp@3.21.1");
    await missing.close();
  });

  it("preloads a model, unloads it on request and loads it again on the next call", async () => {
    const other = createLlamaProvider({ modelPath: testModel.path, threads: 1 });
    try {
      expect(await other.loadedModels()).toHaveLength(0);
      await other.preload(testModel.path);
      expect(await other.loadedModels()).toHaveLength(1);
      expect(await other.unloadModels()).toBe(1);
      expect(await other.loadedModels()).toHaveLength(0);
      const result = await other.chat({ model: testModel.path, messages: [{ role: "user", content: "Once upon a time" }], maxTokens: 4 });
      expect(result.usage.outputTokens).toBeGreaterThan(0);
      expect(await other.loadedModels()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("closes idempotently and refuses calls after close", async () => {
    const other = createLlamaProvider({ modelPath: testModel.path });
    await other.chat({ model: "", messages: user("Once"), maxTokens: 2 });
    await Promise.all([other.close(), other.close()]);
    await other.close();
    await expectCode(other.chat({ model: "", messages: user("Once") }), "MODEL_UNAVAILABLE");
  });

  it("lets the process exit after close()", async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const loader = join(directory, "ts-loader.mjs");
    await writeFile(loader, tsLoaderSource(join(here, "../../package.json")));
    const script = join(directory, "child.mjs");
    await writeFile(
      script,
      `import { createLlamaProvider } from ${JSON.stringify(join(here, "llama-provider.ts"))};
const provider = createLlamaProvider({ modelPath: ${JSON.stringify(testModel.path)}, threads: 1 });
const result = await provider.chat({ model: "", messages: [{ role: "user", content: "Once" }], maxTokens: 4 });
await provider.embed({ model: "", input: ["x"] });
await provider.close();
console.log("tokens", result.usage.outputTokens);
`,
    );
    const started = performance.now();
    const { code, stdout, stderr } = await runNode({
      args: ["--import", `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(pathToFileUrl(loader))});`, script],
      timeoutMs: 25_000,
    });
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/tokens [1-9]/);
    expect(performance.now() - started).toBeLessThan(25_000);
  });
});

function pathToFileUrl(path: string): string {
  return new URL(`file://${path}`).href;
}

function runNode({ args, timeoutMs }: { args: string[]; timeoutMs: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** An ESM loader that runs this package's TypeScript sources in a plain Node child process. */
function tsLoaderSource(packageJsonPath: string): string {
  return `import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
const require = createRequire(${JSON.stringify(packageJsonPath)});
const ts = require("typescript");
const coreSource = ${JSON.stringify(join(dirname(packageJsonPath), "../core/src/index.ts"))};
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier === "@tinyllm/core") return { url: pathToFileURL(coreSource).href, shortCircuit: true };
    if (specifier.startsWith(".") && context.parentURL?.endsWith(".ts")) return next(specifier + ".ts", context);
    throw error;
  }
}
export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  const source = await readFile(fileURLToPath(url), "utf8");
  const output = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  return { format: "module", source: output.outputText, shortCircuit: true };
}
`;
}
