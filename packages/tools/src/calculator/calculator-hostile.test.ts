import * as mathjs from "mathjs";
import { beforeAll, describe, expect, test } from "vitest";
import { getSafeMath } from "./create-safe-math";
import { evaluateExpression } from "./evaluate-expression";
import type { EvaluateExpressionOptions } from "./evaluate-expression";
import { errorOf } from "@tinyllm/models/testing";

interface HostileCase {
  name: string;
  input: string;
  code: "CALC_SYNTAX" | "CALC_FORBIDDEN" | "CALC_LIMIT" | "CALC_UNDEFINED" | "CALC_MATH";
  /** A fragment the message must contain: the refused node, function or bound. */
  mentions?: RegExp;
  options?: EvaluateExpressionOptions;
}

const deepNesting = `${"(".repeat(10_000)}1${")".repeat(10_000)}`;

/** Inputs an attacker or a confused model might send. Each must fail fast with a specific code. */
const HOSTILE: readonly HostileCase[] = [
  // mutating the instance or evaluating text
  { name: "createUnit", input: "createUnit('foo', '1 m')", code: "CALC_FORBIDDEN", mentions: /createUnit/ },
  { name: "unit created earlier", input: "1 foo", code: "CALC_UNDEFINED", mentions: /foo/ },
  { name: "evaluate", input: 'evaluate("1+1")', code: "CALC_FORBIDDEN", mentions: /evaluate/ },
  { name: "parse", input: 'parse("x")', code: "CALC_FORBIDDEN", mentions: /parse/ },
  { name: "import", input: "import({pi: 3}, {override: true})", code: "CALC_FORBIDDEN", mentions: /import/ },
  { name: "simplify", input: 'simplify("x + x")', code: "CALC_FORBIDDEN", mentions: /simplify/ },
  { name: "derivative", input: 'derivative("x^2", "x")', code: "CALC_FORBIDDEN", mentions: /derivative/ },
  { name: "rationalize", input: 'rationalize("1/x")', code: "CALC_FORBIDDEN", mentions: /rationalize/ },
  { name: "resolve", input: "resolve(x)", code: "CALC_FORBIDDEN", mentions: /resolve/ },
  { name: "compile", input: 'compile("1+1")', code: "CALC_FORBIDDEN", mentions: /compile/ },
  { name: "parser", input: "parser()", code: "CALC_FORBIDDEN", mentions: /parser/ },
  { name: "help", input: "help(sqrt)", code: "CALC_FORBIDDEN", mentions: /help/ },
  { name: "config", input: 'config({number: "BigNumber"})', code: "CALC_FORBIDDEN", mentions: /config/ },
  { name: "chain", input: "chain(1)", code: "CALC_FORBIDDEN", mentions: /chain/ },
  { name: "typed", input: 'typed("f", {})', code: "CALC_FORBIDDEN", mentions: /typed/ },
  { name: "reviver as a value", input: "reviver", code: "CALC_FORBIDDEN", mentions: /reviver/ },
  { name: "the Unit class", input: "Unit", code: "CALC_FORBIDDEN", mentions: /Unit/ },
  { name: "map with a callback", input: "map([1, 2], sqrt)", code: "CALC_FORBIDDEN", mentions: /map/ },
  { name: "print template", input: 'print("$a", {a: 1})', code: "CALC_FORBIDDEN", mentions: /print/ },
  { name: "random", input: "random()", code: "CALC_FORBIDDEN", mentions: /random/ },
  { name: "kron", input: "kron(ones(30, 30), ones(30, 30))", code: "CALC_FORBIDDEN", mentions: /kron/ },
  // scope writes and definitions
  { name: "assignment", input: "x = 5", code: "CALC_FORBIDDEN", mentions: /assignment/ },
  { name: "constant overwrite", input: "pi = 3", code: "CALC_FORBIDDEN", mentions: /assignment/ },
  { name: "function assignment", input: "f(x) = x^2", code: "CALC_FORBIDDEN", mentions: /defining functions/ },
  { name: "block with ;", input: "1; 2", code: "CALC_FORBIDDEN", mentions: /several expressions/ },
  { name: "block with a new line", input: "1\n2", code: "CALC_FORBIDDEN", mentions: /several expressions/ },
  { name: "object literal", input: "{a: 1}", code: "CALC_FORBIDDEN", mentions: /object/ },
  // escaping to JavaScript
  { name: "cos.constructor", input: "cos.constructor", code: "CALC_FORBIDDEN", mentions: /property access/ },
  { name: "constructor chain", input: '[].constructor.constructor("return process")', code: "CALC_FORBIDDEN", mentions: /calling the result/ },
  { name: "constructor chain called", input: '[].constructor.constructor("return process")()', code: "CALC_SYNTAX" },
  { name: "index with a string", input: 'a["constructor"]', code: "CALC_FORBIDDEN", mentions: /property access/ },
  { name: "string property", input: '"abc".length', code: "CALC_FORBIDDEN", mentions: /property access/ },
  { name: "string literal", input: '"x"', code: "CALC_FORBIDDEN", mentions: /strings/ },
  { name: "bignumber from a string", input: 'bignumber("1e1000000")', code: "CALC_FORBIDDEN", mentions: /strings/ },
  { name: "__proto__", input: "__proto__", code: "CALC_FORBIDDEN", mentions: /__proto__/ },
  { name: "constructor", input: "constructor", code: "CALC_FORBIDDEN", mentions: /constructor/ },
  { name: "this", input: "this", code: "CALC_FORBIDDEN", mentions: /this/ },
  { name: "eval", input: 'eval("1")', code: "CALC_FORBIDDEN", mentions: /eval/ },
  { name: "Function", input: 'Function("return 1")', code: "CALC_FORBIDDEN", mentions: /Function/ },
  { name: "calling an expression", input: "cos.constructor(1)", code: "CALC_FORBIDDEN", mentions: /calling the result/ },
  { name: "a function as a value", input: "(sqrt)(4)", code: "CALC_SYNTAX", mentions: /call it with parentheses/ },
  { name: "null", input: "null", code: "CALC_FORBIDDEN", mentions: /null/ },
  { name: "Infinity", input: "Infinity - 1", code: "CALC_FORBIDDEN", mentions: /Infinity/ },
  { name: "NaN", input: "NaN", code: "CALC_FORBIDDEN", mentions: /NaN/ },
  { name: "bitwise and", input: "2 & 3", code: "CALC_FORBIDDEN", mentions: /bitAnd/ },
  { name: "left shift", input: "1 << 1e9", code: "CALC_FORBIDDEN", mentions: /leftShift/ },
  { name: "nullish", input: "a ?? 1", code: "CALC_FORBIDDEN", mentions: /nullish/ },
  // unicode tricks
  { name: "full-width digits", input: "２+２", code: "CALC_SYNTAX", mentions: /U\+FF12/ },
  { name: "zero-width space", input: "2\u200B+2", code: "CALC_SYNTAX", mentions: /U\+200B/ },
  { name: "right-to-left override", input: "1 \u202E+ 2", code: "CALC_SYNTAX", mentions: /U\+202E\) at character 3/ },
  { name: "Cyrillic look-alike", input: 'еvaluate("1")', code: "CALC_SYNTAX", mentions: /U\+0435/ },
  { name: "NUL byte", input: "1\u0000+1", code: "CALC_SYNTAX", mentions: /U\+0000/ },
  // size, exponent, time
  { name: "zeros(20000, 20000)", input: "zeros(20000, 20000)", code: "CALC_LIMIT", mentions: /zeros/ },
  { name: "ones(1e5, 1e5)", input: "ones(1e5, 1e5)", code: "CALC_LIMIT", mentions: /ones/ },
  { name: "identity(1e6)", input: "identity(1e6)", code: "CALC_LIMIT", mentions: /identity/ },
  { name: "zeros with an infinite size", input: "zeros(1e400)", code: "CALC_LIMIT", mentions: /zeros/ },
  { name: "range(1, 1e9)", input: "range(1, 1e9)", code: "CALC_LIMIT", mentions: /range/ },
  { name: "1:1e9", input: "1:1e9", code: "CALC_LIMIT", mentions: /range/ },
  {
    name: "range whose step cannot advance (aborts the process in plain mathjs)",
    input: "range(1e16, 1e16 + 5)",
    code: "CALC_LIMIT",
    mentions: /step is too small/,
  },
  { name: "BigNumber range whose step cannot advance", input: "bignumber(10)^70 : bignumber(10)^70 + 5", code: "CALC_LIMIT", mentions: /step is too small/ },
  { name: "matrix over the cap", input: "matrix(ones(40, 40))", code: "CALC_LIMIT", mentions: /1600 elements/ },
  { name: "det(ones(500, 500))", input: "det(ones(500, 500))", code: "CALC_LIMIT", mentions: /250000 elements/ },
  { name: "outer product", input: "ones(1000, 1) * ones(1, 1000)", code: "CALC_LIMIT", mentions: /1000000 elements/ },
  { name: "matrix power 1e6", input: "pow([[1, 1], [1, 0]], 1e6)", code: "CALC_LIMIT", mentions: /matrix powers/ },
  { name: "expensive matrix power", input: "ones(31, 31)^1000", code: "CALC_LIMIT", mentions: /too expensive|10\^/ },
  { name: "2^1e9", input: "2^1e9", code: "CALC_LIMIT", mentions: /10\^301029996/ },
  { name: "10^10^10", input: "10^10^10", code: "CALC_LIMIT", mentions: /pow/ },
  { name: "bignumber power", input: "bignumber(10)^1e6", code: "CALC_LIMIT", mentions: /pow/ },
  { name: "product beyond 10^1000", input: "bignumber(10)^999 * 10^999", code: "CALC_LIMIT", mentions: /10\^1998/ },
  { name: "huge literal", input: "1e1000000", code: "CALC_LIMIT", mentions: /beyond/ },
  { name: "factorial(1e7)", input: "factorial(1e7)", code: "CALC_LIMIT", mentions: /factorial/ },
  { name: "10!!!", input: "10!!!", code: "CALC_LIMIT", mentions: /factorial/ },
  { name: "sum(1:1000)!", input: "sum(1:1000)!", code: "CALC_LIMIT", mentions: /factorial/ },
  { name: "gamma(1e308)", input: "gamma(1e308)", code: "CALC_LIMIT", mentions: /gamma/ },
  { name: "combinations(1e9, 5e8)", input: "combinations(1e9, 5e8)", code: "CALC_LIMIT", mentions: /combinations/ },
  {
    name: "combinations of big BigNumbers (mathjs loops max(k, n-k) times)",
    input: "combinations(bignumber(1e15), bignumber(3)) * 10^990",
    code: "CALC_LIMIT",
    mentions: /10\^/,
  },
  { name: "permutations(1e15, 1000) (mathjs loops forever on it)", input: "permutations(1e15, 1000)", code: "CALC_LIMIT", mentions: /permutations/ },
  { name: "isPrime(2^61)", input: "isPrime(2^61)", code: "CALC_LIMIT", mentions: /isPrime/ },
  { name: "exp(1e5)", input: "exp(1e5)", code: "CALC_LIMIT", mentions: /exp/ },
  { name: "sinh(1e6)", input: "sinh(1e6)", code: "CALC_LIMIT", mentions: /sinh/ },
  { name: "nthRoot(2, 1e-9)", input: "nthRoot(2, 1e-9)", code: "CALC_LIMIT", mentions: /nthRoot/ },
  { name: "round(pi, 1e9)", input: "round(pi, 1e9)", code: "CALC_LIMIT", mentions: /round/ },
  { name: "fraction power", input: "fraction(1, 3)^100000", code: "CALC_LIMIT", mentions: /fraction/ },
  { name: "unit power", input: "(5 m)^1e6", code: "CALC_LIMIT", mentions: /units/ },
  { name: "long unary chain", input: `${"-".repeat(200)}1`, code: "CALC_LIMIT", mentions: /nested/ },
  { name: "deep nesting (length bound)", input: deepNesting, code: "CALC_LIMIT", mentions: /20001 characters/ },
  { name: "deep nesting (nesting bound)", input: deepNesting, code: "CALC_LIMIT", mentions: /nested more than 40/, options: { maxLength: 100_000 } },
  { name: "1 MB input", input: "1+".repeat(500_000), code: "CALC_LIMIT", mentions: /1000000 characters/ },
  { name: "time budget", input: "2 + 2", code: "CALC_LIMIT", mentions: /longer than/, options: { timeoutMs: -1 } },
  // math nonsense
  { name: "division by zero", input: "1/0", code: "CALC_MATH", mentions: /division by zero/ },
  { name: "zero over zero", input: "0/0", code: "CALC_MATH", mentions: /division by zero/ },
  { name: "log(0)", input: "log(0)", code: "CALC_MATH", mentions: /log\(0\)/ },
  { name: "overflow plus NaN", input: "1e300 * 1e300 - 1e300 * 1e300 + sin(10^999)", code: "CALC_MATH" },
  {
    name: "trig of a huge BigNumber (decimal.js leaves its precision raised when it throws)",
    input: "sin(bignumber(10)^999)",
    code: "CALC_MATH",
    mentions: /sin/,
  },
  { name: "incompatible units", input: "5 km + 3 kg", code: "CALC_MATH", mentions: /Units do not match/ },
  // unknowns and syntax
  { name: "unknown function", input: "foo(1)", code: "CALC_UNDEFINED", mentions: /foo/ },
  { name: "empty", input: "   ", code: "CALC_SYNTAX", mentions: /empty/ },
  { name: "function without call", input: "sqrt", code: "CALC_SYNTAX", mentions: /call it with parentheses/ },
];

