/**
 * The real llama.cpp provider on the test model, shared by the short-term tests (test-only).
 */
import { basename, dirname } from "node:path";
import type { ModelProvider } from "@tinyllm/core";
import { createLlamaProvider } from "@tinyllm/models";
import { resolveTestModel } from "@tinyllm/models/testing";

/** Opens the llama provider on the test model; close it after the tests. */
export async function openTestLlama(): Promise<{ provider: ModelProvider & { close(): Promise<void> }; model: string }> {
  const { path } = await resolveTestModel();
  return { provider: createLlamaProvider({ modelsDir: dirname(path), threads: 1 }), model: basename(path) };
}
