import type { ModelProvider } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLlama } from "./llama-test-provider.fixture";
import { estimateTokens, tokenCounter } from "./token-counter";

describe("tokenCounter", () => {
  let llama: Awaited<ReturnType<typeof openTestLlama>>;
  beforeAll(async () => {
    llama = await openTestLlama();
  });
  afterAll(async () => {
    await llama?.provider.close();
  });

  it("estimates ceil(chars / 3) plus 4 per message plus 3 without a tokenizer, and knows no context size", async () => {
    const counter = tokenCounter();
    expect(counter.exact).toBe(false);
    expect(await counter.count([{ role: "user", content: "abcdefg" }], "sys")).toBe(3 + (1 + 4) + (3 + 4));
    expect(counter.contextTokens).toBeUndefined();
    expect(estimateTokens([])).toBe(3);
  });

  it("counts with the model's own tokenizer and learns its context size", async () => {
    const counter = tokenCounter(llama);
    expect(counter.exact).toBe(true);
    const short = await counter.count([{ role: "user", content: "Once upon a time" }]);
    const long = await counter.count([{ role: "user", content: "Once upon a time there was a little girl who loved the sun." }], "You tell stories.");
    expect(Number.isInteger(short)).toBe(true);
    expect(short).toBeGreaterThan(0);
    expect(long).toBeGreaterThan(short);
    expect(counter.contextTokens).toBeGreaterThan(0);
  });

  it("falls back to the estimate for good when the provider cannot count", async () => {
    const failing = {
      countTokens: async () => {
        throw new Error("model not loaded");
      },
    } as unknown as ModelProvider;
    const counter = tokenCounter({ provider: failing, model: "m" });
    expect(counter.exact).toBe(true);
    expect(await counter.count([{ role: "user", content: "abc" }])).toBe(estimateTokens([{ role: "user", content: "abc" }]));
    expect(counter.exact).toBe(false);
  });
});
