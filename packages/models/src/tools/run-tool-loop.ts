import { ModelErrorCode, TinyLLMError, toTinyLLMError, type NodeEmittedEvent, type SpanHandle } from "@tinyllm/core";
import type { ChatMessage, ChatOptions, ModelProvider, TokenUsage } from "@tinyllm/core";
import type { ToolCallOutcome, ToolSet } from "@tinyllm/core";

/** Options of {@link runToolLoop}. */
export interface RunToolLoopOptions extends Omit<ChatOptions, "jsonSchema" | "tools"> {
  provider: ModelProvider;
  tools: ToolSet;
  /** Names of the tools offered; default every tool of the set. */
  toolNames?: readonly string[];
  /** Most tool calls before the model must answer. Default 3. */
  maxToolRounds?: number;
  /** `native` (Ollama `tools`), `json` (schema-constrained protocol) or `auto`. Default `auto`. */
  mode?: "auto" | "native" | "json";
  /** Receives tool-call and tool-result events (a node's `context.emit`). */
  emit?: (event: NodeEmittedEvent) => void;
  /** Parent span for model and tool call spans. */
  span?: SpanHandle;
}

/** What {@link runToolLoop} returns. */
export interface ToolLoopResult {
  text: string;
  usage: TokenUsage;
  toolCalls: { name: string; input: unknown; outcome: ToolCallOutcome }[];
  mode: "native" | "json";
}

/**
 * The one bounded tool loop every specialist uses. The model either calls a tool or answers;
 * tool arguments are validated before the tool runs (a validation error goes back to the
 * model once); after `maxToolRounds` calls the model must answer. With providers that declare
 * `capabilities.nativeToolCalls` the native `tools` API is used (`auto`); with others, or when the
 * model refuses native tools (`MODEL_TOOLS_UNSUPPORTED`),
 * a JSON protocol constrained by a schema: `{ "tool": name, "arguments": {…} }` or
 * `{ "answer": "…" }`.
 */
