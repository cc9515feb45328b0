import { describe, it, expect } from "vitest";
import { orderedComparators } from "./ordered-comparators";

const { "<": lt, "<=": le, ">": gt, ">=": ge } = orderedComparators;

describe("orderedComparators", () => {
  it("orders numbers", () => {
    expect([lt(1, 2), le(2, 2), gt(3, 2), ge(2, 2)]).toEqual([true, true, true, true]);
    expect([lt(2, 2), le(3, 2), gt(2, 2), ge(1, 2)]).toEqual([false, false, false, false]);
  });

  it("orders strings by code unit", () => {
    expect(lt("apple", "banana")).toBe(true);
    expect(lt("B", "a")).toBe(true);
    expect(ge("b", "b")).toBe(true);
    expect(gt("10", "9")).toBe(false);
  });

  it("gives false for mixed or non-orderable types, in every direction", () => {
    for (const [a, b] of [
      [1, "2"],
      ["1", 2],
      [null, 1],
      [undefined, 0],
      [true, false],
      [[1], [2]],
      [{}, {}],
    ] as const) {
      expect([lt(a, b), le(a, b), gt(a, b), ge(a, b)]).toEqual([false, false, false, false]);
    }
  });

  it("gives false whenever NaN is involved", () => {
    const nan = Number.NaN;
    expect([lt(nan, 1), le(nan, nan), gt(1, nan), ge(nan, nan)]).toEqual([false, false, false, false]);
  });
});
