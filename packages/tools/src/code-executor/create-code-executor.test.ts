import { TinyLLMError } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "./code-error-code";
import type { CodeExecutor, CodeRunResult } from "./code-executor";
import { createCodeExecutor } from "./create-code-executor";

function expectOk(result: CodeRunResult): asserts result is CodeRunResult & { ok: true } {
  expect(result.ok, JSON.stringify(result)).toBe(true);
}
function expectFailure(result: CodeRunResult, code: string): asserts result is CodeRunResult & { ok: false } {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
}

describe("createCodeExecutor", () => {
  let executor: CodeExecutor;
  beforeAll(async () => {
    executor = createCodeExecutor({ timeoutMs: 300, wallTimeoutMs: 2000 });
    await executor.warmUp();
  });
  afterAll(async () => {
    await executor.dispose();
  });

  describe("results", () => {
    it("returns the value of the last expression", async () => {
      const result = await executor.run("const xs = [3, 1, 2];\nxs.sort();\nxs.map((x) => x * 10)");
      expectOk(result);
      expect(result.returnValue).toEqual([10, 20, 30]);
      expect(result.stdout).toBe("");
      expect(result.truncated).toBe(false);
      expect(result.durationMs).toBeGreaterThan(0);
    });

    it("returns undefined when the code ends with a declaration", async () => {
      const result = await executor.run("function f() { return 1; }\nconst x = f();");
      expectOk(result);
      expect(result.returnValue).toBeUndefined();
    });

    it("supports top-level await and return (async-function mode)", async () => {
      const result = await executor.run("const v = await Promise.resolve(20);\nif (v > 10) return { v, doubled: v * 2 };\nreturn null;");
      expectOk(result);
      expect(result.returnValue).toEqual({ v: 20, doubled: 40 });
    });

    it("awaits a promise result", async () => {
      const result = await executor.run("async function main() { await null; return 'done'; }\nmain()");
      expectOk(result);
      expect(result.returnValue).toBe("done");
    });

    it("copies results through JSON (BigInt as a decimal string, Dates as ISO strings, NaN as null)", async () => {
      const result = await executor.run("({ big: 2n ** 70n, date: new Date(0), nan: NaN, fn() {}, nested: [undefined, 1] })");
      expectOk(result);
      expect(result.returnValue).toEqual({ big: "1180591620717411303424", date: "1970-01-01T00:00:00.000Z", nan: null, nested: [null, 1] });
    });

    it("gives each run fresh globals", async () => {
      expectOk(await executor.run("globalThis.leftover = 1; var declared = 2; leftover"));
      const result = await executor.run("[typeof leftover, typeof declared]");
      expectOk(result);
      expect(result.returnValue).toEqual(["undefined", "undefined"]);
    });
  });

  describe("console", () => {
    it("captures console.log/info/warn/error in order, Node-style", async () => {
      const code = [
        'console.log("hello", 42, true, null, undefined);',
        'console.info({ a: 1, "b-c": [1, "two"], d: { e: { f: { g: 1 } } } });',
        "console.warn(new Map([[1, 'a']]), new Set([1, 2]), [1, [2, [3, [4]]]]);",
        'console.error("%s has %d items (%i%%)", "list", 3.5, 99.9);',
        "const cyclic = { name: 'c' }; cyclic.self = cyclic; console.log(cyclic);",
        "console.log(function named() {}, class K {}, Symbol('s'), 10n, -0, [ , 1]);",
        "console.log(new Error('boom').message);",
      ].join("\n");
      const result = await executor.run(code);
      expectOk(result);
      expect(result.stdout.split("\n")).toEqual([
        "hello 42 true null undefined",
        "{ a: 1, 'b-c': [ 1, 'two' ], d: { e: { f: [Object] } } }",
        "Map(1) { 1 => 'a' } Set(2) { 1, 2 } [ 1, [ 2, [ 3, [Array] ] ] ]",
        "list has 3.5 items (99%)",
        "{ name: 'c', self: [Circular] }",
        "[Function: named] [class K] Symbol(s) 10n -0 [ undefined, 1 ]",
        "boom",
        "",
      ]);
    });

    it("prints errors with their stack inside the snippet only", async () => {
      const result = await executor.run("function inner() {\n  return new Error('logged');\n}\nconsole.log(inner());");
      expectOk(result);
      expect(result.stdout).toMatch(/^Error: logged\n {4}at inner \(snippet\.js:2:10\)\n/);
      expect(result.stdout).not.toMatch(/tinyllm-harness|<anonymous>/);
    });

    it("caps output at maxOutputChars and marks the truncation", async () => {
      const small = createCodeExecutor({ maxOutputChars: 50, poolSize: 1, isolation: "in-process" });
      try {
        const result = await small.run('for (let i = 0; i < 100; i++) console.log("line " + i);\n"end"');
        expectOk(result);
        expect(result.returnValue).toBe("end");
        expect(result.truncated).toBe(true);
        expect(result.stdout).toBe("line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nl\n… [output truncated at 50 characters]");
      } finally {
        await small.dispose();
      }
    });

    it("keeps the output printed before an error or a timeout", async () => {
      const failed = await executor.run('console.log("step 1");\nthrow new Error("bad");');
      expectFailure(failed, CodeErrorCode.Runtime);
      expect(failed.stdout).toBe("step 1\n");
      const timedOut = await executor.run('console.log("before loop");\nwhile (true) {}');
      expectFailure(timedOut, CodeErrorCode.Timeout);
      expect(timedOut.stdout).toBe("before loop\n");
    });
  });

  describe("errors", () => {
    it("reports runtime errors with line and column", async () => {
      const result = await executor.run("let x = 1;\nfunction f() { return null.x; }\nf();");
      expectFailure(result, CodeErrorCode.Runtime);
      expect(result.error).toMatchObject({ message: "TypeError: Cannot read properties of null (reading 'x')", line: 2, column: 28 });
    });

    it("reports syntax errors with line and column", async () => {
      const result = await executor.run("const a = 1;\nconst b = (;\n");
      expectFailure(result, CodeErrorCode.Syntax);
      expect(result.error).toMatchObject({ message: "SyntaxError: Unexpected token ';'", line: 2, column: 12 });
    });

    it("maps positions of async-function mode back to the submitted code", async () => {
      const thrown = await executor.run('await null; throw new Error("first line");');
      expectFailure(thrown, CodeErrorCode.Runtime);
      expect(thrown.error).toMatchObject({ line: 1, column: 19 });
      const syntax = await executor.run("await null;\nconst = 1;");
      expectFailure(syntax, CodeErrorCode.Syntax);
      expect(syntax.error.line).toBe(2);
    });

    it("hints at TypeScript and at missing Node.js APIs", async () => {
      const typescript = await executor.run("const n: number = 1;\nn");
      expectFailure(typescript, CodeErrorCode.Syntax);
      expect(typescript.error.hint).toMatch(/not TypeScript/);
      const node = await executor.run('const fs = require("fs");');
      expectFailure(node, CodeErrorCode.Runtime);
      expect(node.error.hint).toMatch(/without Node\.js or browser APIs/);
    });

    it("reports thrown non-errors", async () => {
      const result = await executor.run('throw { reason: "custom" };');
      expectFailure(result, CodeErrorCode.Runtime);
      expect(result.error.message).toBe("Uncaught { reason: 'custom' }");
    });

    it("reports a timeout with the line that was running", async () => {
      const result = await executor.run("let i = 0;\nwhile (true) {\n  i++;\n}");
      expectFailure(result, CodeErrorCode.Timeout);
      expect(result.error.message).toMatch(/ran longer than 300 ms/);
      expect(result.error.line).toBeGreaterThanOrEqual(2);
    });

    it("stops at the wall-clock limit too", async () => {
      const result = await executor.run("while (true) {}", { timeoutMs: 10_000, wallTimeoutMs: 300 });
      expectFailure(result, CodeErrorCode.Timeout);
      expect(result.error.message).toMatch(/300 ms of wall-clock time/);
      expectOk(await executor.run("1"));
    });

    it("refuses code over maxCodeChars", async () => {
      const small = createCodeExecutor({ maxCodeChars: 10 });
      const result = await small.run("1 + 1 + 1 + 1");
      expectFailure(result, CodeErrorCode.Syntax);
      expect(result.error.message).toMatch(/limit is 10/);
      await small.dispose();
    });
  });

  describe("limits and control", () => {
    it("honours a per-run memory limit in a one-off isolate", async () => {
      const before = executor.stats().isolatesCreated;
      const result = await executor.run("const a = []; for (;;) a.push(('x' + a.length).repeat(1e4).toUpperCase());", {
        memoryLimitMb: 16,
        timeoutMs: 5000,
        wallTimeoutMs: 8000,
      });
      expectFailure(result, CodeErrorCode.Memory);
      expect(result.error.message).toMatch(/16 MB/);
      expect(executor.stats().isolatesCreated).toBeGreaterThan(before);
    });

    it("aborts a run that was aborted before it started", async () => {
      const result = await executor.run("1", { abortSignal: AbortSignal.abort() });
      expectFailure(result, CodeErrorCode.Aborted);
    });

    it("aborts a running snippet", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = performance.now();
      const result = await executor.run("while (true) {}", { timeoutMs: 10_000, wallTimeoutMs: 20_000, abortSignal: controller.signal });
      expectFailure(result, CodeErrorCode.Aborted);
      expect(performance.now() - started).toBeLessThan(5000);
      expectOk(await executor.run("2"));
    });

    it("rejects invalid options", () => {
      expect(() => createCodeExecutor({ memoryLimitMb: 4 })).toThrow(/memoryLimitMb/);
      expect(() => createCodeExecutor({ poolSize: 0 })).toThrow(/poolSize/);
      expect(() => createCodeExecutor({ isolation: "vm" as "process" })).toThrow(/isolation/);
    });

    it("ends runs in flight as aborted when disposed", async () => {
      for (const isolation of ["process", "in-process"] as const) {
        const doomed = createCodeExecutor({ poolSize: 1, isolation });
        await doomed.warmUp();
        const running = doomed.run("while (true) {}", { timeoutMs: 10_000, wallTimeoutMs: 20_000 });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await doomed.dispose();
        expectFailure(await running, CodeErrorCode.Aborted);
      }
    });

    it("throws CODE_UNAVAILABLE after dispose", async () => {
      const short = createCodeExecutor({ poolSize: 1 });
      expectOk(await short.run("1"));
      await short.dispose();
      const error = await short.run("1").catch((thrown: unknown) => thrown);
      expect(TinyLLMError.isInstance(error) && error.code).toBe(CodeErrorCode.Unavailable);
    });
  });

  describe("pool", () => {
    it("reuses warm isolates with a fresh context per run", async () => {
      const pooled = createCodeExecutor({ poolSize: 2, isolation: "in-process" });
      try {
        await pooled.warmUp();
        const afterWarmUp = pooled.stats();
        expect(afterWarmUp.isolatesCreated).toBe(2);
        for (let i = 0; i < 10; i++) expectOk(await pooled.run(`globalThis.n = (globalThis.n ?? 0) + 1; n + ${i}`));
        const stats = pooled.stats();
        expect(stats.warmStarts).toBe(10);
        expect(stats.coldStarts).toBe(0);
        expect(stats.isolatesCreated).toBe(2);
        // A timeout retires its isolate; a replacement is created in the background.
        expectFailure(await pooled.run("while (true) {}", { timeoutMs: 100 }), CodeErrorCode.Timeout);
        expectOk(await pooled.run("1"));
        expect(pooled.stats().isolatesCreated).toBe(3);
      } finally {
        await pooled.dispose();
      }
    });

    it("recycles an isolate after maxRunsPerIsolate runs", async () => {
      const pooled = createCodeExecutor({ poolSize: 1, maxRunsPerIsolate: 3, isolation: "in-process" });
      try {
        for (let i = 0; i < 7; i++) expectOk(await pooled.run("1"));
        expect(pooled.stats().isolatesCreated).toBe(3);
      } finally {
        await pooled.dispose();
      }
    });

    it("runs concurrent calls on the pool and queues the rest", async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => executor.run(`let s = 0; for (let k = 0; k < 1e5; k++) s += k; s + ${i}`)));
      results.forEach((result, i) => {
        expectOk(result);
        expect(result.returnValue).toBe(4999950000 + i);
      });
    });

    it("fails a run that cannot get a sandbox within queueTimeoutMs", async () => {
      const single = createCodeExecutor({ poolSize: 1, queueTimeoutMs: 50, isolation: "in-process" });
      try {
        const [slow, queued] = await Promise.all([single.run("while (true) {}", { timeoutMs: 400 }), single.run("1")]);
        expectFailure(slow, CodeErrorCode.Timeout);
        expectFailure(queued, CodeErrorCode.Timeout);
        expect(queued.error.message).toMatch(/no sandbox became free/);
      } finally {
        await single.dispose();
      }
    });

    it("restarts a crashed sandbox process in the background", async () => {
      const before = executor.stats().processesStarted;
      // A one-shot huge allocation aborts V8 in the child every time; a slowly growing Map may
      // instead be caught by the isolate's limit, which needs no restart.
      const crashed = await executor.run("new Array(1e9).fill(0)", { timeoutMs: 10_000, wallTimeoutMs: 15_000 });
      expectFailure(crashed, CodeErrorCode.Memory);
      expectOk(await executor.run("'alive'"));
      expect(executor.stats().processesStarted).toBeGreaterThan(before);
    });
  });

  describe("runTests", () => {
    it("runs value cases against a function (HumanEval style)", async () => {
      const code =
        "function hasCloseElements(numbers, threshold) {\n  for (let i = 0; i < numbers.length; i++)\n    for (let j = i + 1; j < numbers.length; j++)\n      if (Math.abs(numbers[i] - numbers[j]) < threshold) return true;\n  return false;\n}";
      const report = await executor.runTests(code, {
        functionName: "hasCloseElements",
        cases: [
          { args: [[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3], expected: true },
          { args: [[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05], expected: false },
          { args: [[1.0, 2.0, 5.9, 4.0, 5.0], 0.95], expected: false, name: "deliberately wrong" },
        ],
      });
      expect(report).toMatchObject({ ok: false, passed: 2, failed: 1, total: 3 });
      expect(report.results[0]).toEqual({ name: "hasCloseElements([1,2,3.9,4,5,2.2],0.3)", passed: true, expected: true, actual: true });
      expect(report.results[2]).toEqual({ name: "deliberately wrong", passed: false, expected: false, actual: true });
    });

    it("supports call expressions, const functions, async results and tolerance", async () => {
      const code =
        "const add = (a, b) => a + b;\nconst later = async (x) => { await null; return { x, list: [x] }; };\nlet calls = 0;\nconst count = () => ++calls;";
      const report = await executor.runTests(code, {
        tolerance: 1e-9,
        cases: [
          { call: "add(0.1, 0.2)", expected: 0.3 },
          { call: "later(5);", expected: { list: [5], x: 5 } },
          { call: "[count(), count()]", expected: [1, 2] },
          { call: "0 / 0", expected: Number.NaN },
          { call: "undefined", expected: null },
        ],
      });
      expect(report.results.map((result) => result.passed)).toEqual([true, true, true, true, true]);
      expect(report.ok).toBe(true);
    });

    it("reports throwing cases, missing functions and later cases separately", async () => {
      const report = await executor.runTests("function f(x) {\n  if (x < 0) throw new RangeError('negative');\n  return x * 2;\n}", {
        functionName: "f",
        cases: [
          { args: [-1], expected: 0 },
          { args: [2], expected: 4 },
          { call: "g(1)", expected: 1 },
        ],
      });
      expect(report.results[0]?.error).toMatchObject({ code: CodeErrorCode.Runtime, message: "RangeError: negative", line: 2, location: "code" });
      expect(report.results[1]).toMatchObject({ passed: true, actual: 4 });
      expect(report.results[2]?.error).toMatchObject({ code: CodeErrorCode.Runtime, message: "ReferenceError: g is not defined" });
    });

    it("stops after a case that times out and marks the rest as not run", async () => {
      const report = await executor.runTests("function f(x) { while (x) {} return x; }", {
        functionName: "f",
        cases: [
          { args: [0], expected: 0 },
          { args: [1], expected: 1 },
          { args: [0], expected: 0 },
        ],
      });
      expect(report.results.map((result) => result.passed)).toEqual([true, false, false]);
      expect(report.results[1]?.error?.code).toBe(CodeErrorCode.Timeout);
      expect(report.results[2]?.error?.message).toMatch(/^not run: an earlier test stopped the sandbox/);
    });

    it("keeps the verdicts of cases that ran before a case hit the memory limit", async () => {
      // Distinct big strings reach the limit in milliseconds, so the memory limit (not the CPU timer) stops it even on a loaded machine.
      const report = await executor.runTests(
        "function grow() { const a = []; for (;;) a.push(('x' + a.length).repeat(1e5).toUpperCase()); }\nfunction one() { return 1; }",
        {
          cases: [
            { call: "one()", expected: 1 },
            { call: "grow()", expected: null },
            { call: "one()", expected: 1 },
          ],
        },
        { memoryLimitMb: 16, timeoutMs: 10_000, wallTimeoutMs: 20_000 },
      );
      expect(report.loadError).toBeUndefined();
      expect(report.results.map((result) => result.passed)).toEqual([true, false, false]);
      expect(report.results.slice(1).map((result) => result.error?.code)).toEqual([CodeErrorCode.Memory, CodeErrorCode.Memory]);
      expect(report.results[2]?.error?.message).toMatch(/^not run: an earlier test stopped the sandbox/);
    });

    it("reports a sandbox crash during the cases without blaming the code's loading", async () => {
      // An ever-growing Map either trips the isolate's limit (the sandbox survives) or aborts the
      // whole sandbox process, depending on the machine's load; both must read as a memory failure.
      const report = await executor.runTests(
        "function grow() { const m = new Map(); for (let i = 0; ; i++) m.set(i, i); }\nfunction one() { return 1; }",
        {
          cases: [
            { call: "one()", expected: 1 },
            { call: "grow()", expected: null },
            { call: "one()", expected: 1 },
          ],
        },
        { timeoutMs: 10_000, wallTimeoutMs: 20_000 },
      );
      expect(report.loadError).toBeUndefined();
      expect(report.results.slice(1).map((result) => result.error?.code)).toEqual([CodeErrorCode.Memory, CodeErrorCode.Memory]);
      const first = report.results[0];
      if (first?.passed) expect(report.results[2]?.error?.message).toMatch(/^not run: an earlier test stopped the sandbox/);
      else {
        expect(first?.error?.code).toBe(CodeErrorCode.Memory);
        expect(first?.error?.message).toMatch(/^not run: the sandbox stopped/);
      }
    });

    it.each([
      ["mutating assert", "assert.strictEqual = () => {};"],
      ["replacing require", "globalThis.require = () => ({ strictEqual() {} });"],
      ["redeclaring assert with var", "var assert = { strictEqual() {} };"],
      ["shadowing require with a function", "function require() { return { strictEqual() {} }; }"],
    ])("keeps the tests' assertions when the code tries %s", async (_name, cheat) => {
      const code = `function add(a, b) { return 0; }\n${cheat}`;
      const plain = await executor.runTests(code, { testCode: "assert.strictEqual(add(1, 2), 3);" });
      const required = await executor.runTests(code, { testCode: "const assert = require('node:assert');\nassert.strictEqual(add(1, 2), 3);" });
      expect(plain.ok).toBe(false);
      expect(required.ok).toBe(false);
    });

    it("fails every case when the code does not load", async () => {
      const report = await executor.runTests("function f( {", { functionName: "f", cases: [{ args: [], expected: 1 }] });
      expect(report.loadError).toMatchObject({ code: CodeErrorCode.Syntax, line: 1 });
      expect(report.results[0]?.error?.message).toMatch(/^not run: the code failed to load/);
      const thrown = await executor.runTests('throw new Error("top-level");', { cases: [{ call: "1", expected: 1 }] });
      expect(thrown.loadError).toMatchObject({ code: CodeErrorCode.Runtime, message: "Error: top-level", line: 1 });
    });

    it("runs MultiPL-E style assertion tests with require('node:assert')", async () => {
      const code = "function sum_to_n(n) {\n  return (n * (n + 1)) / 2;\n}";
      const passing = await executor.runTests(code, {
        testCode:
          "const assert = require('node:assert');\n\nfunction test() {\n  let candidate = sum_to_n;\n  assert.deepEqual(candidate(1), 1);\n  assert.deepEqual(candidate(30), 465);\n}\n\ntest();",
      });
      expect(passing).toMatchObject({ ok: true, passed: 1, total: 1, results: [{ name: "testCode", passed: true }] });
      const failing = await executor.runTests(code, { testCode: "console.log('checking');\nassert.strictEqual(sum_to_n(3), 7);" });
      expect(failing.ok).toBe(false);
      expect(failing.results[0]?.error).toMatchObject({
        code: CodeErrorCode.Runtime,
        message: "AssertionError: strictEqual failed: actual 6, expected 7",
        line: 2,
        location: "testCode",
      });
      expect(failing.stdout).toBe("checking\n");
    });

    it("reports syntax errors in testCode with testCode line numbers", async () => {
      const report = await executor.runTests("const x = 1;", { testCode: "assert.ok(x);\nassert.ok(;" });
      expect(report.loadError).toBeUndefined();
      expect(report.results[0]?.error).toMatchObject({ code: CodeErrorCode.Syntax, line: 2, location: "testCode" });
    });

    it("validates the suite", async () => {
      await expect(executor.runTests("1", { cases: [{ args: [1], expected: 1 }] })).rejects.toThrow(/no functionName/);
      await expect(executor.runTests("1", { functionName: "a-b", cases: [] })).rejects.toThrow(/identifier/);
      await expect(executor.runTests("1", { cases: [{ call: "1", expected: 1n }] })).rejects.toThrow(/JSON data/);
    });

    it("calls the function under test from strict harness code (no caller leak)", async () => {
      const report = await executor.runTests("function peek() { return arguments.callee.caller === null; }", {
        functionName: "peek",
        cases: [{ args: [], expected: true }],
      });
      expect(report.ok).toBe(true);
    });
  });
});

