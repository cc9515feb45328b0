import { TinyLLMError } from "@tinyllm/core";
import { afterAll, describe, expect, it } from "vitest";
import { runTool } from "../tool/run-tool";
import { createToolRegistry } from "../tool/tool-registry";
import { CodeErrorCode } from "./code-error-code";
import { createCodeExecutorTool } from "./code-executor-tool";
import { createCodeExecutor } from "./create-code-executor";

describe("createCodeExecutorTool", () => {
  const executor = createCodeExecutor({ poolSize: 1, timeoutMs: 300 });
  const tool = createCodeExecutorTool(executor);
  afterAll(async () => {
    await executor.dispose();
  });

  it("is the run_javascript tool with a JSON schema models can read", () => {
    const [description] = createToolRegistry([tool]).describe();
    expect(description?.name).toBe("run_javascript");
    expect(description?.description).toMatch(/JavaScript/);
    expect(description?.parameters).toMatchObject({ type: "object", properties: { code: { type: "string" } }, required: ["code"] });
  });

  it("returns stdout, the result and the duration", async () => {
    const result = await runTool(tool, { code: 'console.log("sum");\n[1, 2, 3].reduce((a, b) => a + b)' });
    expect(result).toMatchObject({ ok: true, output: { stdout: "sum\n", returnValue: 6 } });
    expect(result.ok && result.output.durationMs).toBeGreaterThan(0);
  });

  it("throws runtime errors with the line number, the code and the output so far", async () => {
    const error = await tool
      .execute({ code: 'console.log("about to fail");\nconst o = null;\no.field;' }, { abortSignal: new AbortController().signal })
      .catch((thrown: unknown) => thrown);
    expect(TinyLLMError.isInstance(error)).toBe(true);
    const failure = error as TinyLLMError;
    expect(failure.code).toBe(CodeErrorCode.Runtime);
    expect(failure.message).toBe("line 3, column 3: TypeError: Cannot read properties of null (reading 'field')");
    expect(failure.hint).toContain("Output before the failure:\nabout to fail");
  });

  it("reports syntax errors, timeouts and missing APIs through runTool", async () => {
    const syntax = await runTool(tool, { code: "let x = ;" });
    expect(syntax).toMatchObject({ ok: false, error: { code: CodeErrorCode.Syntax, message: "line 1, column 9: SyntaxError: Unexpected token ';'" } });
    const timeout = await runTool(tool, { code: "for (;;) {}" });
    expect(timeout).toMatchObject({ ok: false, error: { code: CodeErrorCode.Timeout } });
    expect(!timeout.ok && timeout.error.hint).toMatch(/endless loop/);
    const node = await runTool(tool, { code: "process.env" });
    expect(node).toMatchObject({ ok: false, error: { code: CodeErrorCode.Runtime, message: "line 1, column 1: ReferenceError: process is not defined" } });
    expect(!node.ok && node.error.hint).toMatch(/no require\/import, process/);
  });

  it("validates its input", async () => {
    expect(await runTool(tool, { code: "" })).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
    expect(await runTool(tool, { source: "1" })).toMatchObject({ ok: false, error: { code: "TOOL_INPUT_INVALID" } });
  });

  it("stops when runTool's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await runTool(tool, { code: "while (true) {}" }, { abortSignal: controller.signal });
    expect(result).toMatchObject({ ok: false, error: { code: "TOOL_ABORTED" } });
    expect(await runTool(tool, { code: "'still works'" })).toMatchObject({ ok: true, output: { returnValue: "still works" } });
  });

  it("omits returnValue when the code yields nothing", async () => {
    const result = await runTool(tool, { code: "const unused = 1;" });
    expect(result.ok && "returnValue" in result.output).toBe(false);
  });
});
