/**
 * Writes a tiny deterministic llama-architecture GGUF file with random weights, for tests
 * that need a real model file but must not depend on a download.
 *
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Options of {@link writeTestGguf}. */
export interface WriteTestGgufOptions {
  /** Seed of the weight generator; the same seed gives the same bytes. Default `1`. */
  seed?: number;
}

/** What {@link writeTestGguf} wrote. */
export interface WriteTestGgufResult {
  path: string;
  sizeBytes: number;
}

/** Shape of the generated model. Small enough to load in milliseconds. */
export const testGgufShape = {
  embeddingLength: 32,
  blockCount: 2,
  feedForwardLength: 64,
  headCount: 4,
  headCountKv: 2,
  contextLength: 4096,
} as const;

/**
 * Word pieces of the generated vocabulary (SentencePiece style, `▁` marks a word start). Every
 * prefix of each piece is added too, so the SentencePiece merge step can build them.
 */
const words = [
  "a",
  "the",
  "cat",
  "dog",
  "sat",
  "on",
  "mat",
  "and",
  "is",
  "it",
  "was",
  "ran",
  "big",
  "red",
  "once",
  "upon",
  "time",
  "little",
  "girl",
  "boy",
  "sun",
  "tree",
  "happy",
  "play",
  "with",
  "to",
  "of",
  "in",
  "he",
  "she",
  "they",
  "said",
  "hello",
  "yes",
  "no",
  "one",
  "two",
  "day",
  "park",
  "Lily",
];

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
const ALIGNMENT = 32;

const enum ValueType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}

const enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  Byte = 6,
}

type MetadataValue =
  | { type: ValueType.Uint32 | ValueType.Int32 | ValueType.Float32; value: number }
  | { type: ValueType.Bool; value: boolean }
  | { type: ValueType.String; value: string }
  | { type: ValueType.Array; itemType: ValueType.String; value: string[] }
  | { type: ValueType.Array; itemType: ValueType.Float32 | ValueType.Int32; value: number[] };

interface Tensor {
  name: string;
  /** GGML order: `dims[0]` is the fastest-moving (row length). */
  dims: number[];
  data: Float32Array;
}

/**
 * Writes a tiny llama-architecture GGUF (version 3, f32 tensors, 32-byte alignment) with
 * deterministic random weights and a SentencePiece ("llama") tokenizer of about 300 tokens:
 * `<unk>`, `<s>`, `</s>`, the 256 byte tokens `<0x00>`..`<0xFF>` and some English word pieces.
 *
 * node-llama-cpp loads it and generates from it. The weights are random, but the output layer
 * favours word pieces and disfavours `</s>`, so sampling yields (nonsense) words rather than
 * ending at once.
 *
 * @param path - Where to write the file; missing parent directories are created.
 * @param options - {@link WriteTestGgufOptions}.
 * @example
 * ```ts
 * await writeTestGguf("/tmp/tiny.gguf", { seed: 7 });
 * ```
 */
export async function writeTestGguf(path: string, options: WriteTestGgufOptions = {}): Promise<WriteTestGgufResult> {
  const bytes = buildTestGguf({ seed: options.seed ?? 1 });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return { path, sizeBytes: bytes.byteLength };
}

/**
 * Builds the bytes {@link writeTestGguf} writes.
 *
 * @internal
 */
