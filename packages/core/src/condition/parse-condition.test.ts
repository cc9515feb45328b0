import { describe, it, expect } from "vitest";
import type { Condition, ConditionSyntaxError } from "./index";
import { parseCondition } from "./index";

function compile(source: string): Condition {
  const result = parseCondition(source);
  if (!result.ok) throw new Error(`unexpected syntax error: ${result.error.message}`);
  return result.condition;
}

function syntaxError(source: string): ConditionSyntaxError {
  const result = parseCondition(source);
  if (result.ok) throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
  return result.error;
}

const run = (source: string, state: Record<string, unknown> = {}): boolean => compile(source).evaluate(state);

const state = {
  confidence: 0.82,
  count: 3,
  zero: 0,
  name: "router",
  empty: "",
  ok: true,
  no: false,
  nothing: null,
  nan: Number.NaN,
  labels: ["code", "math"],
  none: [],
  nested: [[1, 2], [3]],
  route: { name: "code", labels: ["primary", "backup"], score: 7 },
  scores: { code: 0.9, math: 0.1 },
};

describe("parseCondition: result shape", () => {
  it("returns a frozen condition carrying its source", () => {
    const condition = compile("confidence > 0.5");
    expect(condition.source).toBe("confidence > 0.5");
    expect(Object.isFrozen(condition)).toBe(true);
    expect(Object.isFrozen(condition.fields)).toBe(true);
  });

  it("lists read fields deduplicated in order of first appearance", () => {
    expect(compile(`route.name == "code" and confidence > 0.5 or route.name in [x.y, labels[0], confidence]`).fields).toEqual([
      "route.name",
      "confidence",
      "x.y",
      "labels[0]",
    ]);
    expect(compile(`1 == 1 and "a" in ["a"]`).fields).toEqual([]);
    expect(compile("a.b[2][0].c").fields).toEqual(["a.b[2][0].c"]);
  });

  it("accepts multi-line sources", () => {
    expect(run("count > 1\n  and\tok", state)).toBe(true);
  });
});

