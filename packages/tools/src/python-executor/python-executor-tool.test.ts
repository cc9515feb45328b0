import { spawnSync } from "node:child_process";
import { TinyLLMError } from "@tinyllm/core";
import { afterAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "../code-executor/code-error-code";
import { runTool } from "../tool/run-tool";
import { createToolRegistry } from "../tool/tool-registry";
import { createPythonExecutor } from "./create-python-executor";
import { createPythonExecutorTool } from "./python-executor-tool";

// These tests run real CPython (3.8+); on a machine without python3 on PATH they are skipped.
const hasPython = spawnSync("python3", ["-c", "import sys; assert sys.version_info >= (3, 8)"]).status === 0;

describe.skipIf(!hasPython)("createPythonExecutorTool", () => {
  const executor = createPythonExecutor({ timeoutMs: 1000 });
  const tool = createPythonExecutorTool(executor);
  afterAll(async () => {
    await executor.dispose();
  });

  it("is the run_python tool with a JSON schema models can read", () => {
    const [description] = createToolRegistry([tool]).describe();
    expect(description?.name).toBe("run_python");
    expect(description?.description).toMatch(/Python 3/);
    expect(description?.parameters).toMatchObject({ type: "object", properties: { code: { type: "string" } }, required: ["code"] });
  });

  it("returns stdout, the repr of the last expression and the duration", async () => {
    const result = await runTool(tool, { code: "import math\nprint('choose')\nmath.comb(10, 3)" });
    expect(result).toMatchObject({ ok: true, output: { stdout: "choose\n", returnValue: "120" } });
    expect(result.ok && result.output.durationMs).toBeGreaterThan(0);
  });

  it("omits returnValue when the code ends with a statement", async () => {
    const result = await runTool(tool, { code: "x = 1" });
    expect(result.ok && "returnValue" in result.output).toBe(false);
  });

  it("throws runtime errors with the line number and the output so far", async () => {
    const error = await tool
      .execute({ code: "print('about to fail')\nitems = []\nitems[3]" }, { abortSignal: new AbortController().signal })
      .catch((thrown: unknown) => thrown);
    expect(TinyLLMError.isInstance(error)).toBe(true);
    const failure = error as TinyLLMError;
    expect(failure.code).toBe(CodeErrorCode.Runtime);
    expect(failure.message).toBe("line 3: IndexError: list index out of range");
    expect(failure.hint).toContain("Output before the failure:\nabout to fail");
  });

  it("reports syntax errors and timeouts through runTool", async () => {
    const syntax = await runTool(tool, { code: "def f(:\n    pass" });
    expect(syntax).toMatchObject({ ok: false, error: { code: CodeErrorCode.Syntax } });
    expect(!syntax.ok && syntax.error.message).toMatch(/^line 1, column \d+: SyntaxError: /);
    const timeout = await runTool(tool, { code: "while True:\n    pass" });
    expect(timeout).toMatchObject({ ok: false, error: { code: CodeErrorCode.Timeout } });
    expect(!timeout.ok && timeout.error.hint).toMatch(/endless loop/);
  });

  it("validates its input", async () => {
    expect(await runTool(tool, { code: "" })).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
    expect(await runTool(tool, { source: "1" })).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
  });
});