export async function runToolLoop(options: RunToolLoopOptions): Promise<ToolLoopResult> {
  const { provider, tools, toolNames, maxToolRounds = 3, mode = "auto", emit, span, ...chat } = options;
  const specs = tools.describe().filter((t) => !toolNames || toolNames.includes(t.name));
  if (specs.length === 0) throw new TinyLLMError({ code: "INVALID_ARGUMENT", message: "runToolLoop needs at least one tool" });
  const useNative = mode === "native" || (mode === "auto" && provider.capabilities.nativeToolCalls);
  if (useNative) {
    try {
      return await nativeLoop();
    } catch (error) {
      const e = toTinyLLMError(error);
      if (mode === "native" || e.code !== ModelErrorCode.ModelToolsUnsupported) throw error;
      // The model does not support native tools: fall through to the JSON protocol.
    }
  }
  return jsonLoop();

  async function callTool(name: string, input: unknown, round: number): Promise<ToolCallOutcome> {
    const callId = `t${round}-${name}`;
    emit?.({ type: "tool-call", callId, toolName: name, input });
    const child = span?.startChild({ kind: "tool", name, input });
    const outcome = specs.some((s) => s.name === name)
      ? await tools.call(name, input, { ...(chat.abortSignal ? { abortSignal: chat.abortSignal } : {}) })
      : { ok: false, error: { code: "TOOL_NOT_FOUND", message: `no tool named '${name}'`, hint: `tools: ${specs.map((s) => s.name).join(", ")}` }, durationMs: 0 };
    child?.end(outcome.ok ? { output: outcome.output } : { error: { code: outcome.error?.code ?? "TOOL_FAILED", message: outcome.error?.message ?? "" } });
    emit?.({ type: "tool-result", callId, toolName: name, ...(outcome.ok ? { output: outcome.output } : { error: { code: outcome.error?.code ?? "TOOL_FAILED", message: outcome.error?.message ?? "" } }), durationMs: outcome.durationMs });
    return outcome;
  }

  function resultText(outcome: ToolCallOutcome): string {
    return outcome.ok ? JSON.stringify(outcome.output) : `error ${outcome.error?.code}: ${outcome.error?.message}${outcome.error?.hint ? ` (${outcome.error.hint})` : ""}`;
  }

  async function nativeLoop(): Promise<ToolLoopResult> {
    const messages: ChatMessage[] = [...chat.messages];
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const calls: ToolLoopResult["toolCalls"] = [];
    for (let round = 0; ; round++) {
      const offer = round < maxToolRounds;
      const result = await provider.chat({ ...chat, messages, ...(offer ? { tools: specs } : {}) });
      usage.inputTokens += result.usage.inputTokens;
      usage.outputTokens += result.usage.outputTokens;
      if (!offer || !result.toolCalls || result.toolCalls.length === 0) return { text: result.text, usage, toolCalls: calls, mode: "native" };
      messages.push({ role: "assistant", content: result.text, toolCalls: result.toolCalls });
      for (const call of result.toolCalls) {
        const outcome = await callTool(call.name, call.arguments, round);
        calls.push({ name: call.name, input: call.arguments, outcome });
        messages.push({ role: "tool", toolName: call.name, content: resultText(outcome) });
      }
    }
  }

  async function jsonLoop(): Promise<ToolLoopResult> {
    // One alternative per tool, each with that tool's own argument schema, so the grammar of
    // constrained decoders (llama.cpp) only admits well-formed calls.
    const answerSchema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    const withTools = {
      anyOf: [
        ...specs.map((s) => ({ type: "object", properties: { tool: { enum: [s.name] }, arguments: s.parameters }, required: ["tool", "arguments"], additionalProperties: false })),
        answerSchema,
      ],
    };
    const protocol = [
      "You can use tools. Reply with JSON only: either",
      '{"tool": "<name>", "arguments": {…}} to call a tool, or {"answer": "<your final answer>"}.',
      "Tools:",
      ...specs.map((s) => `- ${s.name}: ${s.description} Arguments JSON schema: ${JSON.stringify(s.parameters)}`),
    ].join("\n");
    const messages: ChatMessage[] = [...chat.messages];
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const calls: ToolLoopResult["toolCalls"] = [];
    let repairedValidation = false;
    for (let round = 0; ; round++) {
      const offer = round < maxToolRounds;
      const result = await provider.chat({
        ...chat,
        system: [chat.system, offer ? protocol : 'Reply with JSON only: {"answer": "<your final answer>"}.'].filter(Boolean).join("\n\n"),
        messages,
        jsonSchema: offer ? withTools : answerSchema,
      });
      usage.inputTokens += result.usage.inputTokens;
      usage.outputTokens += result.usage.outputTokens;
      const parsed = parseProtocol(result.text, offer ? specs.map((s) => s.name) : []);
      if (!parsed) {
        // Not valid protocol JSON: take the text as the answer rather than loop on noise.
        return { text: result.text, usage, toolCalls: calls, mode: "json" };
      }
      if ("answer" in parsed) return { text: parsed.answer, usage, toolCalls: calls, mode: "json" };
      const outcome = await callTool(parsed.tool, parsed.arguments, round);
      calls.push({ name: parsed.tool, input: parsed.arguments, outcome });
      messages.push({ role: "assistant", content: result.text });
      if (!outcome.ok && outcome.error?.code === "TOOL_INPUT_INVALID") {
        if (repairedValidation) {
          messages.push({ role: "user", content: `The arguments were invalid again (${outcome.error.message}). Answer now without tools.` });
          round = maxToolRounds - 1;
          continue;
        }
        repairedValidation = true;
      }
      messages.push({ role: "user", content: `Result of ${parsed.tool}: ${resultText(outcome)}` });
    }
  }
}

/** Reads a JSON-protocol reply: a call of one of `tools`, or an answer; undefined otherwise. */
function parseProtocol(text: string, tools: readonly string[]): { tool: string; arguments: unknown } | { answer: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.answer === "string") return { answer: record.answer };
  if (typeof record.tool === "string" && tools.includes(record.tool)) return { tool: record.tool, arguments: record.arguments ?? {} };
  return undefined;
}