export function buildTestGguf({ seed }: { seed: number }): Uint8Array {
  const random = mulberry32(seed);
  const vocab = buildVocabulary();
  const { embeddingLength: nEmbd, blockCount, feedForwardLength: nFf, headCount, headCountKv } = testGgufShape;
  const headDim = nEmbd / headCount;
  const nEmbdKv = headDim * headCountKv;
  const nVocab = vocab.tokens.length;

  const metadata: Array<[string, MetadataValue]> = [
    ["general.architecture", { type: ValueType.String, value: "llama" }],
    ["general.name", { type: ValueType.String, value: "tinyllm-test" }],
    ["general.alignment", { type: ValueType.Uint32, value: ALIGNMENT }],
    ["llama.context_length", { type: ValueType.Uint32, value: testGgufShape.contextLength }],
    ["llama.embedding_length", { type: ValueType.Uint32, value: nEmbd }],
    ["llama.block_count", { type: ValueType.Uint32, value: blockCount }],
    ["llama.feed_forward_length", { type: ValueType.Uint32, value: nFf }],
    ["llama.attention.head_count", { type: ValueType.Uint32, value: headCount }],
    ["llama.attention.head_count_kv", { type: ValueType.Uint32, value: headCountKv }],
    ["llama.rope.dimension_count", { type: ValueType.Uint32, value: headDim }],
    ["llama.attention.layer_norm_rms_epsilon", { type: ValueType.Float32, value: 1e-5 }],
    ["tokenizer.ggml.model", { type: ValueType.String, value: "llama" }],
    ["tokenizer.ggml.tokens", { type: ValueType.Array, itemType: ValueType.String, value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: ValueType.Array, itemType: ValueType.Float32, value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: ValueType.Array, itemType: ValueType.Int32, value: vocab.types }],
    ["tokenizer.ggml.unknown_token_id", { type: ValueType.Uint32, value: 0 }],
    ["tokenizer.ggml.bos_token_id", { type: ValueType.Uint32, value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: ValueType.Uint32, value: 2 }],
    ["tokenizer.ggml.add_bos_token", { type: ValueType.Bool, value: true }],
    ["tokenizer.ggml.add_eos_token", { type: ValueType.Bool, value: false }],
  ];

  const uniform = (count: number, scale: number): Float32Array => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (random() * 2 - 1) * scale;
    return out;
  };
  const ones = (count: number): Float32Array => new Float32Array(count).fill(1);
  const matrix = (inputs: number, outputs: number, name: string): Tensor => ({
    name,
    dims: [inputs, outputs],
    data: uniform(inputs * outputs, 1 / Math.sqrt(inputs)),
  });

  // Token embeddings share a strong component on dimension 0. It survives the residual stream,
  // so after the final RMS norm it acts as a constant input that the output layer turns into a
  // per-token bias (column 0 of output.weight).
  const tokenEmbedding = uniform(nEmbd * nVocab, 0.3);
  for (let token = 0; token < nVocab; token++) tokenEmbedding[token * nEmbd] = 4;
  const output = uniform(nEmbd * nVocab, 0.5);
  for (let token = 0; token < nVocab; token++) {
    output[token * nEmbd] = vocab.logitBias[token]! / Math.sqrt(nEmbd);
  }

  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab], data: tokenEmbedding },
    { name: "output_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", dims: [nEmbd, nVocab], data: output },
  ];
  for (let block = 0; block < blockCount; block++) {
    const prefix = `blk.${block}.`;
    tensors.push(
      { name: `${prefix}attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      matrix(nEmbd, nEmbd, `${prefix}attn_q.weight`),
      matrix(nEmbd, nEmbdKv, `${prefix}attn_k.weight`),
      matrix(nEmbd, nEmbdKv, `${prefix}attn_v.weight`),
      matrix(nEmbd, nEmbd, `${prefix}attn_output.weight`),
      { name: `${prefix}ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      matrix(nEmbd, nFf, `${prefix}ffn_gate.weight`),
      matrix(nFf, nEmbd, `${prefix}ffn_down.weight`),
      matrix(nEmbd, nFf, `${prefix}ffn_up.weight`),
    );
  }

  return serialize(metadata, tensors);
}

