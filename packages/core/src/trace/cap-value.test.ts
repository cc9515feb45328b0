import { describe, expect, it } from "vitest";
import { capValue, safeStringify } from "./cap-value";

describe("capValue", () => {
  it("should keep small values and cap large ones", () => {
    expect(capValue({ a: [1, "x"], b: null }, 100)).toEqual({ a: [1, "x"], b: null });
    expect(capValue("x".repeat(50), 10)).toEqual({ truncated: true, preview: "x".repeat(10), totalChars: 50 });
    const capped = capValue({ big: "y".repeat(10_000) }, 100) as { truncated: boolean; preview: string };
    expect(capped.truncated).toBe(true);
    expect(capped.preview.length).toBeLessThanOrEqual(100);
  });

  it("should stop early on a huge value instead of serializing all of it", () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ i, text: "z".repeat(50) }));
    const started = performance.now();
    for (let n = 0; n < 200; n++) capValue(huge, 2000);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("should survive cycles, bigints, throwing getters and errors", () => {
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    Object.defineProperty(cyclic, "boom", {
      enumerable: true,
      get: () => {
        throw new Error("no");
      },
    });
    cyclic.err = new Error("bad");
    const text = safeStringify(cyclic);
    expect(JSON.parse(text)).toEqual({ n: "1", self: "[circular]", boom: "[unreadable]", err: { name: "Error", message: "bad" } });
  });
});
