import { spawnSync } from "node:child_process";
import { TinyLLMError } from "@tinyllm/core";
import { afterAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunResult } from "./python-result-types";
import { createPythonExecutor } from "./create-python-executor";

// These tests run real CPython (3.8+); on a machine without python3 on PATH they are skipped.
const hasPython = spawnSync("python3", ["-c", "import sys; assert sys.version_info >= (3, 8)"]).status === 0;

function expectOk(result: CodeRunResult): asserts result is CodeRunResult & { ok: true } {
  expect(result.ok, JSON.stringify(result)).toBe(true);
}
function expectFailure(result: CodeRunResult, code: string): asserts result is CodeRunResult & { ok: false } {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
}

describe.skipIf(!hasPython)("createPythonExecutor: run", () => {
  const python = createPythonExecutor({ timeoutMs: 2000, wallTimeoutMs: 8000 });
  afterAll(async () => {
    await python.dispose();
  });

  it("finds Python 3 and reports its version", async () => {
    const availability = await python.available();
    expect(availability).toMatchObject({ ok: true });
    if (availability.ok) {
      expect(availability.version).toMatch(/^3\.\d+\.\d+$/);
      expect(availability.executable).toMatch(/python/);
    }
  });

  it("returns printed output and the repr of the last expression", async () => {
    const result = await python.run("xs = [3, 1, 2]\nprint('sorted', sorted(xs))\n{'n': len(xs), 'ok': True}");
    expectOk(result);
    expect(result.stdout).toBe("sorted [1, 2, 3]\n");
    expect(result.returnValue).toBe("{'n': 3, 'ok': True}");
    expect(result.truncated).toBe(false);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it("omits the value when the code ends with a statement or None", async () => {
    const statement = await python.run("x = 1");
    expectOk(statement);
    expect(statement.returnValue).toBeUndefined();
    const none = await python.run("print('hi')");
    expectOk(none);
    expect(none.returnValue).toBeUndefined();
  });

  it("captures stderr and sys.stdout.buffer with stdout, and gives input() an empty stdin", async () => {
    const result = await python.run(
      "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.stdout.buffer.write(b'bytes\\n')\ntry:\n    input()\nexcept EOFError:\n    print('eof')",
    );
    expectOk(result);
    expect(result.stdout).toBe("out\nerr\nbytes\neof\n");
  });

  it("imports the standard library", async () => {
    const code = [
      "import math, hashlib, re, collections, itertools, functools, heapq, string, fractions, decimal",
      "import bisect, statistics, datetime, json, random, typing, dataclasses, enum, textwrap, operator, copy",
      "print(hashlib.md5(b'abc').hexdigest())",
      "print(fractions.Fraction(1, 3) + fractions.Fraction(1, 6), decimal.Decimal(1) / decimal.Decimal(8))",
      "print(re.findall(r'\\d+', 'a1b22'), collections.Counter('aab').most_common(1), list(itertools.permutations([1, 2])))",
      "print(functools.reduce(operator.add, [1, 2, 3]), heapq.nsmallest(2, [5, 1, 4]), string.ascii_lowercase[:3], math.comb(5, 2))",
      "print(statistics.median([3, 1, 2]), json.dumps({'a': [1]}), bisect.bisect([1, 3], 2), 0.1 + 0.2)",
    ].join("\n");
    const result = await python.run(code);
    expectOk(result);
    expect(result.stdout).toBe(
      [
        "900150983cd24fb0d6963f7d28e17f72",
        "1/2 0.125",
        "['1', '22'] [('a', 2)] [(1, 2), (2, 1)]",
        "6 [1, 4] abc 10",
        '2 {"a": [1]} 1 0.30000000000000004',
        "",
      ].join("\n"),
    );
  });

  it("reports runtime errors with the line in the code", async () => {
    const result = await python.run("def f(x):\n    return 10 / x\n\nprint('before')\nf(0)");
    expectFailure(result, CodeErrorCode.Runtime);
    expect(result.error).toMatchObject({ message: "ZeroDivisionError: division by zero", line: 2, location: "code" });
    expect(result.stdout).toBe("before\n");
  });

  it("reports syntax errors with line and column", async () => {
    const result = await python.run("x = 1\ndef f(:\n    pass\n");
    expectFailure(result, CodeErrorCode.Syntax);
    expect(result.error).toMatchObject({ line: 2, location: "code" });
    expect(result.error.message).toMatch(/^SyntaxError: /);
    expect(result.error.hint).toMatch(/syntax/);
  });

  it("hints that only the standard library is available", async () => {
    const result = await python.run("import numpy");
    expectFailure(result, CodeErrorCode.Runtime);
    expect(result.error.message).toBe("ModuleNotFoundError: No module named 'numpy'");
    expect(result.error.hint).toMatch(/standard library/);
  });

  it("reports RecursionError with a hint", async () => {
    const result = await python.run("def f(n):\n    return f(n + 1)\nf(0)");
    expectFailure(result, CodeErrorCode.Runtime);
    expect(result.error.message).toMatch(/^RecursionError: maximum recursion depth exceeded/);
    expect(result.error.hint).toMatch(/recursion/i);
  });

  it("treats sys.exit(0) as a normal end of a plain run, and other exit codes as failures", async () => {
    const clean = await python.run("import sys\nprint('done')\nsys.exit(0)");
    expectOk(clean);
    expect(clean.stdout).toBe("done\n");
    const failed = await python.run("import sys\nsys.exit(3)");
    expectFailure(failed, CodeErrorCode.Runtime);
    expect(failed.error.message).toBe("SystemExit: 3");
  });

  it("stops an endless loop at the step timer, well within the wall clock", async () => {
    const result = await python.run("print('looping')\nwhile True:\n    pass", { timeoutMs: 300 });
    expectFailure(result, CodeErrorCode.Timeout);
    expect(result.error).toMatchObject({ message: "the code ran longer than 300 ms (an endless loop, or too much work)", location: "code" });
    expect(result.stdout).toBe("looping\n");
    expect(result.durationMs).toBeLessThan(8000);
  });

  it("stops code that sleeps at the step's wall-clock timer", async () => {
    const result = await python.run("import time\ntime.sleep(100)", { timeoutMs: 200 });
    expectFailure(result, CodeErrorCode.Timeout);
    expect(result.error).toMatchObject({
      message: "the code did not finish a step within 1400 ms of wall-clock time (sleeping or waiting, or the machine is overloaded)",
      line: 2,
    });
  });

  it("stops code that swallows the timer at the wall clock", async () => {
    const code = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass";
    const result = await python.run(code, { timeoutMs: 100, wallTimeoutMs: 1500 });
    expectFailure(result, CodeErrorCode.Timeout);
    expect(result.error.message).toMatch(/wall-clock|CPU-time/);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it("caps printed output and marks the truncation", async () => {
    const small = createPythonExecutor({ maxOutputChars: 50 });
    try {
      const result = await small.run("for i in range(100):\n    print('line', i)\n'end'");
      expectOk(result);
      expect(result.returnValue).toBe("'end'");
      expect(result.truncated).toBe(true);
      expect(result.stdout).toBe("line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nl\n… [output truncated at 50 characters]");
    } finally {
      await small.dispose();
    }
  });

  it("refuses code over maxCodeChars without starting Python", async () => {
    const small = createPythonExecutor({ maxCodeChars: 10 });
    try {
      const result = await small.run("x = 1234567890");
      expectFailure(result, CodeErrorCode.Syntax);
      expect(result.error.message).toBe("the code is 14 characters long; the limit is 10");
    } finally {
      await small.dispose();
    }
  });

  it("aborts a running program through its AbortSignal", async () => {
    const result = await python.run("while True:\n    pass", { timeoutMs: 60_000, wallTimeoutMs: 60_000, abortSignal: AbortSignal.timeout(300) });
    expectFailure(result, CodeErrorCode.Aborted);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it("does not start a run whose signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await python.run("print('never')", { abortSignal: controller.signal });
    expectFailure(result, CodeErrorCode.Aborted);
    expect(result.stdout).toBe("");
  });

  it("runs at most `concurrency` processes and queues the rest", async () => {
    const pool = createPythonExecutor({ concurrency: 2 });
    try {
      // Each run busy-waits 0.4 s and prints when it ran (wall-clock seconds).
      const code = "import time\nstart = time.time()\nwhile time.time() - start < 0.4:\n    pass\nprint(start, time.time())";
      const results = await Promise.all([1, 2, 3, 4].map(() => pool.run(code)));
      const spans = results.map((result) => {
        expectOk(result);
        const [start = 0, end = 0] = result.stdout.trim().split(" ").map(Number);
        return { start, end };
      });
      const mostAtOnce = Math.max(...spans.map(({ start }) => spans.filter((other) => other.start <= start && start < other.end).length));
      expect(mostAtOnce).toBeLessThanOrEqual(2);
      const first = Math.min(...spans.map((span) => span.start));
      const last = Math.max(...spans.map((span) => span.end));
      expect(last - first).toBeGreaterThanOrEqual(0.8);
    } finally {
      await pool.dispose();
    }
  });

  it("aborts a queued run without starting it", async () => {
    const single = createPythonExecutor({ concurrency: 1 });
    try {
      const blocker = single.run("import time\nstart = time.time()\nwhile time.time() - start < 0.5:\n    pass");
      const controller = new AbortController();
      const queued = single.run("print('never')", { abortSignal: controller.signal });
      controller.abort();
      expectFailure(await queued, CodeErrorCode.Aborted);
      expectOk(await blocker);
    } finally {
      await single.dispose();
    }
  });

  it("throws CODE_UNAVAILABLE with a hint when Python is missing", async () => {
    const missing = createPythonExecutor({ pythonPath: "/nonexistent/python3" });
    const availability = await missing.available();
    expect(availability.ok).toBe(false);
    if (!availability.ok) expect(availability.reason).toMatch(/\/nonexistent\/python3: not found/);
    const error = await missing.run("print(1)").catch((thrown: unknown) => thrown);
    expect(TinyLLMError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: CodeErrorCode.Unavailable });
    expect((error as TinyLLMError).hint).toMatch(/Install Python 3.*pythonPath/);
    await expect(missing.runTests("x = 1", { asserts: ["assert x == 1"] })).rejects.toMatchObject({ code: CodeErrorCode.Unavailable });
  });

  it("refuses runs after dispose", async () => {
    const disposable = createPythonExecutor();
    await disposable.dispose();
    await expect(disposable.run("1")).rejects.toMatchObject({ code: CodeErrorCode.Unavailable });
  });

  it("validates its options", () => {
    expect(() => createPythonExecutor({ timeoutMs: 0 })).toThrow(/timeoutMs must be an integer/);
    expect(() => createPythonExecutor({ memoryLimitMb: 8 })).toThrow(/memoryLimitMb must be an integer from 64/);
    expect(() => createPythonExecutor({ isolateNetwork: "yes" as unknown as boolean })).toThrow(/isolateNetwork/);
  });
});
