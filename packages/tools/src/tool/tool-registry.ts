import { z } from "zod";
import { TinyLLMError } from "@tinyllm/core";
import type { Tool, ToolResult } from "./tool";
import { runTool, type RunToolOptions } from "./run-tool";
import { ToolErrorCode } from "./tool-error-codes";

/** How a model sees a tool: name, description and JSON schema of its input. */
export interface ToolDescription {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A set of tools by name. */
export interface ToolRegistry {
  get(name: string): Tool | undefined;
  /** Like `get`, but throws `TOOL_NOT_FOUND` listing the known tools. */
  require(name: string): Tool;
  names(): string[];
  /** Every tool as a model sees it. */
  describe(): ToolDescription[];
  /** Runs a tool by name with {@link runTool}: input validated, time bounded. Never throws. */
  call(name: string, input: unknown, options?: RunToolOptions): Promise<ToolResult>;
  /** The first of `names` (default: every tool) that applies to the raw query directly. */
  fromQuery(query: string, options?: { names?: readonly string[] }): { name: string; input: unknown; answersQuery: boolean } | undefined;
}

/** The JSON schema of a tool's input, for model tool calling. */
export function toolDescription(tool: Tool): ToolDescription {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.inputSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

/**
 * Creates a registry. Throws `INVALID_ARGUMENT` on duplicate or malformed names.
 *
 * @example
 * ```ts
 * const tools = createToolRegistry([calculator, createCodeExecutorTool()]);
 * tools.describe(); // [{ name: "calculator", description, parameters }, …]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createToolRegistry(tools: Iterable<Tool<any, any>>): ToolRegistry {
  const map = new Map<string, Tool>();
  for (const tool of tools) {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(tool.name))
      throw new TinyLLMError({ code: "INVALID_ARGUMENT", message: `tool name '${tool.name}' must match [a-z][a-z0-9_]*` });
    if (map.has(tool.name)) throw new TinyLLMError({ code: "INVALID_ARGUMENT", message: `tool '${tool.name}' is registered twice` });
    map.set(tool.name, tool as Tool);
  }
  return {
    get: (name) => map.get(name),
    require(name) {
      const tool = map.get(name);
      if (!tool)
        throw new TinyLLMError({
          code: ToolErrorCode.ToolNotFound,
          message: `no tool named '${name}'`,
          hint: `tools: ${[...map.keys()].join(", ") || "(none)"}`,
        });
      return tool;
    },
    names: () => [...map.keys()].sort(),
    describe: () => [...map.values()].map(toolDescription),
    async call(name, input, options = {}) {
      const tool = map.get(name);
      if (!tool)
        return {
          ok: false,
          error: { code: ToolErrorCode.ToolNotFound, message: `no tool named '${name}'`, hint: `tools: ${[...map.keys()].join(", ") || "(none)"}` },
          durationMs: 0,
        };
      return runTool(tool, input, options);
    },
    fromQuery(query, { names } = {}) {
      for (const tool of map.values()) {
        if (names && !names.includes(tool.name)) continue;
        let match: { input: unknown; answersQuery: boolean } | undefined;
        try {
          match = tool.fromQuery?.(query);
        } catch {
          match = undefined;
        }
        if (match) return { name: tool.name, ...match };
      }
      return undefined;
    },
  };
}
