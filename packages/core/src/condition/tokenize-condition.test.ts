import { describe, it, expect } from "vitest";
import { ConditionSyntaxFailure } from "./condition-syntax-failure";
import type { ConditionToken } from "./condition-token";
import { tokenizeCondition } from "./tokenize-condition";

const kinds = (source: string): string[] => tokenizeCondition(source).map((t) => t.kind);

function only(source: string): ConditionToken {
  const tokens = tokenizeCondition(source);
  expect(tokens).toHaveLength(2);
  return tokens[0] as ConditionToken;
}

function failure(source: string): { offset: number; message: string } {
  try {
    tokenizeCondition(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionSyntaxFailure);
    const { offset, message } = error as ConditionSyntaxFailure;
    return { offset, message };
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe("tokenizeCondition", () => {
  it("ends with an end token at the source length", () => {
    expect(tokenizeCondition("  ")).toEqual([{ kind: "end", offset: 2, text: "" }]);
  });

  it("recognises every operator and normalises &&, || and !", () => {
    expect(kinds("== != < <= > >= ( ) [ ] , -")).toEqual(["==", "!=", "<", "<=", ">", ">=", "(", ")", "[", "]", ",", "-", "end"]);
    expect(kinds("&& || ! and or not in")).toEqual(["and", "or", "not", "and", "or", "not", "in", "end"]);
    expect(tokenizeCondition("a&&!b").map((t) => t.text)).toEqual(["a", "&&", "!", "b", ""]);
  });

  it("records offsets and skips all whitespace", () => {
    expect(tokenizeCondition(" a\t==\n\r1").map((t) => t.offset)).toEqual([1, 3, 7, 8]);
  });

  it("reads numbers: integers, decimals, exponents", () => {
    expect(only("42")).toMatchObject({ kind: "number", value: 42 });
    expect(only("0.25")).toMatchObject({ kind: "number", value: 0.25 });
    expect(only("1e3")).toMatchObject({ kind: "number", value: 1000 });
    expect(only("2.5E-2")).toMatchObject({ kind: "number", value: 0.025 });
    expect(only("1e+2")).toMatchObject({ kind: "number", value: 100 });
    expect(kinds("-1")).toEqual(["-", "number", "end"]);
  });

  it("reads strings in both quotes with escapes", () => {
    expect(only(`"it's"`)).toMatchObject({ kind: "string", value: "it's" });
    expect(only(`'say "hi"'`)).toMatchObject({ kind: "string", value: 'say "hi"' });
    expect(only(String.raw`"a\"b\'c\\d\ne\tf"`)).toMatchObject({ kind: "string", value: "a\"b'c\\d\ne\tf" });
    expect(only(`""`)).toMatchObject({ kind: "string", value: "", text: `""` });
  });

  it("reads keywords case-sensitively", () => {
    expect(kinds("true false null")).toEqual(["true", "false", "null", "end"]);
    expect(only("True")).toMatchObject({ kind: "path", segments: ["True"] });
    expect(only("AND")).toMatchObject({ kind: "path", segments: ["AND"] });
    expect(only("android")).toMatchObject({ kind: "path", segments: ["android"] });
  });

  it("reads field paths into precomputed segments and a canonical field", () => {
    expect(only("route.labels[0]")).toMatchObject({
      kind: "path",
      segments: ["route", "labels", 0],
      field: "route.labels[0]",
      text: "route.labels[0]",
    });
    expect(only("_a1.b_2[10][007].c")).toMatchObject({ segments: ["_a1", "b_2", 10, 7, "c"], field: "_a1.b_2[10][7].c" });
  });

  it("does not treat a bracket after a keyword or a space as an index", () => {
    expect(kinds("x in[1]")).toEqual(["path", "in", "[", "number", "]", "end"]);
    expect(kinds("x [0]")).toEqual(["path", "[", "number", "]", "end"]);
  });

  it("rejects prototype-related names anywhere in a path", () => {
    expect(failure("__proto__")).toMatchObject({ offset: 0 });
    expect(failure("a.constructor").offset).toBe(2);
    expect(failure("a[0].prototype.x").offset).toBe(5);
    expect(failure("a.__proto__").message).toContain("prototype");
  });

  it("rejects keywords used as field names", () => {
    expect(failure("a.in")).toEqual({ offset: 2, message: `"in" at column 3 is a keyword and cannot be used as a field name` });
    expect(failure("null.x").offset).toBe(0);
  });

  it("reports malformed paths precisely", () => {
    expect(failure("a.").offset).toBe(2);
    expect(failure("a..b").offset).toBe(2);
    expect(failure("a.1").offset).toBe(2);
    expect(failure("a[x]")).toMatchObject({ offset: 2, message: expect.stringContaining("numeric indexes") });
    expect(failure("a[1").offset).toBe(3);
    expect(failure("a[-1]").offset).toBe(2);
  });

  it("reports malformed numbers precisely", () => {
    expect(failure("1.")).toMatchObject({ offset: 2, message: expect.stringContaining("decimal point") });
    expect(failure("1e")).toMatchObject({ offset: 2, message: expect.stringContaining("exponent") });
    expect(failure("1e+").offset).toBe(3);
    expect(failure("12abc")).toMatchObject({ offset: 2, message: expect.stringContaining("after the number 12") });
    expect(failure("1.2.3").offset).toBe(3);
    expect(failure("x > .5")).toMatchObject({ offset: 4, message: expect.stringContaining("0.5") });
    expect(failure("1e999").message).toContain("too large");
  });

  it("reports unterminated strings at the opening quote", () => {
    expect(failure(`a == "abc`)).toEqual({ offset: 5, message: `unterminated string starting at column 6: add a closing "` });
    expect(failure(`'abc\\'`).offset).toBe(0);
    expect(failure(`"abc\\`).offset).toBe(0);
  });

  it("reports unknown escapes at the backslash", () => {
    expect(failure(String.raw`"a\x"`)).toMatchObject({ offset: 2, message: expect.stringContaining(String.raw`unknown escape "\x"`) });
  });

  it("explains single = & | and === !==", () => {
    expect(failure("a = 1")).toEqual({ offset: 2, message: `single "=" at column 3: use == to compare` });
    expect(failure("a => 1")).toMatchObject({ offset: 2, message: expect.stringContaining("write >=") });
    expect(failure("a === 1")).toMatchObject({ offset: 2, message: expect.stringContaining("use ==") });
    expect(failure("a !== 1")).toMatchObject({ offset: 2, message: expect.stringContaining("use !=") });
    expect(failure("a & b")).toMatchObject({ offset: 2, message: expect.stringContaining("&&") });
    expect(failure("a | b")).toMatchObject({ offset: 2, message: expect.stringContaining("||") });
  });

  it("reports unknown characters, including non-ASCII ones", () => {
    expect(failure("a # b")).toEqual({ offset: 2, message: `unexpected character "#" at column 3: remove it or put it inside a quoted string` });
    expect(failure("é == 1").offset).toBe(0);
    expect(failure("a == 😀").message).toContain(`"😀"`);
    expect(failure("a\n  $").message).toContain("line 2, column 3");
  });
});
