import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "../code-executor/code-error-code";
import { createPythonExecutor } from "./create-python-executor";

// These tests run real CPython (3.8+); on a machine without python3 on PATH they are skipped.
const hasPython = spawnSync("python3", ["-c", "import sys; assert sys.version_info >= (3, 8)"]).status === 0;

/** HumanEval/0, as the dataset has it (prompt, canonical solution, test). */
const PROMPT = [
  "from typing import List",
  "",
  "",
  "def has_close_elements(numbers: List[float], threshold: float) -> bool:",
  '    """ Check if in given list of numbers, are any two numbers closer to each other than given threshold."""',
  "",
].join("\n");
const SOLUTION = [
  "    for idx, elem in enumerate(numbers):",
  "        for idx2, elem2 in enumerate(numbers):",
  "            if idx != idx2:",
  "                distance = abs(elem - elem2)",
  "                if distance < threshold:",
  "                    return True",
  "",
  "    return False",
  "",
].join("\n");
const TEST = [
  "",
  "",
  "METADATA = {",
  "    'author': 'jt',",
  "    'dataset': 'test'",
  "}",
  "",
  "",
  "def check(candidate):",
  "    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True",
  "    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05) == False",
  "    assert candidate([1.0, 2.0, 5.9, 4.0, 5.0], 0.95) == True",
  "",
].join("\n");
const HUMAN_EVAL = { testCode: TEST, entryPoint: "has_close_elements" };

/** MBPP task 2 (sanitized). */
const MBPP_CODE = "def similar_elements(test_tup1, test_tup2):\n  res = tuple(set(test_tup1) & set(test_tup2))\n  return (res) ";
const MBPP_ASSERTS = [
  "assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))",
  "assert set(similar_elements((1, 2, 3, 4),(5, 4, 3, 7))) == set((3, 4))",
  "assert set(similar_elements((11, 12, 14, 13),(17, 15, 14, 13))) == set((13, 14))",
];

