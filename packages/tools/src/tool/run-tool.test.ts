import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "./tool";
import { createToolRegistry, toolDescription } from "./tool-registry";
import { runTool } from "./run-tool";

const sleepy = defineTool({
  name: "sleepy",
  description: "Waits until aborted.",
  inputSchema: z.object({}),
  outputSchema: z.object({}),
  timeoutMs: 30,
  execute: (_input, { abortSignal }) => new Promise((_, reject) => abortSignal.addEventListener("abort", () => reject(abortSignal.reason), { once: true })),
});
const stubborn = defineTool({
  name: "stubborn",
  description: "Ignores its signal.",
  inputSchema: z.object({}),
  outputSchema: z.object({}),
  timeoutMs: 30,
  execute: () => new Promise(() => undefined),
});
const liar = defineTool({
  name: "liar",
  description: "Returns output that breaks its own schema.",
  inputSchema: z.object({}),
  outputSchema: z.object({ n: z.number() }),
  timeoutMs: 1000,
  execute: async () => ({ n: "one" }) as unknown as { n: number },
});
const thrower = defineTool({
  name: "thrower",
  description: "Throws a plain string.",
  inputSchema: z.object({ x: z.string() }),
  outputSchema: z.object({}),
  timeoutMs: 1000,
  execute: async () => {
    throw "boom";
  },
});

describe("runTool", () => {
  it("should time out a tool that honours its signal and one that ignores it", async () => {
    for (const tool of [sleepy, stubborn]) {
      const result = await runTool(tool, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("TOOL_TIMEOUT");
    }
  });

  it("should report invalid input, schema-breaking output and thrown non-errors as structured errors", async () => {
    const invalid = await runTool(thrower, { x: 1 });
    expect(invalid.ok ? "" : invalid.error.code).toBe("TOOL_INPUT_INVALID");
    const thrown = await runTool(thrower, { x: "a" });
    expect(thrown.ok ? "" : thrown.error).toMatchObject({ code: "TOOL_FAILED", message: "boom" });
    const lie = await runTool(liar, {});
    expect(lie.ok ? "" : lie.error.code).toBe("TOOL_FAILED");
  });

  it("should stop when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = runTool(sleepy, {}, { abortSignal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    const result = await pending;
    expect(result.ok ? "" : result.error.code).toBe("TOOL_ABORTED");
  });
});

describe("createToolRegistry", () => {
  it("should describe tools with JSON schemas and call them by name", async () => {
    const registry = createToolRegistry([thrower, liar]);
    expect(registry.names()).toEqual(["liar", "thrower"]);
    expect(toolDescription(thrower).parameters).toMatchObject({ type: "object", properties: { x: { type: "string" } }, required: ["x"] });
    const missing = await registry.call("nosuch", {});
    expect(missing.ok ? "" : missing.error.code).toBe("TOOL_NOT_FOUND");
    expect(() => createToolRegistry([thrower, thrower])).toThrow(/twice/);
    expect(() => createToolRegistry([{ ...thrower, name: "Bad Name" }])).toThrow(/must match/);
  });
});
