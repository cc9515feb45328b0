import { describe, expect, test } from "vitest";
import { defaultTiers } from "./default-tiers";
import type { ModelsConfig } from "./models-config";
import { isTierId, resolveModelRef } from "./resolve-tier";
import { errorOf } from "../testing/capture-error";

function config({ tiers = {}, modelFile }: { tiers?: Partial<ModelsConfig["tiers"]>; modelFile?: string } = {}): Pick<ModelsConfig, "tiers" | "llama"> {
  return {
    tiers: { ...structuredClone(defaultTiers), ...tiers } as ModelsConfig["tiers"],
    llama: modelFile ? { modelFile } : {},
  };
}

describe("resolveModelRef", () => {
  test("ollama: a tier becomes its default tag and size", () => {
    expect(resolveModelRef("T0", "ollama", config())).toEqual({ model: "qwen2.5:0.5b", tier: "T0", memoryMB: 400 });
    expect(resolveModelRef("T1", "ollama", config())).toEqual({ model: "qwen2.5:3b", tier: "T1", memoryMB: 1900 });
    expect(resolveModelRef("T2", "ollama", config())).toEqual({ model: "qwen2.5:7b", tier: "T2", memoryMB: 4700 });
    expect(resolveModelRef("T3", "ollama", config())).toEqual({ model: "qwen2.5:14b", tier: "T3", memoryMB: 9000 });
  });

  test("tier ids are read in any case and trimmed", () => {
    expect(resolveModelRef(" t2 ", "ollama", config()).tier).toBe("T2");
  });

  test("openai: a tier uses its openai model", () => {
    const c = config({ tiers: { T1: { ollama: "qwen2.5:3b", openai: "qwen2.5-3b-instruct", memoryMB: 2000 } } });
    expect(resolveModelRef("T1", "openai", c)).toEqual({ model: "qwen2.5-3b-instruct", tier: "T1", memoryMB: 2000 });
  });

  test("openai: a tier without an openai model is MODEL_NOT_CONFIGURED", () => {
    const error = errorOf(() => resolveModelRef("T2", "openai", config()));
    expect(error.code).toBe("MODEL_NOT_CONFIGURED");
    expect(error.message).toBe("Tier T2 has no model for the openai provider.");
    expect(error.hint).toContain("tiers.T2.openai");
  });

  test("llama: a tier's own llama model wins over llama.modelFile", () => {
    const c = config({ tiers: { T0: { llama: "/m/router.gguf", memoryMB: 500 } }, modelFile: "/m/one.gguf" });
    expect(resolveModelRef("T0", "llama", c)).toEqual({ model: "/m/router.gguf", tier: "T0", memoryMB: 500 });
  });

  test("llama: tiers without a llama model fall back to llama.modelFile, so one file serves the whole graph", () => {
    const c = config({ modelFile: "/m/one.gguf" });
    for (const tier of ["T0", "T1", "T2", "T3"]) {
      // memoryMB described the tier's default model, not this file.
      expect(resolveModelRef(tier, "llama", c)).toEqual({ model: "/m/one.gguf", tier });
    }
  });

  test("llama: no tier model and no model file is MODEL_NOT_CONFIGURED saying how to set one", () => {
    const error = errorOf(() => resolveModelRef("T1", "llama", config()));
    expect(error.code).toBe("MODEL_NOT_CONFIGURED");
    expect(error.message).toBe("Tier T1 has no model for the llama provider.");
    expect(error.hint).toContain("--model-file");
    expect(error.hint).toContain("TINYLLM_MODEL_FILE");
    expect(error.hint).toContain("tiers.T1.llama");
  });

  test("a model name is used as it is", () => {
    expect(resolveModelRef("llama3.2:1b", "ollama", config())).toEqual({ model: "llama3.2:1b" });
    expect(resolveModelRef("./x.gguf", "llama", config({ modelFile: "/m/one.gguf" }))).toEqual({ model: "./x.gguf" });
  });

  test("a model name that is a tier's model for the provider brings the tier and size", () => {
    expect(resolveModelRef("qwen2.5:7b", "ollama", config())).toEqual({ model: "qwen2.5:7b", tier: "T2", memoryMB: 4700 });
    expect(resolveModelRef("qwen2.5:7b", "openai", config())).toEqual({ model: "qwen2.5:7b" });
  });

  test("an empty reference is MODEL_NOT_CONFIGURED", () => {
    expect(errorOf(() => resolveModelRef("  ", "ollama", config())).code).toBe("MODEL_NOT_CONFIGURED");
  });
});

test("isTierId", () => {
  expect(isTierId("T3")).toBe(true);
  expect(isTierId("T4")).toBe(false);
  expect(isTierId("t0")).toBe(false);
});
