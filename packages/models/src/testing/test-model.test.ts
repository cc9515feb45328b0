import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Llama, LlamaLogLevel } from "node-llama-cpp";
import { findRepoRoot, findSharedModelPath, generateTestModel, hasSha256, resolveTestModel, stories260KSha256 } from "./test-model";
import { writeTestGguf } from "./write-test-gguf";

let directory: string;
let llama: Llama;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tinyllm-test-model-"));
  const { getLlama } = await import("node-llama-cpp");
  llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as LlamaLogLevel });
});

afterAll(async () => {
  await llama?.dispose();
  await rm(directory, { recursive: true, force: true });
});

async function generate(modelPath: string): Promise<string> {
  const { LlamaCompletion } = await import("node-llama-cpp");
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ threads: 1, contextSize: 256 });
  try {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const text = await completion.generateCompletion("Once upon a time", { maxTokens: 8, temperature: 0 });
    completion.dispose();
    return text;
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

describe("resolveTestModel", () => {
  it("returns a cached model that loads and generates", async () => {
    const first = await resolveTestModel();
    expect(await resolveTestModel()).toBe(first);
    const shared = findSharedModelPath();
    const sharedValid = shared !== undefined && (await hasSha256({ path: shared, sha256: stories260KSha256 }));
    const forced = process.env.TINYLLM_TEST_MODEL === "generated";
    expect(first.kind).toBe(sharedValid && !forced ? "stories260K" : "generated");
    expect(first.path.endsWith(".gguf")).toBe(true);
    expect((await generate(first.path)).trim().length).toBeGreaterThan(0);
  });

  it("generates the fallback model once per process", async () => {
    const path = await generateTestModel();
    expect(await generateTestModel()).toBe(path);
    expect(path.endsWith(".gguf")).toBe(true);
  });

  it("finds the repository root from nested directories", () => {
    const root = findRepoRoot({ from: process.cwd() });
    expect(root).toBeDefined();
    expect(findRepoRoot({ from: join(root!, "packages", "models", "src") })).toBe(root);
    expect(findRepoRoot({ from: "/" })).toBeUndefined();
  });

  it("rejects a file whose hash differs", async () => {
    const path = join(directory, "wrong.gguf");
    await writeTestGguf(path);
    expect(await hasSha256({ path, sha256: stories260KSha256 })).toBe(false);
    expect(await hasSha256({ path: join(directory, "missing.gguf"), sha256: stories260KSha256 })).toBe(false);
  });
});
