import { describe, it, expect } from "vitest";
import type { ConditionNode } from "./condition-node";
import { ConditionSyntaxFailure } from "./condition-syntax-failure";
import { parseConditionTree } from "./parse-condition-tree";
import { tokenizeCondition } from "./tokenize-condition";

const tree = (source: string): ConditionNode => parseConditionTree(source, tokenizeCondition(source));

function failure(source: string): { offset: number; message: string } {
  try {
    tree(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionSyntaxFailure);
    const { offset, message } = error as ConditionSyntaxFailure;
    return { offset, message };
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

const path = (...segments: (string | number)[]): ConditionNode => ({
  kind: "path",
  segments,
  field: segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join(""),
});
const lit = (value: string | number | boolean | null): ConditionNode => ({ kind: "literal", value });

/** Compact rendering of a tree with explicit grouping, for precedence assertions. */
function show(node: ConditionNode): string {
  switch (node.kind) {
    case "literal":
      return JSON.stringify(node.value);
    case "path":
      return node.field;
    case "list":
      return `[${node.items.map(show).join(", ")}]`;
    case "not":
      return `(not ${show(node.operand)})`;
    case "and":
    case "or":
      return `(${node.operands.map(show).join(` ${node.kind} `)})`;
    case "compare":
      return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
  }
}

describe("parseConditionTree", () => {
  it("builds literals, negative numbers, paths and lists", () => {
    expect(tree("-2.5")).toEqual(lit(-2.5));
    expect(tree("- 3")).toEqual(lit(-3));
    expect(tree("null")).toEqual(lit(null));
    expect(tree("false")).toEqual(lit(false));
    expect(tree("route.labels[0]")).toEqual(path("route", "labels", 0));
    expect(tree(`[1, "a", x, -1, [true]]`)).toEqual({
      kind: "list",
      items: [lit(1), lit("a"), path("x"), lit(-1), { kind: "list", items: [lit(true)] }],
    });
    expect(tree("[]")).toEqual({ kind: "list", items: [] });
  });

  it("binds comparison tightest, then not, then and, then or (as in Python)", () => {
    expect(show(tree("a or b and c"))).toBe("(a or (b and c))");
    expect(show(tree("a and b or c and d"))).toBe("((a and b) or (c and d))");
    expect(show(tree("x == 1 and y != 2 or z"))).toBe("(((x == 1) and (y != 2)) or z)");
    expect(show(tree("not a == b"))).toBe("(not (a == b))");
    expect(show(tree('not "code" in routes'))).toBe('(not ("code" in routes))');
    expect(show(tree("not a and b"))).toBe("((not a) and b)");
    expect(show(tree("! a || b && c"))).toBe("((not a) or (b and c))");
    expect(show(tree("not not a"))).toBe("(not (not a))");
  });

  it("lets parentheses override precedence", () => {
    expect(show(tree("(a or b) and c"))).toBe("((a or b) and c)");
    expect(show(tree("not (a == b)"))).toBe("(not (a == b))");
    expect(show(tree("((a))"))).toBe("a");
  });

  it("flattens and/or chains into one node", () => {
    expect(show(tree("a and b and c and d"))).toBe("(a and b and c and d)");
    expect(show(tree("a || b or c"))).toBe("(a or b or c)");
  });

  it("parses every comparison operator including not in", () => {
    for (const op of ["==", "!=", "<", "<=", ">", ">=", "in", "not in"]) {
      expect(tree(`a ${op} 1`)).toEqual({ kind: "compare", operator: op, left: path("a"), right: lit(1) });
    }
  });

  it("rejects chained comparisons at the second operator", () => {
    expect(failure("a < b < c")).toEqual({
      offset: 6,
      message: `comparisons cannot be chained at column 7: combine them with "and", e.g. a < b and b < c`,
    });
    expect(failure("a == b != c").offset).toBe(7);
    expect(failure(`"x" in a not in b`).offset).toBe(9);
  });

  it("reports a missing right-hand side at the end of the source", () => {
    expect(failure("x > 1 and")).toEqual({ offset: 9, message: `the condition ends after "and": add the right-hand side` });
    expect(failure("x > 1 ||  ")).toEqual({ offset: 10, message: `the condition ends after "||": add the right-hand side` });
    expect(failure("x >=")).toEqual({ offset: 4, message: `the condition ends after ">=": add the right-hand side` });
    expect(failure("not")).toEqual({ offset: 3, message: `the condition ends after "not": add an expression` });
    expect(failure("x > -")).toEqual({ offset: 5, message: `the condition ends after "-": add a number` });
  });

  it("reports a missing value in the middle with its column", () => {
    expect(failure("confidence and or x")).toEqual({
      offset: 15,
      message: `expected a value after "and" at column 16, found "or"`,
    });
    expect(failure("== 1")).toEqual({ offset: 0, message: `expected a value at column 1, found "=="` });
    expect(failure("a in )").offset).toBe(5);
  });

  it("reports unbalanced parentheses", () => {
    expect(failure("(a and b")).toEqual({ offset: 8, message: `missing ")" to close the "(" at column 1` });
    expect(failure("a and b)")).toEqual({ offset: 7, message: `unmatched ")" at column 8: remove it or add a matching "("` });
    expect(failure("()")).toMatchObject({ offset: 1 });
  });

  it("reports malformed lists", () => {
    expect(failure("x in [1, 2")).toMatchObject({ offset: 10, message: expect.stringContaining(`missing "]"`) });
    expect(failure("x in [1 2]")).toMatchObject({ offset: 8, message: expect.stringContaining(`expected "," or "]" at column 9`) });
    expect(failure("x in [1,]")).toMatchObject({ offset: 8, message: expect.stringContaining("expected a list item") });
    expect(failure("x in [(1)]").offset).toBe(6);
    expect(failure("x in [not a]").offset).toBe(6);
    expect(failure("x in [a == 1]").offset).toBe(8);
    expect(failure("x in [").offset).toBe(6);
  });

  it("explains tokens that cannot follow a value", () => {
    expect(failure("a b")).toEqual({ offset: 2, message: `unexpected "b" at column 3: join conditions with "and" or "or"` });
    expect(failure("a AND b")).toMatchObject({ offset: 2, message: expect.stringContaining(`keywords are lowercase, write "and"`) });
    expect(failure("a not b")).toMatchObject({ offset: 2, message: expect.stringContaining(`"not in"`) });
    expect(failure("a - 1")).toMatchObject({ offset: 2, message: expect.stringContaining("arithmetic") });
    expect(failure("f(x)")).toMatchObject({ offset: 1, message: expect.stringContaining("function calls") });
    expect(failure(`a "s"`).message).toContain(`unexpected "s" at column 3`);
    expect(failure("-x")).toMatchObject({ offset: 0, message: expect.stringContaining("must be followed by a number") });
    expect(failure("1 --2").offset).toBe(2);
  });

  it("accepts exactly 64 levels of nesting", () => {
    expect(tree(`${"(".repeat(64)}a${")".repeat(64)}`)).toEqual(path("a"));
    expect(show(tree(`${"not ".repeat(64)}a`))).toMatch(/^\(not /);
    expect(tree(`${"[".repeat(64)}${"]".repeat(64)}`).kind).toBe("list");
    expect(() => tree(`${"(not ".repeat(32)}a${")".repeat(32)}`)).not.toThrow();
  });

  it("rejects the 65th level at the token that opens it", () => {
    const message = `the condition nests more than 64 levels deep at column 65: simplify it (nesting counts "(", "[" and "not")`;
    expect(failure(`${"(".repeat(65)}a${")".repeat(65)}`)).toEqual({ offset: 64, message });
    expect(failure(`${"!".repeat(65)}a`)).toEqual({ offset: 64, message });
    expect(failure(`${"[".repeat(65)}${"]".repeat(65)}`).offset).toBe(64);
    expect(failure(`${"(not ".repeat(33)}a${")".repeat(33)}`).offset).toBe(32 * 5);
  });

  it("does not overflow the stack on 100k open parentheses, even without the length limit", () => {
    const source = "(".repeat(100_000);
    expect(failure(source).offset).toBe(64);
    expect(failure(`${"not ".repeat(100_000)}a`).offset).toBe(64 * 4);
    expect(failure(`x in ${"[".repeat(100_000)}`).offset).toBe(5 + 64);
  });

  it("handles long flat chains without deep recursion", () => {
    const source = Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(" and ");
    const node = tree(source);
    expect(node.kind === "and" && node.operands.length).toBe(20_000);
  });
});
