import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Llama, LlamaLogLevel } from "node-llama-cpp";
import { buildTestGguf, testGgufShape, writeTestGguf } from "./write-test-gguf";

let directory: string;
let llama: Llama;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tinyllm-gguf-"));
  const { getLlama } = await import("node-llama-cpp");
  llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as LlamaLogLevel });
});

afterAll(async () => {
  await llama?.dispose();
  await rm(directory, { recursive: true, force: true });
});

async function generate(modelPath: string): Promise<{ text: string; tokens: number }> {
  const { LlamaCompletion } = await import("node-llama-cpp");
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ threads: 1, contextSize: 256 });
  try {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    let tokens = 0;
    const text = await completion.generateCompletion("Once upon a time", {
      maxTokens: 12,
      temperature: 0,
      onToken: (chunk) => {
        tokens += chunk.length;
      },
    });
    completion.dispose();
    return { text, tokens };
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

describe("writeTestGguf", () => {
  it("is deterministic per seed and aligned", async () => {
    const a = buildTestGguf({ seed: 1 });
    const b = buildTestGguf({ seed: 1 });
    const c = buildTestGguf({ seed: 2 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    expect(Buffer.from(a.subarray(0, 4)).toString("latin1")).toBe("GGUF");
    expect(new DataView(a.buffer).getUint32(4, true)).toBe(3);
    expect(a.byteLength % 32).toBe(0);
    expect(a.byteLength).toBeLessThan(400_000);
  });

  it("writes metadata node-llama-cpp reads back", async () => {
    const path = join(directory, "nested", "tiny.gguf");
    const { sizeBytes } = await writeTestGguf(path, { seed: 3 });
    expect((await readFile(path)).byteLength).toBe(sizeBytes);
    const { readGgufFileInfo } = await import("node-llama-cpp");
    const info = await readGgufFileInfo(path, { readTensorInfo: true });
    expect(info.version).toBe(3);
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(metadata.general?.architecture).toBe("llama");
    const llamaMetadata = metadata.llama as Record<string, unknown> & { attention: Record<string, unknown> };
    expect(llamaMetadata.embedding_length).toBe(testGgufShape.embeddingLength);
    expect(llamaMetadata.block_count).toBe(testGgufShape.blockCount);
    expect(llamaMetadata.feed_forward_length).toBe(testGgufShape.feedForwardLength);
    expect(llamaMetadata.attention.head_count).toBe(testGgufShape.headCount);
    const tokenizer = (metadata.tokenizer as { ggml: { tokens: string[]; model: string } }).ggml;
    expect(tokenizer.model).toBe("llama");
    expect(tokenizer.tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    expect(tokenizer.tokens).toContain("<0xFF>");
    expect(tokenizer.tokens).toContain("▁a");
    expect(info.tensorInfo?.length).toBe(3 + 9 * testGgufShape.blockCount);
    for (const tensor of info.tensorInfo ?? []) expect(Number(tensor.offset) % 32).toBe(0);
  });

  it("loads and generates through node-llama-cpp", async () => {
    const path = join(directory, "gen.gguf");
    await writeTestGguf(path);
    const { text, tokens } = await generate(path);
    expect(tokens).toBeGreaterThan(0);
    expect(text.trim().length).toBeGreaterThan(0);
  });
});
