import { z } from "zod";
import { compileTemplate, defineNodeKind, TinyLLMError, type NodeKind, type Template } from "@tinyllm/core";
import type { ToolRegistry } from "../tool/tool-registry";

const field = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier");

/** Config of a `tool` node. */
export const ToolNodeConfigSchema = z.strictObject({
  /** The tool's name in the registry, e.g. `calculator`. */
  tool: z.string().min(1),
  /** The tool's arguments; string values are templates over the state (`"{{ input }}"`). */
  arguments: z.record(z.string(), z.unknown()).optional(),
  /**
   * Instead of `arguments`: let the tool read the input from this text (a template), the way
   * the tool-first path does (e.g. the calculator finds "2+2" in "What is 2+2?").
   */
  fromQuery: z.string().optional(),
  /** Field that receives `{ output, answersQuery }`. Default `tool`. */
  into: field.default("tool"),
});

/** Parsed config of a `tool` node. */
export type ToolNodeConfig = z.output<typeof ToolNodeConfigSchema>;

/**
 * The `tool` node kind: calls one tool of a registry with templated arguments, records a
 * `tool` span and `tool-call` / `tool-result` events, and writes the result to `into`. A tool
 * failure fails the node with the tool's error code, so `on: error` edges can route around it.
 */
export function createToolKind({ tools }: { tools: ToolRegistry }): NodeKind<ToolNodeConfig> {
  return defineNodeKind({
    kind: "tool",
    description: "Calls a tool with templated arguments.",
    configSchema: ToolNodeConfigSchema,
    writes: (config) => [config.into],
    reads: (config) => templates(config).flatMap(([, t]) => t.fields),
    check: (config) => {
      const problems: { message: string; hint?: string; path: (string | number)[] }[] = [];
      if (!tools.get(config.tool))
        problems.push({ message: `unknown tool '${config.tool}'`, hint: `tools: ${tools.names().join(", ") || "(none)"}`, path: ["tool"] });
      if ((config.arguments === undefined) === (config.fromQuery === undefined)) problems.push({ message: "give either arguments or fromQuery", path: [] });
      for (const [key, value] of Object.entries(config.arguments ?? {})) {
        if (typeof value !== "string") continue;
        const t = compileTemplate(value);
        if (!t.ok) problems.push({ message: `template does not parse: ${t.error.message}`, path: ["arguments", key] });
      }
      if (config.fromQuery !== undefined) {
        const t = compileTemplate(config.fromQuery);
        if (!t.ok) problems.push({ message: `template does not parse: ${t.error.message}`, path: ["fromQuery"] });
      }
      return problems;
    },
    create: (config) => {
      const argumentTemplates = templates(config).filter(([key]) => key !== "\0fromQuery");
      const queryTemplate = config.fromQuery !== undefined ? compileTemplate(config.fromQuery) : undefined;
      let call = 0;
      return async (state, context) => {
        let input: unknown;
        let answersQuery = false;
        if (queryTemplate?.ok) {
          const text = String(queryTemplate.template.render(state) ?? "");
          const match = tools.fromQuery(text, { names: [config.tool] });
          if (!match) throw new TinyLLMError({ code: "TOOL_NOT_APPLICABLE", message: `${config.tool} does not apply to this input`, nodeId: context.nodeId });
          input = match.input;
          answersQuery = match.answersQuery;
        } else {
          const args: Record<string, unknown> = { ...config.arguments };
          for (const [key, template] of argumentTemplates) args[key] = template.render(state);
          input = args;
        }
        const callId = `${context.nodeId}-${++call}`;
        context.emit({ type: "tool-call", callId, toolName: config.tool, input });
        const span = context.span.startChild({ kind: "tool", name: config.tool, input });
        const outcome = await tools.call(config.tool, input, { abortSignal: context.abortSignal });
        if (!outcome.ok) {
          span.end({ error: { code: outcome.error.code, message: outcome.error.message } });
          context.emit({
            type: "tool-result",
            callId,
            toolName: config.tool,
            error: { code: outcome.error.code, message: outcome.error.message },
            durationMs: outcome.durationMs,
          });
          throw new TinyLLMError({
            code: outcome.error.code,
            message: outcome.error.message,
            ...(outcome.error.hint ? { hint: outcome.error.hint } : {}),
            nodeId: context.nodeId,
          });
        }
        span.end({ output: outcome.output });
        context.emit({ type: "tool-result", callId, toolName: config.tool, output: outcome.output, durationMs: outcome.durationMs });
        return { patch: { [config.into]: { output: outcome.output, answersQuery } } };
      };
    },
  });
}

function templates(config: ToolNodeConfig): [string, Template][] {
  const out: [string, Template][] = [];
  for (const [key, value] of Object.entries(config.arguments ?? {})) {
    if (typeof value !== "string") continue;
    const t = compileTemplate(value);
    if (t.ok) out.push([key, t.template]);
  }
  if (config.fromQuery !== undefined) {
    const t = compileTemplate(config.fromQuery);
    if (t.ok) out.push(["\0fromQuery", t.template]);
  }
  return out;
}