describe.skipIf(!hasPython)("createPythonExecutor: runTests", () => {
  const python = createPythonExecutor({ timeoutMs: 2000 });
  afterAll(async () => {
    await python.dispose();
  });

  describe("HumanEval-style suites", () => {
    it("passes a correct solution", async () => {
      const report = await python.runTests(PROMPT + SOLUTION, HUMAN_EVAL);
      expect(report).toMatchObject({ ok: true, passed: 1, failed: 0, total: 1, results: [{ name: "check", passed: true }] });
      expect(report.loadError).toBeUndefined();
    });

    it("fails a wrong solution and quotes the failed assertion", async () => {
      const report = await python.runTests(`${PROMPT}    return False\n`, HUMAN_EVAL);
      expect(report).toMatchObject({ ok: false, passed: 0, failed: 1, total: 1 });
      expect(report.results[0]?.error).toMatchObject({
        code: CodeErrorCode.Runtime,
        message: "AssertionError: assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True",
        line: 10,
        location: "testCode",
      });
    });

    it("reports an error raised in the candidate at its line in the code", async () => {
      const report = await python.runTests(`${PROMPT}    return numbers[100]\n`, HUMAN_EVAL);
      expect(report.results[0]?.error).toMatchObject({ message: "IndexError: list index out of range", line: 6, location: "code" });
    });

    it("runs testCode alone without an entry point", async () => {
      const report = await python.runTests("def double(x):\n    return 2 * x\n", { testCode: "assert double(2) == 4\nassert double(3) == 6\n" });
      expect(report).toMatchObject({ ok: true, results: [{ name: "testCode", passed: true }] });
    });

    it("fails when the code does not define the entry point", async () => {
      const report = await python.runTests("def other():\n    pass\n", HUMAN_EVAL);
      expect(report.results[0]?.error?.message).toBe("NameError: the code does not define has_close_elements (the entry point)");
    });

    it("fails a candidate whose result compares equal to anything (__eq__ always true)", async () => {
      const cheat = `${PROMPT}    class Anything:\n        __eq__ = lambda *args: True\n    return Anything()\n`;
      const report = await python.runTests(cheat, HUMAN_EVAL);
      expect(report.ok).toBe(false);
      expect(report.results[0]?.error?.message).toMatch(/^the candidate returned an object of type Anything, not a plain value/);
    });

    it("fails a candidate that subclasses a builtin type to cheat", async () => {
      const cheat = `${PROMPT}    class Sneaky(int):\n        def __eq__(self, other):\n            return True\n    return Sneaky(0)\n`;
      const report = await python.runTests(cheat, HUMAN_EVAL);
      expect(report.ok).toBe(false);
      expect(report.results[0]?.error?.message).toMatch(/object of type Sneaky/);
    });

    it("counts exits in the code or the candidate as failures", async () => {
      const cases = [
        "import sys\nsys.exit(0)\n",
        "raise SystemExit\n",
        `${PROMPT}    import sys\n    sys.exit(0)\n`,
        `${PROMPT}    raise SystemExit(0)\n`,
        `${PROMPT}    exit(0)\n`,
        `${PROMPT}    raise KeyboardInterrupt\n`,
        `${PROMPT}    import os\n    os._exit(0)\n`,
        "import os\nos._exit(0)\n",
      ];
      for (const code of cases) {
        const report = await python.runTests(code, HUMAN_EVAL);
        expect(report.ok, code).toBe(false);
        expect(report.passed, code).toBe(0);
        expect(report.results[0]?.error, code).toBeDefined();
      }
      const exited = await python.runTests(`${PROMPT}    import os\n    os._exit(0)\n`, HUMAN_EVAL);
      expect(exited.results[0]?.error).toMatchObject({
        code: CodeErrorCode.Runtime,
        message: "the Python process ended (exit code 0) before it reported a result",
      });
    });

    it("raises the code's exceptions in the tests as their builtin types, with their text", async () => {
      const code = `${PROMPT}    if threshold < 0:\n        raise ValueError('negative threshold')\n    return False\n`;
      const testCode =
        "def check(candidate):\n    try:\n        candidate([1.0], -1)\n    except ValueError as error:\n        assert str(error) == 'negative threshold'\n    else:\n        assert False\n    assert candidate([1.0], 1) is False\n";
      const report = await python.runTests(code, { testCode, entryPoint: "has_close_elements" });
      expect(report.ok, JSON.stringify(report.results)).toBe(true);
    });

    it("keeps patches of the builtins module away from the tests", async () => {
      const code = "import builtins\nbuiltins.abs = lambda x: 0\ndef near(x):\n    return x + 1\n";
      const report = await python.runTests(code, { testCode: "def check(candidate):\n    assert abs(candidate(1) - 10) < 1e-9\n", entryPoint: "near" });
      expect(report.ok).toBe(false);
      expect(report.results[0]?.error?.message).toBe("AssertionError: assert abs(candidate(1) - 10) < 1e-9");
    });
  });

  describe("MBPP-style suites", () => {
    it("passes every assertion of a correct solution, one result per assertion", async () => {
      const report = await python.runTests(MBPP_CODE, { asserts: MBPP_ASSERTS });
      expect(report).toMatchObject({ ok: true, passed: 3, failed: 0, total: 3 });
      expect(report.results.map((result) => result.name)).toEqual(MBPP_ASSERTS);
    });

    it("reports each assertion on its own, with the actual and expected values", async () => {
      const code = "def add(a, b):\n    return a + b if a < 5 else a - b\n";
      const report = await python.runTests(code, { asserts: ["assert add(1, 2) == 3", "assert add(5, 1) == 6", "assert add(2, 2) == 4"] });
      expect(report).toMatchObject({ ok: false, passed: 2, failed: 1, total: 3 });
      expect(report.results[1]).toMatchObject({
        name: "assert add(5, 1) == 6",
        passed: false,
        actual: "4",
        expected: "6",
        error: { code: CodeErrorCode.Runtime, message: "AssertionError: got 4, expected 6", location: "testCode" },
      });
      expect(report.results[2]?.passed).toBe(true);
    });

    it("runs setup after the code and before the assertions", async () => {
      const report = await python.runTests("def area(r):\n    return math.pi * r * r\n", {
        setup: "import math",
        asserts: ["assert math.isclose(area(1), 3.141592653589793)"],
      });
      expect(report.ok).toBe(true);
    });

    it("clips long assertions in test names", async () => {
      const long = `assert ${"1 + ".repeat(60)}1 == 61`;
      const report = await python.runTests("", { asserts: [long] });
      expect(report.ok).toBe(true);
      expect(report.results[0]?.name).toHaveLength(120);
      expect(report.results[0]?.name.endsWith("…")).toBe(true);
    });

    it("gives a syntax error as loadError with its line, and marks every test as not run", async () => {
      const report = await python.runTests("def similar_elements(a, b):\n    return (a\n\nx = 1\n", { asserts: MBPP_ASSERTS });
      expect(report).toMatchObject({ ok: false, passed: 0, failed: 3, total: 3 });
      expect(report.loadError).toMatchObject({ code: CodeErrorCode.Syntax, line: 2, location: "code" });
      for (const result of report.results) expect(result.error?.message).toMatch(/^not run: the code failed to load \(SyntaxError: /);
    });

    it("marks the test that timed out and the ones after it as not run", async () => {
      const code = "def f(x):\n    while x > 1:\n        pass\n    return x\n";
      const report = await python.runTests(code, { asserts: ["assert f(0) == 0", "assert f(5) == 5", "assert f(1) == 1"] }, { timeoutMs: 300 });
      expect(report).toMatchObject({ ok: false, passed: 1, failed: 2 });
      expect(report.results[1]?.error).toMatchObject({ code: CodeErrorCode.Timeout, line: 2, location: "code" });
      expect(report.results[2]?.error).toMatchObject({
        code: CodeErrorCode.Timeout,
        message: expect.stringMatching(/^not run: an earlier test stopped the sandbox/),
      });
    });

    it("marks the test that ended the process and the ones after it", async () => {
      const code = "import os\ndef f(x):\n    if x == 2:\n        os._exit(0)\n    return x\n";
      const report = await python.runTests(code, { asserts: ["assert f(1) == 1", "assert f(2) == 2", "assert f(3) == 3"] });
      expect(report).toMatchObject({ ok: false, passed: 1, failed: 2 });
      expect(report.results[1]?.error?.message).toBe("the Python process ended (exit code 0) before it reported a result");
      expect(report.results[2]?.error?.message).toMatch(/^not run: /);
    });

    it("fails results that compare equal to anything, or are true without being plain", async () => {
      const code = "class Anything:\n    __eq__ = lambda *args: True\n    __bool__ = lambda self: True\ndef f(x):\n    return Anything()\n";
      const report = await python.runTests(code, {
        asserts: ["assert f(1) == 2", "assert 2 == f(1)", "assert f(1)", "assert not not f(1)", "assert f(1) != 2 or True"],
      });
      expect(report.results.map((result) => result.passed)).toEqual([false, false, false, false, false]);
      expect(report.results[0]?.error?.message).toMatch(/^the left side is an object of type Anything, not a plain value/);
      expect(report.results[2]?.error?.message).toMatch(/^the asserted value is an object of type Anything/);
    });

    it("counts SystemExit and KeyboardInterrupt raised by the code as failures", async () => {
      const code = "import sys\ndef f(x):\n    if x == 1:\n        sys.exit(0)\n    raise KeyboardInterrupt\n";
      const report = await python.runTests(code, { asserts: ["assert f(1) == 1", "assert f(2) == 2"] });
      expect(report).toMatchObject({ ok: false, passed: 0 });
      expect(report.results[0]?.error?.message).toBe("SystemExit: 0");
      expect(report.results[1]?.error?.message).toBe("KeyboardInterrupt");
    });

    it("accepts collections' containers and truthy re.Match objects as real Python does", async () => {
      const code = "import re, collections\ndef freq(xs):\n    return collections.Counter(xs)\ndef starts(text):\n    return re.match('a', text)\n";
      const report = await python.runTests(code, { asserts: ["assert freq([1, 1, 2]) == {1: 2, 2: 1}", "assert starts('abc')", "assert not starts('xyz')"] });
      expect(report.ok, JSON.stringify(report.results)).toBe(true);
    });

    it("passes objects of the code's classes back to the code, and calls functions it returns", async () => {
      const code = [
        "class Pair:",
        "    def __init__(self, a, b):",
        "        self.a, self.b = a, b",
        "def max_chain_length(pairs, n):",
        "    pairs = sorted(pairs, key=lambda p: p.b)",
        "    count, end = 0, float('-inf')",
        "    for pair in pairs:",
        "        if pair.a > end:",
        "            count, end = count + 1, pair.b",
        "    return count",
        "def make_adder(n):",
        "    return lambda x: x + n",
        "",
      ].join("\n");
      const report = await python.runTests(code, {
        asserts: [
          "assert max_chain_length([Pair(5, 24), Pair(15, 25), Pair(27, 40), Pair(50, 60)], 4) == 3",
          "assert make_adder(2)(3) == 5",
          "assert Pair(1, 2) == Pair(1, 2)",
        ],
      });
      expect(report.results.map((result) => result.passed)).toEqual([true, true, false]);
      expect(report.results[2]?.error?.message).toMatch(/^the left side is an object of type Pair, not a plain value/);
    });

    it("relies on the setup's imports in the code, and on the code's imports in the tests", async () => {
      const report = await python.runTests("def area(r):\n    return math.pi * r * r\n", { setup: "import math", asserts: ["assert area(1) == math.pi"] });
      expect(report.ok, JSON.stringify(report.results)).toBe(true);
      const imported = await python.runTests("import math\ndef area(r):\n    return math.pi * r * r\n", { asserts: ["assert math.isclose(area(1), math.pi)"] });
      expect(imported.ok, JSON.stringify(imported.results)).toBe(true);
    });

    it("fails a test whose arguments cannot be passed to the code", async () => {
      const report = await python.runTests("def apply(f, x):\n    return f(x)\n", { asserts: ["assert apply(lambda x: x + 1, 1) == 2"] });
      expect(report.ok).toBe(false);
      expect(report.results[0]?.error?.message).toMatch(/^the tests passed an object of type function to the code/);
    });

    it("runs a test that is not a single assert statement as written", async () => {
      const report = await python.runTests("def f():\n    return 1\n", { asserts: ["result = f()\nassert result == 1", "assert f() == 2, 'custom'"] });
      expect(report.results.map((result) => result.passed)).toEqual([true, false]);
    });
  });
});