/** What a hostile input must not change in the host. */
function hostSnapshot() {
  const names = (value: object) => Object.getOwnPropertyNames(value).sort().join(",");
  return {
    objectPrototype: names(Object.prototype),
    arrayPrototype: names(Array.prototype),
    functionPrototype: names(Function.prototype),
    stringPrototype: names(String.prototype),
    numberPrototype: names(Number.prototype),
    globals: names(globalThis),
    objectToString: Object.prototype.toString,
    mathjsFunctions: ["evaluate", "parse", "import", "createUnit", "simplify", "compile", "config", "chain"].map(
      (name) => (mathjs as unknown as Record<string, unknown>)[name],
    ),
    mathjsPi: mathjs.pi,
  };
}

/** decimal.js settings of a BigNumber's class. */
function decimalSettings(value: unknown): { precision: number; rounding: number } {
  const { precision, rounding } = (value as { constructor: { precision: number; rounding: number } }).constructor;
  return { precision, rounding };
}

/** The shared default mathjs instance behaves as before: no `foo` unit, `pi` intact, scopes untouched. */
function expectDefaultMathjsUnharmed(): void {
  expect(mathjs.evaluate("1 + 1")).toBe(2);
  expect(mathjs.evaluate("pi")).toBe(Math.PI);
  expect(mathjs.Unit.isValuelessUnit("foo")).toBe(false);
  expect(decimalSettings(mathjs.bignumber(1))).toEqual({ precision: 64, rounding: 4 });
  expect(() => mathjs.evaluate("1 foo")).toThrow(/Undefined symbol foo/);
  expect(mathjs.format(mathjs.evaluate("2 km to m"))).toBe("2000 m");
  const scope = new Map<string, unknown>();
  expect(mathjs.evaluate("y = 3", scope)).toBe(3);
  expect(scope.get("y")).toBe(3);
}