describe("evaluate: truthiness of bare values", () => {
  it.each([
    ["true", true],
    ["false", false],
    ["null", false],
    ["0", false],
    ["-1", true],
    ['""', false],
    ['"0"', true],
    ["[]", false],
    ["[0]", true],
  ])("%s is %s", (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it("tests fields for truthiness, with empty arrays false and missing fields false", () => {
    expect([run("ok", state), run("no", state), run("zero", state), run("count", state)]).toEqual([true, false, false, true]);
    expect([run("empty", state), run("name", state), run("nothing", state), run("nan", state)]).toEqual([false, true, false, false]);
    expect([run("labels", state), run("none", state), run("route", state), run("missing", state)]).toEqual([true, false, true, false]);
  });

  it("applies truthiness to operands of and, or, not", () => {
    expect(run("labels and name", state)).toBe(true);
    expect(run("none or empty", state)).toBe(false);
    expect(run("not none", state)).toBe(true);
    expect(run("!missing && !!count", state)).toBe(true);
  });
});

describe("evaluate: equality", () => {
  it("uses strict equality for primitives", () => {
    expect(run(`name == "router"`, state)).toBe(true);
    expect(run(`name != "router"`, state)).toBe(false);
    expect(run(`count == 3`, state)).toBe(true);
    expect(run(`count == "3"`, state)).toBe(false);
    expect(run(`count != "3"`, state)).toBe(true);
    expect(run(`zero == false`, state)).toBe(false);
    expect(run(`nothing == null`, state)).toBe(true);
    expect(run(`ok == true and no == false`, state)).toBe(true);
    expect(run(`route.name == name`, state)).toBe(false);
    expect(run(`"code" == route.name`, state)).toBe(true);
  });

  it("does not equate a missing field with null", () => {
    expect(run("missing == null", state)).toBe(false);
    expect(run("missing != null", state)).toBe(true);
  });

  it("never finds NaN equal, even to itself", () => {
    expect(run("nan == nan", state)).toBe(false);
    expect(run("nan != nan", state)).toBe(true);
  });

  it("compares arrays element-wise and deeply", () => {
    expect(run(`labels == ["code", "math"]`, state)).toBe(true);
    expect(run(`["code", "math"] == labels`, state)).toBe(true);
    expect(run(`labels == ["math", "code"]`, state)).toBe(false);
    expect(run(`labels != ["math", "code"]`, state)).toBe(true);
    expect(run(`labels == ["code"]`, state)).toBe(false);
    expect(run(`nested == [[1, 2], [3]]`, state)).toBe(true);
    expect(run(`nested == [[1, 2], [4]]`, state)).toBe(false);
    expect(run(`none == []`, state)).toBe(true);
    expect(run(`labels == route.labels`, state)).toBe(false);
  });

  it("builds lists containing fields from the current state on every evaluation", () => {
    const condition = compile("[count, name] == [3, 'router']");
    expect(condition.evaluate(state)).toBe(true);
    expect(condition.evaluate({ count: 4, name: "router" })).toBe(false);
    expect(condition.evaluate({ count: 3, name: "router" })).toBe(true);
    expect(condition.evaluate({})).toBe(false);
  });

  it("compares objects by reference only", () => {
    const shared = { a: 1 };
    expect(run("x == y", { x: shared, y: shared })).toBe(true);
    expect(run("x == y", { x: { a: 1 }, y: { a: 1 } })).toBe(false);
  });
});

describe("evaluate: ordering", () => {
  it("orders numbers with every operator", () => {
    expect([run("count < 4", state), run("count < 3", state)]).toEqual([true, false]);
    expect([run("count <= 3", state), run("count <= 2", state)]).toEqual([true, false]);
    expect([run("count > 2", state), run("count > 3", state)]).toEqual([true, false]);
    expect([run("count >= 3", state), run("count >= 4", state)]).toEqual([true, false]);
  });

  it("reads decimal, exponent and negative literals", () => {
    expect(run("confidence >= 0.82 and confidence < 82e-2", state)).toBe(false);
    expect(run("confidence == 82e-2 and confidence == 0.82", state)).toBe(true);
    expect(run("confidence > 8.1E-1", state)).toBe(true);
    expect(run("-5 < zero and zero > -0.5 and -1e3 < -999", state)).toBe(true);
    expect(run("count < 1e3", state)).toBe(true);
  });

  it("orders strings", () => {
    expect(run(`name > "apple"`, state)).toBe(true);
    expect(run(`name <= "router"`, state)).toBe(true);
    expect(run(`"Z" < "a"`)).toBe(true);
  });

  it("gives false for every mismatch, missing field or NaN, in both directions", () => {
    for (const op of ["<", "<=", ">", ">="]) {
      expect(run(`count ${op} "3"`, state)).toBe(false);
      expect(run(`"3" ${op} count`, state)).toBe(false);
      expect(run(`missing ${op} 1`, state)).toBe(false);
      expect(run(`1 ${op} missing`, state)).toBe(false);
      expect(run(`nothing ${op} 0`, state)).toBe(false);
      expect(run(`ok ${op} no`, state)).toBe(false);
      expect(run(`labels ${op} labels`, state)).toBe(false);
      expect(run(`nan ${op} 1`, state)).toBe(false);
      expect(run(`nan ${op} nan`, state)).toBe(false);
    }
  });
});

describe("evaluate: membership", () => {
  it("tests arrays with strict equality", () => {
    expect(run(`"code" in labels`, state)).toBe(true);
    expect(run(`"chat" in labels`, state)).toBe(false);
    expect(run(`"chat" not in labels`, state)).toBe(true);
    expect(run(`"code" not in labels`, state)).toBe(false);
    expect(run(`3 in [1, 2, "3"]`)).toBe(false);
    expect(run(`route.name in labels`, state)).toBe(true);
    expect(run(`[1, 2] in nested`, state)).toBe(false);
  });

  it("tests against list literals that contain fields", () => {
    expect(run(`route.name in [name, "code"]`, state)).toBe(true);
    expect(run(`route.name in [name, missing]`, state)).toBe(false);
    expect(run(`name not in [route.name, route.labels[0]]`, state)).toBe(true);
  });

  it("tests strings by substring", () => {
    expect(run(`"out" in name`, state)).toBe(true);
    expect(run(`"xyz" in name`, state)).toBe(false);
    expect(run(`"xyz" not in name`, state)).toBe(true);
  });

  it("tests plain objects by own key", () => {
    expect(run(`"code" in scores`, state)).toBe(true);
    expect(run(`"chat" in scores`, state)).toBe(false);
    expect(run(`"chat" not in scores`, state)).toBe(true);
    expect(run(`route.name in scores`, state)).toBe(true);
  });

  it("makes both in and not in false when the right side cannot contain anything", () => {
    for (const right of ["missing", "count", "nothing", "ok"]) {
      expect(run(`"a" in ${right}`, state)).toBe(false);
      expect(run(`"a" not in ${right}`, state)).toBe(false);
    }
    expect(run(`3 in name`, state)).toBe(false);
    expect(run(`3 not in name`, state)).toBe(false);
    expect(run(`"a" not in d`, { d: new Date() })).toBe(false);
    expect(run(`"a" not in m`, { m: new Map() })).toBe(false);
  });

  it("never finds inherited keys", () => {
    expect(run(`"toString" in scores`, state)).toBe(false);
    expect(run(`"constructor" in scores`, state)).toBe(false);
    expect(run(`"__proto__" in scores`, state)).toBe(false);
    expect(run(`"map" in labels`, state)).toBe(false);
  });
});

describe("evaluate: boolean logic and precedence", () => {
  const truthTable = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;

  it("implements and, or, not with both spellings", () => {
    for (const [a, b] of truthTable) {
      const s = { a, b };
      expect(run("a and b", s)).toBe(a && b);
      expect(run("a && b", s)).toBe(a && b);
      expect(run("a or b", s)).toBe(a || b);
      expect(run("a || b", s)).toBe(a || b);
      expect(run("not a", s)).toBe(!a);
      expect(run("!a", s)).toBe(!a);
    }
  });

  it("binds and tighter than or", () => {
    expect(run("ok or no and no", state)).toBe(true);
    expect(run("(ok or no) and no", state)).toBe(false);
  });

  it("binds not tighter than comparison", () => {
    // (not count) == false, i.e. false == false.
    expect(run("not count == false", state)).toBe(true);
    expect(run("not (count == false)", state)).toBe(true);
    // (not zero) == 0 is true == 0: false; the parenthesised form is not (false).
    expect(run("not zero == 0", state)).toBe(false);
    expect(run("not (zero == 0)", state)).toBe(false);
    expect(run("not (zero == 1)", state)).toBe(true);
  });

  it("evaluates long and/or chains", () => {
    expect(run("ok and ok and count and name", state)).toBe(true);
    expect(run("ok and ok and count and empty", state)).toBe(false);
    expect(run("no or zero or empty or nothing", state)).toBe(false);
    expect(run("no or zero or empty or labels", state)).toBe(true);
  });

  it("short-circuits: skipped operands are never read", () => {
    let reads = 0;
    const spy = {
      get x(): boolean {
        reads++;
        return true;
      },
    };
    expect(run("false and x", spy)).toBe(false);
    expect(run("true or x", spy)).toBe(true);
    expect(run("false and x and x", spy)).toBe(false);
    expect(run("true or x or x", spy)).toBe(true);
    expect(reads).toBe(0);
    expect(run("true and x", spy)).toBe(true);
    expect(reads).toBe(1);
  });

  it("compares boolean results of parenthesised expressions", () => {
    expect(run("(count > 1) == true", state)).toBe(true);
    expect(run("(count > 1 and no) != false", state)).toBe(false);
  });
});

describe("evaluate: field paths", () => {
  it("reads nested fields, indexes and lengths", () => {
    expect(run(`route.labels[1] == "backup"`, state)).toBe(true);
    expect(run(`nested[0][1] == 2`, state)).toBe(true);
    expect(run(`labels.length == 2 and name.length == 6`, state)).toBe(true);
    expect(run(`route.score > 5`, state)).toBe(true);
  });

  it("reads missing paths as undefined without throwing", () => {
    expect(run("missing.deep[3].x == 1", state)).toBe(false);
    expect(run("labels[9] == null", state)).toBe(false);
    expect(run("count.x", state)).toBe(false);
    expect(run("nothing.x != 1", state)).toBe(true);
    expect(run("route.labels[5]", state)).toBe(false);
  });

  it("indexes strings by character but not objects numerically", () => {
    expect(run(`o[0] == "x"`, { o: { 0: "x" } })).toBe(false);
    expect(run(`s[0] == "a"`, { s: "abc" })).toBe(true);
    expect(run(`s[9] == "a"`, { s: "abc" })).toBe(false);
  });
});

describe("prototype safety", () => {
  it.each(["constructor", "__proto__", "prototype", "a.constructor", "a.__proto__.polluted", "a[0].prototype", "x.constructor.name == 'Object'"])(
    "rejects the path in %s",
    (source) => {
      const error = syntaxError(source);
      expect(error.message).toContain("cannot be used in a field path");
      expect(source.slice(error.offset)).toMatch(/^(constructor|__proto__|prototype)/);
    },
  );

  it("never reads inherited members", () => {
    expect(run("toString", {})).toBe(false);
    expect(run("hasOwnProperty", state)).toBe(false);
    expect(run("labels.map", state)).toBe(false);
    expect(run("name.toUpperCase", state)).toBe(false);
    const child = Object.create({ secret: "yes" }) as object;
    expect(run(`c.secret == "yes"`, { c: child })).toBe(false);
  });

  it("treats an own __proto__ key from JSON as data, not as the prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(run(`"__proto__" in p`, { p: parsed })).toBe(true);
    expect(run(`"polluted" in p`, { p: parsed })).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("evaluate never throws", () => {
  it("returns false when a getter or proxy throws", () => {
    const throwing = {
      get x(): never {
        throw new Error("boom");
      },
    };
    expect(run("x == 1", throwing)).toBe(false);
    expect(run("not x", throwing)).toBe(false);
    const proxy = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    expect(run("a", proxy)).toBe(false);
    expect(run(`"a" in p`, { p: proxy })).toBe(false);
  });

  it("returns false for non-object states", () => {
    const condition = compile("not a.b");
    expect(condition.evaluate(null as unknown as Record<string, unknown>)).toBe(true);
    expect(compile("a == 1").evaluate(undefined as unknown as Record<string, unknown>)).toBe(false);
  });

  it("survives cyclic arrays", () => {
    const a: unknown[] = [];
    a.push(a);
    const b: unknown[] = [];
    b.push(b);
    expect(run("a == b", { a, b })).toBe(false);
    expect(run("a == a", { a })).toBe(true);
  });
});

describe("syntax errors", () => {
  it("rejects empty and whitespace-only sources", () => {
    const message = "the condition is empty: write an expression such as confidence > 0.5";
    expect(syntaxError("")).toEqual({ message, offset: 0 });
    expect(syntaxError(" \n\t ")).toEqual({ message, offset: 0 });
  });

  it("gives exact offsets and helpful messages", () => {
    expect(syntaxError("confidence > 0.5 and")).toEqual({
      offset: 20,
      message: `the condition ends after "and": add the right-hand side`,
    });
    expect(syntaxError("confidence = 0.5")).toEqual({ offset: 11, message: `single "=" at column 12: use == to compare` });
    expect(syntaxError(`route == "code`)).toEqual({ offset: 9, message: `unterminated string starting at column 10: add a closing "` });
    expect(syntaxError("a < b < c")).toMatchObject({ offset: 6, message: expect.stringContaining(`combine them with "and"`) });
    expect(syntaxError("count > 1 @")).toMatchObject({ offset: 10, message: expect.stringContaining(`unexpected character "@"`) });
    expect(syntaxError("Count > 1 And ok")).toMatchObject({ offset: 10, message: expect.stringContaining(`write "and"`) });
  });

  it("rejects keywords as field names", () => {
    expect(syntaxError("in == 1").offset).toBe(0);
    expect(syntaxError("route.not == 1").offset).toBe(6);
    expect(syntaxError("true.x").offset).toBe(0);
  });

  it("never throws on arbitrary input and always reports an offset inside the source", () => {
    const alphabet = [
      "a",
      "b",
      ".",
      "[",
      "]",
      "0",
      "1",
      "(",
      ")",
      '"',
      "'",
      "\\",
      "=",
      "!",
      "<",
      ">",
      "&",
      "|",
      "-",
      ",",
      " ",
      "e",
      "not ",
      "and ",
      "in ",
      "or ",
      "#",
    ];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let source = "";
      const length = 1 + random(12);
      for (let j = 0; j < length; j++) source += alphabet[random(alphabet.length)];
      const result = parseCondition(source);
      if (result.ok) {
        expect(typeof result.condition.evaluate({ a: 1, b: [1] })).toBe("boolean");
      } else {
        expect(result.error.offset).toBeGreaterThanOrEqual(0);
        expect(result.error.offset).toBeLessThanOrEqual(source.length);
        expect(result.error.message.length).toBeGreaterThan(10);
      }
    }
  });
});

describe("limits", () => {
  it("accepts 2,000 characters and rejects 2,001 at offset 2,000", () => {
    const base = "a or ".repeat(399);
    const atLimit = `${base}${"b".repeat(2000 - base.length)}`;
    expect(atLimit).toHaveLength(2000);
    expect(parseCondition(atLimit).ok).toBe(true);
    const error = syntaxError(`${atLimit}b`);
    expect(error.offset).toBe(2000);
    expect(error.message).toContain("2001 characters long, over the limit of 2000");
  });

  it("accepts 64 levels of nesting and rejects 65 with the offset of the 65th", () => {
    expect(run(`${"(".repeat(64)}ok${")".repeat(64)}`, state)).toBe(true);
    expect(run(`${"not ".repeat(64)}ok`, state)).toBe(true);
    const error = syntaxError(`${"(".repeat(65)}ok${")".repeat(65)}`);
    expect(error.offset).toBe(64);
    expect(error.message).toContain("more than 64 levels");
  });

  it("rejects 100k open parentheses without overflowing the stack", () => {
    const result = parseCondition("(".repeat(100_000));
    expect(result.ok).toBe(false);
    expect(result.ok ? -1 : result.error.offset).toBe(2000);
    // Within the length limit, the depth limit catches it first.
    expect(syntaxError("(".repeat(2000)).offset).toBe(64);
    expect(syntaxError("!".repeat(2000)).offset).toBe(64);
  });
});
