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

describe("capValue on small flat objects", () => {
  it("copies them as they are, detached from the original", () => {
    const state = { input: "hello", count: 3, ok: true, none: null, gone: undefined };
    const capped = capValue(state, 2000) as Record<string, unknown>;
    expect(capped).toEqual({ input: "hello", count: 3, ok: true, none: null });
    expect(capped).not.toBe(state);
    state.input = "changed";
    expect(capped.input).toBe("hello");
    expect(JSON.parse(JSON.stringify(capped))).toEqual(capped);
  });

  it("gives the bounded form when they do not fit, and walks what is not flat", () => {
    expect(capValue({ text: "x".repeat(5000) }, 100)).toMatchObject({ truncated: true });
    expect(capValue({ n: Number.NaN, nested: { a: 1 } }, 2000)).toEqual({ n: null, nested: { a: 1 } });
    const tricky = Object.defineProperty({ a: 1 }, "boom", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    expect(() => capValue(tricky, 2000)).not.toThrow();
    expect(capValue(new Map([["a", 1]]), 2000)).toEqual({});
  });
});