function buildVocabulary(): { tokens: string[]; scores: number[]; types: number[]; logitBias: number[] } {
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const scores: number[] = [0, 0, 0];
  const types: number[] = [TokenType.Unknown, TokenType.Control, TokenType.Control];
  const logitBias: number[] = [-20, -20, -6];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    scores.push(0);
    types.push(TokenType.Byte);
    const printable = byte >= 0x20 && byte < 0x7f;
    logitBias.push(printable ? 0 : -20);
  }
  const pieces = new Set<string>();
  for (const word of words) {
    const piece = `▁${word}`;
    for (let length = 1; length <= piece.length; length++) pieces.add(piece.slice(0, length));
  }
  const fullWords = new Set(words.map((word) => `▁${word}`));
  for (const piece of pieces) {
    tokens.push(piece);
    // SentencePiece merges the highest-scoring pair first: prefer longer pieces.
    scores.push(-100 + piece.length);
    types.push(TokenType.Normal);
    logitBias.push(fullWords.has(piece) ? 6 : 1);
  }
  return { tokens, scores, types, logitBias };
}

function serialize(metadata: Array<[string, MetadataValue]>, tensors: Tensor[]): Uint8Array {
  const writer = new ByteWriter();
  writer.u32(GGUF_MAGIC);
  writer.u32(GGUF_VERSION);
  writer.u64(tensors.length);
  writer.u64(metadata.length);
  for (const [key, value] of metadata) {
    writer.string(key);
    writer.u32(value.type);
    writeValue(writer, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    offsets.push(offset);
    writer.string(tensor.name);
    writer.u32(tensor.dims.length);
    for (const dim of tensor.dims) writer.u64(dim);
    writer.u32(0); // GGML_TYPE_F32
    writer.u64(offset);
    offset = alignUp(offset + tensor.data.byteLength, ALIGNMENT);
  }
  writer.padTo(ALIGNMENT);
  const dataStart = writer.length;
  tensors.forEach((tensor, index) => {
    writer.padTo(ALIGNMENT);
    if (writer.length - dataStart !== offsets[index]) throw new Error(`tensor ${tensor.name} is misaligned`);
    writer.f32Array(tensor.data);
  });
  writer.padTo(ALIGNMENT);
  return writer.toBytes();
}

function writeValue(writer: ByteWriter, value: MetadataValue): void {
  switch (value.type) {
    case ValueType.Uint32:
      writer.u32(value.value);
      return;
    case ValueType.Int32:
      writer.i32(value.value);
      return;
    case ValueType.Float32:
      writer.f32(value.value);
      return;
    case ValueType.Bool:
      writer.u8(value.value ? 1 : 0);
      return;
    case ValueType.String:
      writer.string(value.value);
      return;
    case ValueType.Array:
      writer.u32(value.itemType);
      writer.u64(value.value.length);
      for (const item of value.value) {
        if (value.itemType === ValueType.String) writer.string(item as string);
        else if (value.itemType === ValueType.Float32) writer.f32(item as number);
        else writer.i32(item as number);
      }
      return;
  }
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** A growable little-endian byte buffer. */
class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(bytes: number): number {
    const at = this.length;
    if (at + bytes > this.buffer.length) {
      let size = this.buffer.length * 2;
      while (at + bytes > size) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buffer.subarray(0, at));
      this.buffer = next;
      this.view = new DataView(next.buffer);
    }
    this.length += bytes;
    return at;
  }

  u8(value: number): void {
    this.view.setUint8(this.reserve(1), value);
  }
  u32(value: number): void {
    this.view.setUint32(this.reserve(4), value, true);
  }
  i32(value: number): void {
    this.view.setInt32(this.reserve(4), value, true);
  }
  u64(value: number): void {
    this.view.setBigUint64(this.reserve(8), BigInt(value), true);
  }
  f32(value: number): void {
    this.view.setFloat32(this.reserve(4), value, true);
  }
  string(value: string): void {
    const bytes = new TextEncoder().encode(value);
    this.u64(bytes.length);
    this.buffer.set(bytes, this.reserve(bytes.length));
  }
  f32Array(values: Float32Array): void {
    const at = this.reserve(values.byteLength);
    for (let i = 0; i < values.length; i++) this.view.setFloat32(at + i * 4, values[i]!, true);
  }
  padTo(alignment: number): void {
    const padding = alignUp(this.length, alignment) - this.length;
    if (padding > 0) this.reserve(padding); // new bytes are already zero
  }
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
