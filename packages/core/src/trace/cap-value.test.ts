import { describe, expect, it } from "vitest";
import { capValue, capValueShared, safeStringify, type CopyMemo } from "./cap-value";

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

describe("capValue on small nested plain data", () => {
  it("gives exactly the JSON round trip of random plain values that fit", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const make = (depth: number): unknown => {
      const pick = random();
      if (depth > 3 || pick < 0.3) return ['text "quoted" \n', 42, -0, 3.5, true, null, undefined, "é✓"][Math.floor(random() * 8)];
      if (pick < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}`, make(depth + 1)]));
    };
    for (let n = 0; n < 500; n++) {
      const value = { input: "q", conversation: { turns: [{ role: "user", content: "hi" }] }, extra: make(0) };
      expect(capValue(value, 100_000)).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it("copies a chat state detached from the original, and leaves what is not plain to the bounded walk", () => {
    const state = { input: "hello", conversation: { turns: [{ role: "user", content: "earlier" }] }, memoryOwners: { user: "u" } };
    const capped = capValue(state, 2000) as typeof state;
    expect(capped).toEqual(state);
    state.conversation.turns[0]!.content = "changed";
    expect(capped.conversation.turns[0]!.content).toBe("earlier");
    expect(capValue({ nested: { when: new Date(0) } }, 2000)).toEqual({ nested: { when: "1970-01-01T00:00:00.000Z" } });
    expect(capValue({ nested: { map: new Map([["a", 1]]) } }, 2000)).toEqual({ nested: { map: {} } });
    expect(capValue({ list: [1, undefined, Number.POSITIVE_INFINITY] }, 2000)).toEqual({ list: [1, null, null] });
    let deep: unknown = "bottom";
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(capValue(deep, 10_000)).toEqual(JSON.parse(JSON.stringify(deep)));
    expect(capValue({ turns: Array.from({ length: 100 }, () => ({ content: "x".repeat(100) })) }, 2000)).toMatchObject({ truncated: true });
    const getter = {
      inner: Object.defineProperty({}, "boom", {
        enumerable: true,
        get: () => {
          throw new Error("no");
        },
      }),
    };
    expect(() => capValue(getter, 2000)).not.toThrow();
  });
});

describe("capValue's fast copy", () => {
  it("reads getters as JSON.stringify does and writes -0 as 0", () => {
    const value = {
      flat: -0,
      list: [-0],
      get computed() {
        return { n: 1 };
      },
    };
    expect(capValue(value, 2000)).toEqual({ flat: 0, list: [0], computed: { n: 1 } });
    expect(capValue(value, 2000)).toEqual(JSON.parse(JSON.stringify(value)));
  });
});

describe("capValueShared", () => {
  it("gives each value what capValue gives, copying what the values share once", () => {
    const conversation = { turns: [{ role: "user", content: "earlier" }] };
    const first = { input: "q", conversation };
    const second = { ...first, route: "math" };
    const memo: CopyMemo = new Map();
    const [a, b, c] = [first, first, second].map((value) => capValueShared(value, 2000, memo)) as (typeof second)[];
    expect(a).toEqual(capValue(first, 2000));
    expect(c).toEqual(capValue(second, 2000));
    expect(b).toBe(a);
    expect(c!.conversation).toBe(a!.conversation);
    expect(a).not.toBe(first);
  });

  it("still caps a shared value that does not fit where it is met again", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 10; i++) deep = { deep };
    const memo: CopyMemo = new Map();
    capValueShared(deep, 10_000, memo);
    let deeper: unknown = deep;
    for (let i = 0; i < 10; i++) deeper = { deeper };
    expect(capValueShared(deeper, 10_000, memo)).toEqual(JSON.parse(JSON.stringify(deeper)));
    expect(capValueShared({ a: "x".repeat(500), b: deep }, 100, memo)).toEqual(capValue({ a: "x".repeat(500), b: deep }, 100));
  });
});
