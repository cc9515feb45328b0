import { describe, expect, it } from "vitest";
import { applyRunSampling, withRunSampling } from "./run-sampling";

const call = { model: "m", messages: [{ role: "user" as const, content: "hi" }], temperature: 0.2, maxTokens: 64 };

describe("run sampling", () => {
  it("leaves calls alone outside a run with sampling", () => {
    expect(applyRunSampling(call)).toBe(call);
    expect(withRunSampling({}, () => applyRunSampling(call))).toBe(call);
  });

  it("fills in the seed and overrides the answer's sampling, across awaits", async () => {
    const seen = await withRunSampling({ seed: 7, temperature: 0, maxTokens: 9 }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return applyRunSampling(call);
    });
    expect(seen).toEqual({ ...call, seed: 7, temperature: 0, maxTokens: 9 });
  });

  it("keeps a call's own seed and the graph's sampling of structured calls", () => {
    const structured = { ...call, seed: 1, jsonSchema: { type: "object" } };
    expect(withRunSampling({ seed: 7, temperature: 1.5 }, () => applyRunSampling(structured))).toEqual(structured);
    expect(withRunSampling({ keepAlive: "1h" }, () => applyRunSampling(structured))).toEqual({ ...structured, keepAlive: "1h" });
  });

  it("keeps concurrent runs apart", async () => {
    const one = withRunSampling({ seed: 1 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return applyRunSampling(call).seed;
    });
    const two = withRunSampling({ seed: 2 }, async () => applyRunSampling(call).seed);
    expect(await Promise.all([one, two])).toEqual([1, 2]);
  });
});
