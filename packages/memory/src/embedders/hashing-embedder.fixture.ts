/**
 * A deterministic stand-in embedder for tests (test-only): each word, lower-cased, hashed into
 * one of `dimensions` buckets, the counts L2-normalised. It carries no meaning beyond shared
 * words, but its vectors are real, stable and cheap, so the vector path of a store can be
 * tested without a model.
 */
import { createHash } from "node:crypto";
import type { Embedder } from "@tinyllm/core";

/** A hashed bag-of-words {@link Embedder} with id `test:hashing-<dimensions>`; `calls` counts embed calls. */
export function hashingEmbedder(dimensions = 64, id = `test:hashing-${dimensions}`): Embedder & { calls: number } {
  const embedder = {
    id,
    dimensions,
    calls: 0,
    async embed(texts: string[]): Promise<number[][]> {
      embedder.calls++;
      return texts.map((text) => {
        const vector = new Array<number>(dimensions).fill(0);
        for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
          if (word === "") continue;
          vector[createHash("sha1").update(word).digest().readUInt32BE(0) % dimensions]! += 1;
        }
        const norm = Math.hypot(...vector) || 1;
        return vector.map((x) => x / norm);
      });
    },
  };
  return embedder;
}
