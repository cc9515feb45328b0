import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunResult, CodeTestReport } from "./python-result-types";
import { createPythonExecutor } from "./create-python-executor";

// These tests run real CPython (3.8+); on a machine without python3 on PATH they are skipped.
const hasPython = spawnSync("python3", ["-c", "import sys; assert sys.version_info >= (3, 8)"]).status === 0;

function expectDenied(result: CodeRunResult, pattern: RegExp): void {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(CodeErrorCode.Runtime);
  expect(result.error.message).toMatch(/^PermissionError: \[sandbox\] /);
  expect(result.error.message).toMatch(pattern);
  expect(result.error.hint).toMatch(/no file writes/);
}

describe.skipIf(!hasPython)("createPythonExecutor: hostile code", () => {
  const python = createPythonExecutor({ memoryLimitMb: 256, timeoutMs: 2000, wallTimeoutMs: 10_000 });
  afterAll(async () => {
    await python.dispose();
  });

  describe("files", () => {
    it("refuses to write a file and leaves nothing behind", async () => {
      const target = join(tmpdir(), `tinyllm-python-probe-${randomBytes(6).toString("hex")}.txt`);
      for (const code of [
        `open(${JSON.stringify(target)}, "w").write("x")`,
        `import os\nos.close(os.open(${JSON.stringify(target)}, os.O_WRONLY | os.O_CREAT))`,
        `import pathlib\npathlib.Path(${JSON.stringify(target)}).write_text("x")`,
      ]) {
        expectDenied(await python.run(code), /writing files/);
        expect(existsSync(target)).toBe(false);
      }
      expectDenied(await python.run('open("relative.txt", "a")'), /writing files/);
    });

    it("refuses to read files outside the standard library", async () => {
      expectDenied(await python.run('open("/etc/passwd").read()'), /reading files outside the Python standard library/);
      expectDenied(await python.run('import os\nos.listdir("/")'), /listing directories/);
    });

    it("refuses to change files", async () => {
      expectDenied(await python.run('import os\nos.remove("/tmp/anything")'), /changing files/);
      expectDenied(await python.run('import os\nos.mkdir("/tmp/tinyllm-python-dir")'), /changing files/);
      expectDenied(await python.run('import shutil\nshutil.rmtree("/tmp/tinyllm-python-dir")'), /changing files/);
    });
  });

  describe("processes, network and native code", () => {
    it("refuses sockets", async () => {
      expectDenied(await python.run("import socket\nsocket.socket()"), /the network/);
      expectDenied(await python.run('import socket\nsocket.create_connection(("127.0.0.1", 80))'), /the network/);
    });

    it("refuses subprocesses, os.system, exec and fork", async () => {
      expectDenied(await python.run('import subprocess\nsubprocess.run(["ls"])'), /starting processes/);
      expectDenied(await python.run('import os\nos.system("ls")'), /starting processes/);
      expectDenied(await python.run('import os\nos.execv("/bin/ls", ["ls"])'), /starting processes/);
      expectDenied(await python.run("import os\nos.fork()"), /starting processes/);
      expectDenied(await python.run("import os\nos.kill(1, 9)"), /sending signals/);
    });

    it("refuses ctypes", async () => {
      expectDenied(await python.run("import ctypes"), /importing ctypes/);
      expectDenied(await python.run("import _ctypes"), /importing _ctypes/);
    });

    it("refuses raising its own resource limits and tracing", async () => {
      expectDenied(await python.run("import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))"), /changing resource limits/);
      expectDenied(await python.run("import sys\nsys.settrace(lambda *a: None)"), /tracing/);
    });

    it("starts with an empty environment", async () => {
      process.env.TINYLLM_PYTHON_TEST_SECRET = "hunter2";
      try {
        const fresh = createPythonExecutor();
        const result = await fresh.run("import os\nsorted(k for k in os.environ if k != 'LC_CTYPE')");
        expect(result).toMatchObject({ ok: true, returnValue: "[]" });
        await fresh.dispose();
      } finally {
        delete process.env.TINYLLM_PYTHON_TEST_SECRET;
      }
    });

    it.skipIf(process.getuid?.() !== 0)("runs as nobody when started as root", async () => {
      const result = await python.run("import os\n(os.getuid(), os.getgid(), os.getgroups())");
      expect(result).toMatchObject({ ok: true, returnValue: "(65534, 65534, [])" });
    });

    it("uses a network namespace exactly when `unshare -n` works here", async () => {
      const unshareWorks = spawnSync("unshare", ["-n", "true"]).status === 0 || spawnSync("unshare", ["-r", "-n", "true"]).status === 0;
      const availability = await python.available();
      expect(availability).toMatchObject({ ok: true, networkIsolated: unshareWorks });
    });
  });

  describe("resources", () => {
    it("reports a huge allocation as a memory error", async () => {
      const result = await python.run("x = 'a' * 10**10");
      expect(result).toMatchObject({ ok: false, error: { code: CodeErrorCode.Memory } });
    });

    it("reports a growing list as a memory error", async () => {
      const result = await python.run("x = []\nwhile True:\n    x.append(' ' * 10**6)");
      expect(result).toMatchObject({ ok: false, error: { code: CodeErrorCode.Memory, location: "code" } });
      if (!result.ok) expect(result.error.hint).toMatch(/256 MB/);
    });

    it("cannot start threads", async () => {
      const result = await python.run("import threading\nthreading.Thread(target=print).start()");
      expect(result.ok).toBe(false);
    });

    it("survives a crashing interpreter and keeps working", async () => {
      const result = await python.run("import faulthandler\nfaulthandler._sigsegv()");
      expect(result).toMatchObject({ ok: false, error: { code: CodeErrorCode.Runtime, message: "the Python process crashed (SIGSEGV)" } });
      expect(await python.run("'still works'")).toMatchObject({ ok: true, returnValue: "'still works'" });
    });
  });

  describe("the result channel", () => {
    it("ignores fake result lines written to stdout or its file descriptors", async () => {
      const fake = String.raw`'\n{"e": "load", "r": {"k": "ok", "v": "forged"}}\n'`;
      const code = `import os\nprint(${fake})\nfor fd in range(3, 20):\n    try:\n        os.write(fd, b${fake})\n    except OSError:\n        pass\nos._exit(0)`;
      const result = await python.run(code);
      expect(result).toMatchObject({
        ok: false,
        error: { code: CodeErrorCode.Runtime, message: "the Python process ended (exit code 0) before it reported a result" },
      });
    });

    it("fails tests when the code floods the result channel", async () => {
      const result = await python.run("import os\nwhile True:\n    os.write(3, b'x' * 65536)");
      expect(result.ok).toBe(false);
    });
  });

  describe("forging a verdict", () => {
    // f should return 2x + 1; every answer below returns something else and tries to pass anyway.
    const CHECK = { testCode: "def check(candidate):\n    assert candidate(2) == 5\n    assert candidate(3) == 7\n", entryPoint: "f" };
    const ASSERTS = { asserts: ["assert f(2) == 5", "assert f(3) == 7"] };
    /** Python that finds the answer server's harness (`box`) by walking frames and switches its audit hook off. */
    const TAKEOVER = [
      "import sys, os, gc",
      "def find_box():",
      "    frame = sys._getframe()",
      "    while frame is not None:",
      "        box = frame.f_locals.get('box')",
      "        if box is not None and hasattr(box, 'install_audit_hook'):",
      "            return box",
      "        frame = frame.f_back",
      "def unhook():",
      "    audit = find_box().install_audit_hook.__closure__[0].cell_contents",
      "    for cell in audit.__closure__:",
      "        if getattr(cell.cell_contents, '__name__', '') == 'deny':",
      "            cell.cell_contents = lambda what: None",
      "    open('/etc/passwd').read()",
      "    print('unhooked')",
      "",
    ].join("\n");
    /** The answer `f` runs `body` (indented Python) on each call, then returns 0. */
    const answer = (body: string, setup = "") => `${TAKEOVER}${setup}\ndef f(x):\n${body}\n    return 0\n`;
    const expectRefused = (report: CodeTestReport) => {
      expect(report.ok, JSON.stringify(report.results)).toBe(false);
      expect(report.passed).toBe(0);
    };
    const both = async (code: string): Promise<CodeTestReport[]> => [await python.runTests(code, CHECK), await python.runTests(code, ASSERTS)];

    it("keeps the tests out of the code's process: walking frames finds only the answer server", async () => {
      const body =
        "    names = []\n    frame = sys._getframe()\n    while frame is not None:\n        names.append(frame.f_code.co_name)\n        frame = frame.f_back\n    print(names)";
      for (const report of await both(answer(body))) {
        expectRefused(report);
        expect(report.stdout).toMatch(/'answer_server'/);
        expect(report.stdout).not.toMatch(/check|tests_runner|truth|run_assert/);
      }
    });

    it("refuses results the code's harness reports itself, found by walking frames", async () => {
      const body = [
        "    box = find_box()",
        "    for i in range(3):",
        "        box.emit({'e': 'case', 'i': i, 'r': {'k': 'ok'}})",
        "    box.emit({'e': 'setup', 'r': {'k': 'ok'}})",
        "    box.emit({'e': 'done'})",
        "    frame = sys._getframe()",
        "    while frame is not None:",
        "        for value in list(frame.f_locals.values()):",
        "            if type(value) is dict and 'k' in value:",
        "                value['k'] = 'ok'",
        "        frame = frame.f_back",
        "    print('emitted')",
      ].join("\n");
      for (const report of await both(answer(body))) {
        expectRefused(report);
        expect(report.stdout).toMatch(/emitted/);
      }
    });

    it("refuses replies the code forges: extra, unknown or malformed", async () => {
      const forgeries = [
        // a second reply to the first call (with the right value): breaking the protocol fails every test
        '    box = find_box()\n    box.send(\'{"q":1,"v":5}\')',
        // a failure whose kind is ok
        '    box = find_box()\n    real = box.send\n    box.send = lambda payload: real(payload.split(\',\', 1)[0] + \',"f":{"k":"ok"}}\')',
        // a reply with both a value and a failure
        '    box = find_box()\n    real = box.send\n    box.send = lambda payload: real(payload.split(\',\', 1)[0] + \',"v":5,"f":{"k":"ok"}}\')',
        // a value nested deeper than the tests read
        "    box = find_box()\n    real = box.send\n    box.send = lambda payload: real(payload.split(',', 1)[0] + ',\"v\":' + '[\"l\",' * 500 + '5' + ']' * 500 + '}')",
        // the right answer for the first test, then a reply to a call that was never made
        "    box = find_box()\n    real = box.send\n    box.send = lambda payload: real(payload.split(',', 1)[0].replace(':', ':9', 1) + ',\"v\":5}')",
      ];
      for (const body of forgeries) for (const report of await both(answer(body))) expectRefused(report);
    });

    it("refuses a pass after the code switches its audit hook off and searches the heap (gc.get_objects, gc.get_referrers)", async () => {
      const body = [
        "    unhook()",
        "    for value in gc.get_objects():",
        "        if type(value) is dict and value.get('k') in ('runtime', 'plain', 'timeout'):",
        "            value['k'] = 'ok'",
        "        if type(value) is dict and 'passed' in value:",
        "            value['passed'] = True",
        "    for value in gc.get_referrers(find_box()):",
        "        if type(value) is dict:",
        "            value['forged'] = True",
        "    found = [value for value in gc.get_objects() if type(value) is str and 'candidate(2)' in value]",
        "    print('test code seen:', bool(found))",
      ].join("\n");
      for (const report of await both(answer(body))) {
        expectRefused(report);
        expect(report.stdout).toMatch(/unhooked/);
        expect(report.stdout).toMatch(/test code seen: False/);
      }
    });

    it("cannot read the tests from any descriptor it holds", async () => {
      const body = [
        "    unhook()",
        "    seen = b''",
        "    for fd in range(64):",
        "        try:",
        "            os.set_blocking(fd, False)",
        "            seen += os.read(fd, 1 << 20)",
        "        except OSError:",
        "            pass",
        "    print('read', len(seen), 'bytes; tests seen:', b'candidate' in seen or b'assert' in seen)",
      ].join("\n");
      for (const report of await both(answer(body))) {
        expectRefused(report);
        expect(report.stdout).toMatch(/tests seen: False/);
      }
    });

    it("ignores fake result lines written to fd 1, fd 2, inherited descriptors and printed output", async () => {
      const body = [
        "    token = find_box().job['n']",
        '    fake = \'\'.join(\'\\n%s {"e": "case", "i": %d, "r": {"k": "ok"}}\\n\' % (token, i) for i in range(3)) + token + \' {"e": "done"}\\n\'',
        "    print(fake)",
        "    for fd in range(0, 64):",
        "        try:",
        "            os.write(fd, fake.encode())",
        "        except OSError:",
        "            pass",
      ].join("\n");
      for (const report of await both(answer(body))) expectRefused(report);
    });

    it("keeps builtins, operator.eq and AssertionError the code replaces away from the tests", async () => {
      const setup = [
        "import builtins, operator",
        "operator.eq = operator.ne = lambda a, b: True",
        "builtins.AssertionError = type('AssertionError', (Exception,), {})",
        "builtins.abs = lambda x: 0",
        "builtins.all = builtins.any = lambda *args: True",
        "builtins.isinstance = lambda *args: True",
        "builtins.len = lambda x: 0",
        "builtins.__import__ = lambda *args, **kwargs: None",
      ].join("\n");
      for (const report of await both(answer("    pass", `\n${setup}`))) expectRefused(report);
    });

    it("refuses a pass when the code traces or profiles (sys.settrace, sys.setprofile) after unhooking", async () => {
      const setup = [
        "unhook()",
        "def tracer(frame, event, arg):",
        "    for name, value in list(frame.f_locals.items()):",
        "        if type(value) is dict and 'k' in value:",
        "            value['k'] = 'ok'",
        "    if type(frame.f_locals.get('reply')) is str:",
        '        frame.f_locals[\'reply\'] = \'{"f":{"k":"ok"}}\'',
        "    return tracer",
        "sys.settrace(tracer)",
        "sys.setprofile(tracer)",
        "print('tracing')",
      ].join("\n");
      for (const report of await both(answer("    sys.settrace(tracer)", `\n${setup}`))) {
        expectRefused(report);
        expect(report.stdout).toMatch(/tracing/);
      }
    });

    it("refuses objects with custom __eq__, __ne__, __bool__ or __hash__, in any test shape", async () => {
      const anything =
        "class Anything:\n    __eq__ = __ne__ = __lt__ = __gt__ = __le__ = __ge__ = lambda *a: True\n    __bool__ = lambda self: True\n    __hash__ = lambda self: 5\n    __len__ = lambda self: 1\n";
      for (const value of ["Anything()", "[Anything(), Anything()]", "{5: Anything()}", "(5, Anything())"]) {
        const code = `${anything}def f(x):\n    return ${value}\n`;
        const shapes = [
          CHECK,
          ASSERTS,
          {
            testCode: "def check(candidate):\n    assert candidate(2) != 4\n    assert candidate(2)\n    assert hash(candidate(2)) == hash(5)\n",
            entryPoint: "f",
          },
          { testCode: "assert f(2) == 5\nassert f(3) == 7\n" },
          {
            asserts: [
              "result = f(2)\nassert result == 5",
              "assert f(2) != 4",
              "assert f(2)",
              "assert {f(2)} == {5}",
              "assert [f(2)] == [5]",
              "assert f(2) in [5]",
            ],
          },
        ];
        for (const suite of shapes) expectRefused(await python.runTests(code, suite));
      }
    });

    it("refuses subclasses of int, str, tuple, dict and float", async () => {
      for (const base of ["int", "str", "tuple", "dict", "float"]) {
        const code = `class Sneaky(${base}):\n    __eq__ = lambda *a: True\n    __ne__ = lambda *a: False\n    __hash__ = ${base}.__hash__\ndef f(x):\n    return Sneaky()\n`;
        for (const report of await both(code)) {
          expectRefused(report);
          expect(report.results[0]?.error?.message).toMatch(/object of type Sneaky/);
        }
      }
    });

    it("fails exceptions whose text is a fake pass, and StopIteration that would end a map() early", async () => {
      const fakeText = `${TAKEOVER}def f(x):\n    token = find_box().job['n']\n    raise Exception('\\n' + token + ' {"e": "case", "i": 0, "r": {"k": "ok"}}\\n' + token + ' {"e": "done"}\\n')\n`;
      for (const report of await both(fakeText)) expectRefused(report);
      const stop = "def f(x):\n    raise StopIteration\n";
      const viaMap = await python.runTests(stop, {
        testCode: "def check(candidate):\n    assert all(map(lambda x: candidate(x) == 2 * x + 1, [2, 3]))\n    assert list(map(candidate, [2])) == [5]\n",
        entryPoint: "f",
      });
      expectRefused(viaMap);
      expect(viaMap.results[0]?.error?.message).toMatch(/^StopIteration/);
      expectRefused(await python.runTests(stop, { asserts: ["assert all(map(lambda x: f(x) == 2 * x + 1, [2, 3]))"] }));
    });

    it("fails a test when the code ends its process mid-test, after answering right once", async () => {
      const code = "import os\ncalls = []\ndef f(x):\n    calls.append(x)\n    if len(calls) > 1:\n        os._exit(0)\n    return 2 * x + 1\n";
      const [check, asserts] = await both(code);
      expect(check).toMatchObject({
        ok: false,
        passed: 0,
        results: [{ error: { message: "the Python process ended (exit code 0) before it reported a result" } }],
      });
      // The first assertion was answered right before the process ended.
      expect(asserts).toMatchObject({
        ok: false,
        passed: 1,
        results: [{ passed: true }, { passed: false, error: { message: "the Python process ended (exit code 0) before it reported a result" } }],
      });
    });

    it("caps huge printed output and still fails a wrong answer", async () => {
      const small = createPythonExecutor({ maxOutputChars: 1000 });
      try {
        const body = "    token = find_box().job['n']\n    print(('\\n' + token + ' {\"e\": \"done\"}\\n') * 10**5)\n    print('x' * 10**7)";
        for (const suite of [CHECK, ASSERTS]) {
          const report = await small.runTests(answer(body), suite);
          expectRefused(report);
          expect(report.truncated).toBe(true);
          expect(report.stdout.length).toBeLessThan(1100);
        }
      } finally {
        await small.dispose();
      }
    });

    it.skipIf(process.getuid?.() !== 0)("cannot reach another process's descriptors or memory through /proc (as root, runs drop to nobody)", async () => {
      const body = [
        "    unhook()",
        "    reached = []",
        "    for name in os.listdir('/proc'):",
        "        if not name.isdigit() or int(name) == os.getpid():",
        "            continue",
        "        for path, flags in (('/proc/%s/fd/1' % name, os.O_WRONLY), ('/proc/%s/fd/0' % name, os.O_WRONLY), ('/proc/%s/mem' % name, os.O_RDONLY)):",
        "            try:",
        "                os.close(os.open(path, flags))",
        "                reached.append(path)",
        "            except OSError:",
        "                pass",
        "    print('reached', reached)",
      ].join("\n");
      for (const report of await both(answer(body))) {
        expectRefused(report);
        expect(report.stdout).toMatch(/reached \[\]/);
      }
    });
  });

  describe("names the tests use", () => {
    it("puts builtins the code redefines back for the tests (HumanEval and MBPP)", async () => {
      const cheat = "def abs(x):\n    return 0\n\ndef area(r):\n    return 1.0\n";
      const check = await python.runTests(cheat, { testCode: "def check(candidate):\n    assert abs(candidate(2) - 12.566) < 0.01\n", entryPoint: "area" });
      expect(check.ok).toBe(false);
      const asserts = await python.runTests(cheat, { asserts: ["assert abs(area(2) - 12.566) < 0.01"] });
      expect(asserts.ok).toBe(false);
    });

    it("keeps a function under test that is named like a builtin", async () => {
      const report = await python.runTests("def sum(a, b):\n    return a + b + 1\n", { asserts: ["assert sum(1, 2) == 4", "assert sum(0, 0) == 1"] });
      expect(report.ok).toBe(true);
    });
  });
});
