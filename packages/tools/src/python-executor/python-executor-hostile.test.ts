import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunResult } from "../code-executor/code-executor";
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
      for (const code of [`open(${JSON.stringify(target)}, "w").write("x")`, `import os\nos.close(os.open(${JSON.stringify(target)}, os.O_WRONLY | os.O_CREAT))`, `import pathlib\npathlib.Path(${JSON.stringify(target)}).write_text("x")`]) {
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
      expect(result).toMatchObject({ ok: false, error: { code: CodeErrorCode.Runtime, message: "the Python process ended (exit code 0) before it reported a result" } });
    });

    it("fails tests when the code floods the result channel", async () => {
      const result = await python.run("import os\nwhile True:\n    os.write(3, b'x' * 65536)");
      expect(result.ok).toBe(false);
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
