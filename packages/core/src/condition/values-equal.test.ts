import { describe, it, expect } from "vitest";
import { valuesEqual } from "./values-equal";

describe("valuesEqual", () => {
  it("uses strict equality for primitives", () => {
    expect(valuesEqual(1, 1)).toBe(true);
    expect(valuesEqual("a", "a")).toBe(true);
    expect(valuesEqual(null, null)).toBe(true);
    expect(valuesEqual(1, "1")).toBe(false);
    expect(valuesEqual(0, false)).toBe(false);
    expect(valuesEqual(null, undefined)).toBe(false);
  });

  it("never finds NaN equal", () => {
    expect(valuesEqual(Number.NaN, Number.NaN)).toBe(false);
    expect(valuesEqual([Number.NaN], [Number.NaN])).toBe(false);
  });

  it("compares arrays element-wise and deeply", () => {
    expect(valuesEqual(["code", "math"], ["code", "math"])).toBe(true);
    expect(valuesEqual([1, [2, [3]]], [1, [2, [3]]])).toBe(true);
    expect(valuesEqual([1, [2, [3]]], [1, [2, [4]]])).toBe(false);
    expect(valuesEqual(["math", "code"], ["code", "math"])).toBe(false);
    expect(valuesEqual([1], [1, 1])).toBe(false);
    expect(valuesEqual([], [])).toBe(true);
  });

  it("compares objects by reference only", () => {
    const o = { a: 1 };
    expect(valuesEqual(o, o)).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1 })).toBe(false);
    expect(valuesEqual([{ a: 1 }], [{ a: 1 }])).toBe(false);
  });

  it("does not overflow on distinct cyclic arrays", () => {
    const a: unknown[] = [];
    a.push(a);
    const b: unknown[] = [];
    b.push(b);
    expect(valuesEqual(a, a)).toBe(true);
    expect(valuesEqual(a, b)).toBe(false);
  });
});