/** Our private instance is unharmed too: no unit, no variable, constants intact. */
function expectCalculatorUnharmed(): void {
  expect(evaluateExpression("2 + 2").text).toBe("4");
  expect(evaluateExpression("pi").value).toBe(Math.PI);
  expect(evaluateExpression("5 km to m").text).toBe("5000 m");
  expect(errorOf(() => evaluateExpression("1 foo")).code).toBe("CALC_UNDEFINED");
  expect(errorOf(() => evaluateExpression("x")).code).toBe("CALC_UNDEFINED");
  expect(errorOf(() => evaluateExpression("f(2)")).code).toBe("CALC_UNDEFINED");
  // BigNumber settings are intact in both private instances (64 digits, rounding half up)
  expect(evaluateExpression("bignumber(2) / 3").value).toBe(`0.${"6".repeat(63)}7`);
  for (const mode of ["number", "bignumber"] as const) expect(decimalSettings(getSafeMath(mode).math.bignumber(1))).toEqual({ precision: 64, rounding: 4 });
}

describe("calculator: hostile inputs", () => {
  let before: ReturnType<typeof hostSnapshot>;
  beforeAll(() => {
    // create both private instances up front so the timings below measure the inputs
    evaluateExpression("2^64");
    before = hostSnapshot();
  });

  test("the corpus is large enough", () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(45);
  });

  test.each(HOSTILE.map((entry) => [entry.name, entry] as const))("%s", (_name, { input, code, mentions, options }) => {
    const started = performance.now();
    const error = errorOf(() => evaluateExpression(input, options));
    const elapsed = performance.now() - started;
    expect(error.code).toBe(code);
    if (mentions) expect(error.message).toMatch(mentions);
    expect(error.isRetryable).toBe(false);
    expect(error.message.length).toBeLessThan(400);
    expect(elapsed).toBeLessThan(2500);
    // the next normal call still works, and nothing leaked
    expect(evaluateExpression("sqrt(16) * 3").text).toBe("12");
    expect(evaluateExpression("bignumber(2) / 3").value).toBe(`0.${"6".repeat(63)}7`);
    expect(hostSnapshot()).toEqual(before);
  });

  test("after the whole corpus the host, mathjs and the calculator are unharmed", () => {
    for (const { input, options } of HOSTILE) errorOf(() => evaluateExpression(input, options));
    expect(hostSnapshot()).toEqual(before);
    expectDefaultMathjsUnharmed();
    expectCalculatorUnharmed();
  });

  test("the whole corpus runs in well under a second per input", () => {
    const started = performance.now();
    for (const { input, options } of HOSTILE) errorOf(() => evaluateExpression(input, options));
    expect((performance.now() - started) / HOSTILE.length).toBeLessThan(200);
  });

  test("non-string input is refused", () => {
    expect(errorOf(() => evaluateExpression(42 as unknown as string)).code).toBe("CALC_SYNTAX");
  });
});
