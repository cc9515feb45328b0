/**
 * TinyLLM tools: a hardened calculator, sandboxed JavaScript (isolated-vm), local and SearXNG
 * search, the `Tool` contract and registry, and the `tool` node kind. Every part works on its
 * own: `import { calculator, runTool } from "@tinyllm/tools"`.
 *
 * @module
 */
export { defineTool, type Tool, type ToolError, type ToolExecuteOptions, type ToolResult } from "./tool/tool";
export { ToolErrorCode } from "./tool/tool-error-codes";
export { runTool, toToolError, type RunToolOptions } from "./tool/run-tool";
export { createToolRegistry, toolDescription, type ToolDescription, type ToolRegistry } from "./tool/tool-registry";
export { createToolKind, ToolNodeConfigSchema, type ToolNodeConfig } from "./nodes/tool-kind";
export * from "./calculator/index";
export * from "./code-executor/index";
export * from "./python-executor/index";
export * from "./search/index";
