import { ModelErrorCode, TinyLLMError, toTinyLLMError, type NodeEmittedEvent, type SpanHandle } from "@tinyllm/core";
import type { ChatMessage, ChatOptions, ModelProvider, TokenUsage, ToolSpec } from "@tinyllm/core";
import type { ToolCallOutcome, ToolSet } from "@tinyllm/core";

/** Options of {@link runToolLoop}. */
export interface RunToolLoopOptions extends Omit<ChatOptions, "jsonSchema" | "tools"> {
  provider: ModelProvider;
  tools: ToolSet;
  /** Names of the tools offered, most useful first (the last are left out first when the context is short); default every tool of the set. */
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

/** Longest tool result shown to the model, in characters. */
const maxResultChars = 2000;

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
  // In the order the caller names them: the first are kept when the context is short.
  const described = tools.describe();
  const specs = toolNames ? toolNames.flatMap((name) => described.filter((t) => t.name === name)) : described;
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
      : {
          ok: false,
          error: { code: "TOOL_NOT_FOUND", message: `no tool named '${name}'`, hint: `tools: ${specs.map((s) => s.name).join(", ")}` },
          durationMs: 0,
        };
    child?.end(outcome.ok ? { output: outcome.output } : { error: { code: outcome.error?.code ?? "TOOL_FAILED", message: outcome.error?.message ?? "" } });
    emit?.({
      type: "tool-result",
      callId,
      toolName: name,
      ...(outcome.ok ? { output: outcome.output } : { error: { code: outcome.error?.code ?? "TOOL_FAILED", message: outcome.error?.message ?? "" } }),
      durationMs: outcome.durationMs,
    });
    return outcome;
  }

  /** A tool's outcome as the model reads it, capped so one huge output or error cannot fill the context. */
  function resultText(outcome: ToolCallOutcome): string {
    const text = outcome.ok
      ? (JSON.stringify(outcome.output) ?? "null")
      : `error ${outcome.error?.code}: ${outcome.error?.message}${outcome.error?.hint ? ` (${outcome.error.hint})` : ""}`;
    return text.length > maxResultChars ? `${text.slice(0, maxResultChars)}… (${text.length - maxResultChars} more characters cut)` : text;
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
    const schemaFor = (offered: ToolSpec[]) => ({
      anyOf: [
        ...offered.map((s) => ({
          type: "object",
          properties: { tool: { enum: [s.name] }, arguments: s.parameters },
          required: ["tool", "arguments"],
          additionalProperties: false,
        })),
        answerSchema,
      ],
    });
    const protocolFor = (offered: ToolSpec[]) =>
      [
        "You can use tools. Reply with JSON only: either",
        '{"tool": "<name>", "arguments": {…}} to call a tool, or {"answer": "<your final answer>"}.',
        "Tools:",
        ...offered.map((s) => `- ${s.name}: ${s.description} Arguments JSON schema: ${JSON.stringify(s.parameters)}`),
      ].join("\n");
    const answerOnly = 'Reply with JSON only: {"answer": "<your final answer>"}.';
    const systemFor = (offered: ToolSpec[]) => [chat.system, offered.length > 0 ? protocolFor(offered) : answerOnly].filter(Boolean).join("\n\n");
    let trimmedReported = false;
    /**
     * The tools that fit the model's context with room for the answer: the protocol lists every
     * tool's schema, which small contexts cannot always hold, so optional tools (the last ones
     * named) are left out, with a `tools-trimmed` note. Providers that cannot count tokens get
     * every tool.
     */
    const fitTools = async (messages: ChatMessage[]): Promise<ToolSpec[]> => {
      if (!provider.countTokens) return specs;
      let offered = specs;
      try {
        for (;;) {
          const { inputTokens, contextTokens } = await provider.countTokens({
            model: chat.model,
            system: systemFor(offered),
            messages,
            ...(chat.abortSignal ? { abortSignal: chat.abortSignal } : {}),
          });
          const reserve = Math.min(chat.maxTokens ?? 256, Math.floor(contextTokens / 4));
          if (inputTokens + reserve <= contextTokens || offered.length === 0) {
            if (offered.length < specs.length && !trimmedReported) {
              trimmedReported = true;
              const data = { kept: offered.map((t) => t.name), dropped: specs.slice(offered.length).map((t) => t.name), contextTokens };
              emit?.({ type: "node-info", name: "tools-trimmed", data });
              span?.setAttributes({ toolsTrimmed: data });
            }
            return offered;
          }
          offered = offered.slice(0, -1);
        }
      } catch (error) {
        if (toTinyLLMError(error).code === ModelErrorCode.ModelAborted) throw error;
        return specs; // The chat call reports what is wrong with the model.
      }
    };
    const messages: ChatMessage[] = [...chat.messages];
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const calls: ToolLoopResult["toolCalls"] = [];
    let repairedValidation = false;
    for (let round = 0; ; round++) {
      const offered = round < maxToolRounds ? await fitTools(messages) : [];
      const offer = offered.length > 0;
      const result = await provider.chat({
        ...chat,
        system: systemFor(offered),
        messages,
        jsonSchema: offer ? schemaFor(offered) : answerSchema,
      });
      usage.inputTokens += result.usage.inputTokens;
      usage.outputTokens += result.usage.outputTokens;
      const parsed = parseProtocol(
        result.text,
        offered.map((s) => s.name),
      );
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
