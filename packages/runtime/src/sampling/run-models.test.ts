import { describe, expect, it } from "vitest";
import type { ModelProvider, ModelRef } from "@tinyllm/core";
import { runModelsResolver, withRunModels } from "./run-models";

const provider = { id: "test" } as unknown as ModelProvider;
const seen: ModelRef[] = [];
const resolve = runModelsResolver((ref) => {
  seen.push(ref);
  return { provider, model: ref.model ?? `tier-${ref.tier}` };
});

describe("run models", () => {
  it("gives a tier the run's model, across awaits, and leaves other tiers and named models alone", async () => {
    const models = await withRunModels({ T1: "qwen2.5:3b" }, async () => {
      await new Promise((r) => setImmediate(r));
      return [resolve({ tier: "T1" }).model, resolve({ tier: "T0" }).model, resolve({ tier: "T1", model: "own" }).model];
    });
    expect(models).toEqual(["qwen2.5:3b", "tier-T0", "own"]);
    expect(resolve({ tier: "T1" }).model).toBe("tier-T1");
  });

  it("keeps concurrent runs apart", async () => {
    const one = withRunModels({ T1: "a" }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return resolve({ tier: "T1" }).model;
    });
    const two = withRunModels({ T1: "b" }, async () => resolve({ tier: "T1" }).model);
    expect(await Promise.all([one, two])).toEqual(["a", "b"]);
  });
});