describe("in-process isolation", () => {
  it("runs code in this process", async () => {
    const inProcess = createCodeExecutor({ isolation: "in-process", poolSize: 1 });
    try {
      const result = await inProcess.run("console.log('in'); [1, 2].map(String)");
      expectOk(result);
      expect(result).toMatchObject({ stdout: "in\n", returnValue: ["1", "2"] });
      expect(inProcess.stats()).toMatchObject({ isolation: "in-process", processesStarted: 0 });
    } finally {
      await inProcess.dispose();
    }
  });

  it("refuses to start when Node lacks --no-node-snapshot", async () => {
    const saved = { execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS };
    process.execArgv = process.execArgv.filter((flag) => flag !== "--no-node-snapshot");
    delete process.env.NODE_OPTIONS;
    const inProcess = createCodeExecutor({ isolation: "in-process", poolSize: 1 });
    try {
      const error = await inProcess.run("1").catch((thrown: unknown) => thrown);
      expect(TinyLLMError.isInstance(error) && error.code).toBe(CodeErrorCode.Unavailable);
      expect((error as Error).message).toMatch(/run node with --no-node-snapshot \(NODE_OPTIONS=--no-node-snapshot\)/);
    } finally {
      process.execArgv = saved.execArgv;
      if (saved.nodeOptions !== undefined) process.env.NODE_OPTIONS = saved.nodeOptions;
      await inProcess.dispose();
    }
  });
});
