import { describe, it, expect } from "vitest";
import { compileCondition } from "./compile-condition";
import type { Predicate } from "./compile-condition";
import { parseConditionTree } from "./parse-condition-tree";
import { tokenizeCondition } from "./tokenize-condition";
import { valuesEqual } from "./values-equal";

const compiled = (source: string): Predicate => compileCondition(parseConditionTree(source, tokenizeCondition(source)));

describe("compileCondition", () => {
  it("keeps == against a scalar literal consistent with deep equality", () => {
    const general = compiled("x == y");
    for (const literal of ["1", "0", '"1"', "null", "true"]) {
      const fast = compiled(`x == ${literal}`);
      const flipped = compiled(`${literal} == x`);
      const negated = compiled(`x != ${literal}`);
      const y: unknown = JSON.parse(literal);
      for (const x of [1, 0, -0, "1", [1], true, null, undefined, Number.NaN]) {
        const expected = valuesEqual(x, y);
        expect(general({ x, y })).toBe(expected);
        expect(fast({ x })).toBe(expected);
        expect(flipped({ x })).toBe(expected);
        expect(negated({ x })).toBe(!expected);
      }
    }
    expect(compiled("x == 1")({ x: 1 })).toBe(true);
  });

  it("refills dynamic lists, including nested ones, on every evaluation", () => {
    const predicate = compiled("[[a], b] == [[1], 2]");
    expect(predicate({ a: 1, b: 2 })).toBe(true);
    expect(predicate({ a: 9, b: 2 })).toBe(false);
    expect(predicate({ a: 1, b: 2 })).toBe(true);
    expect(predicate({ b: 2 })).toBe(false);
  });

  it("keeps two dynamic lists in one expression independent", () => {
    const predicate = compiled("[a] == [b]");
    expect(predicate({ a: 1, b: 1 })).toBe(true);
    expect(predicate({ a: 1, b: 2 })).toBe(false);
  });

  it("evaluates the left side of in before the right side", () => {
    const order: string[] = [];
    const state = {
      get item(): string {
        order.push("item");
        return "a";
      },
      get list(): string[] {
        order.push("list");
        return ["a"];
      },
    };
    expect(compiled("item in list")(state)).toBe(true);
    expect(compiled("item not in list")(state)).toBe(false);
    expect(order).toEqual(["item", "list", "item", "list"]);
  });

  it("folds constant expressions to the same answers as dynamic ones", () => {
    expect(compiled("[1, [2]] == [1, [2]]")({})).toBe(true);
    expect(compiled("[]")({})).toBe(false);
    expect(compiled('["x"]')({})).toBe(true);
    expect(compiled('"b" in ["a", "b"]')({})).toBe(true);
  });

  it("handles and/or chains longer than two operands", () => {
    const all = compiled("a and b and c");
    const any = compiled("a or b or c");
    expect(all({ a: 1, b: 1, c: 1 })).toBe(true);
    expect(all({ a: 1, b: 0, c: 1 })).toBe(false);
    expect(any({ a: 0, b: 0, c: 1 })).toBe(true);
    expect(any({ a: 0, b: 0, c: 0 })).toBe(false);
  });
});
