import { z } from "zod";
import { compileTemplate, defineNodeKind, TinyLLMError, toTinyLLMError, type NodeKind, type NodeResult, type Template } from "@tinyllm/core";
import type { ChatMessage } from "@tinyllm/core";
import type { PromptLibrary } from "../prompt/load-prompts";
import type { Prompt } from "../prompt/prompt-schema";
import type { ModelResolver } from "@tinyllm/core";
import { runToolLoop } from "../tools/run-tool-loop";
import type { ToolSet } from "@tinyllm/core";
import { ANSWER_META_FIELD, REVISION_FIELD, revisionFor, type AnswerMeta } from "@tinyllm/core";
import { CONVERSATION_FIELD, conversationOf, conversationSystem, type ModelProvider, type PromptFitter } from "@tinyllm/core";

const field = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier");

/**
 * The model a `model` node asks for: its own `model`, else its prompt's `model` unless the node
 * sets a `tier`, else the node's or the prompt's tier (default T1). The node kind uses it, and so
 * does whoever must know a node's model ahead of its run (a scheduler loading it early).
 */
export function modelNodeRef(
  config: { model?: string | undefined; tier?: string | undefined },
  prompt: Pick<Prompt, "model" | "tier"> | undefined,
): { model: string } | { tier: string } {
  if (config.model) return { model: config.model };
  if (prompt?.model && !config.tier) return { model: prompt.model };
  return { tier: config.tier ?? prompt?.tier ?? "T1" };
}

/** Config of a `model` node. */
export const ModelNodeConfigSchema = z.strictObject({
  /** Id of a prompt in the prompt library (`prompts/*.yaml`). */
  prompt: z.string().min(1),
  /**
   * Replaces the prompt's system text for this node (expansion's prompt refinement writes it
   * here, so that the graph file alone holds the node's version).
   */
  system: z.string().min(1).optional(),
  /**
   * Demonstrations for this node: replace the prompt's `examples` (expansion's few-shot
   * bootstrapping writes them here).
   */
  examples: z
    .array(z.strictObject({ user: z.string().min(1), assistant: z.string().min(1) }))
    .max(32)
    .optional(),
  /** Overrides the prompt's tier. */
  tier: z.string().optional(),
  /** Overrides the prompt's tier and model. */
  model: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.int().min(1).max(32_768).optional(),
  seed: z.int().optional(),
  /** Template of the query handed to the prompt as `query`. Default `{{ input }}`. */
  input: z.string().default("{{ input }}"),
  /** Field that receives the answer. Default `output`. */
  into: field.default("output"),
  /** Tools the model may call, by name, through the one bounded tool loop. */
  tools: z.array(z.string().min(1)).default([]),
  /** Tools used when they are registered and skipped otherwise (e.g. `search`, which needs a source). */
  optionalTools: z.array(z.string().min(1)).default([]),
  /**
   * Tools that only act on the query before the model is asked (see `toolFirst`), used when they
   * are registered: the model is not offered them, so its answer still streams. E.g.
   * `[remember]` stores an explicit "remember that …" request on a chat route.
   */
  queryTools: z.array(z.string().min(1)).default([]),
  /** Most tool calls per answer. Default 3. */
  maxToolRounds: z.int().min(0).max(10).default(3),
  /**
   * Before asking the model, let a listed tool act on the query directly (e.g. the calculator
   * on "What is 2+2?"): when its result is the whole answer the model is not asked; otherwise
   * the result is handed to the model. Default true.
   */
  toolFirst: z.boolean().default(true),
});

/** Parsed config of a `model` node. */
export type ModelNodeConfig = z.output<typeof ModelNodeConfigSchema>;

/** Options of {@link createModelKind}. */
export interface ModelKindOptions {
  resolveModel: ModelResolver;
  prompts: PromptLibrary;
  /** Tools nodes may name in `config.tools` (e.g. the `@tinyllm/tools` registry). */
  tools?: ToolSet;
  /**
   * Sizes each call's prompt to its model's context when the run state holds a conversation
   * ({@link @tinyllm/core!CONVERSATION_FIELD}): the runtime passes `@tinyllm/memory`'s. Without
   * it, the summary, memories and every earlier turn are sent as they are.
   */
  fitPrompt?: PromptFitter;
}

/**
 * The `model` node kind (a specialist): renders a prompt from the prompt library, calls its
 * tier's model, streams tokens as `token-delta` events and writes the answer (text, or parsed
 * JSON for `output.format: json`) to `into`. The model call is a child span with token counts.
 */
export function createModelKind({ resolveModel, prompts, tools, fitPrompt }: ModelKindOptions): NodeKind<ModelNodeConfig> {
  const known = new Set((tools?.describe() ?? []).map((t) => t.name));
  return defineNodeKind({
    kind: "model",
    description: "A specialist: a prompt sent to a model, answer streamed.",
    configSchema: ModelNodeConfigSchema,
    writes: (config) => [config.into, ANSWER_META_FIELD],
    reads: (config) => {
      const t = compileTemplate(config.input);
      return t.ok ? t.template.fields : [];
    },
    check: (config) => {
      const problems = [];
      if (!prompts.has(config.prompt)) {
        problems.push({
          message: `unknown prompt '${config.prompt}'`,
          hint: `prompts available: ${[...prompts.keys()].sort().join(", ") || "(none)"}`,
          path: ["prompt"],
        });
      }
      const t = compileTemplate(config.input);
      if (!t.ok) problems.push({ message: `input template does not parse: ${t.error.message}`, path: ["input"], hint: "e.g. {{ input }}" });
      config.tools.forEach((name, i) => {
        if (!known.has(name)) {
          problems.push({
            message: `unknown tool '${name}'`,
            hint:
              known.size > 0
                ? `tools available: ${[...known].sort().join(", ")}`
                : "no tools are registered with this model kind (the CLI registers @tinyllm/tools)",
            path: ["tools", i],
          });
        }
      });
      const prompt = prompts.get(config.prompt);
      if (prompt) {
        const body = compileTemplate(prompt.template);
        if (!body.ok)
          problems.push({ message: `prompt '${prompt.id}' template does not parse: ${body.error.message}`, path: ["prompt"], hint: "fix the prompt file" });
      }
      return problems;
    },
    create: (config) => {
      const prompt = prompts.get(config.prompt) as Prompt;
      const input = compileTemplate(config.input);
      const body = compileTemplate(prompt.template);
      if (!input.ok || !body.ok) throw new Error("template does not parse");
      const inputTemplate: Template = input.template;
      const bodyTemplate: Template = body.template;
      const ref = modelNodeRef(config, prompt);
      const system = config.system ?? prompt.system;
      const fewShot: ChatMessage[] = (config.examples ?? prompt.examples).flatMap((e) => [
        { role: "user" as const, content: e.user },
        { role: "assistant" as const, content: e.assistant },
      ]);
      const toolNames = [...config.tools, ...config.optionalTools.filter((name) => known.has(name))];
      // Query tools go first: an explicit request ("remember that …") is theirs before a listed tool reads the query.
      const firstToolNames = [...config.queryTools.filter((name) => known.has(name) && !toolNames.includes(name)), ...toolNames];
      return async (state, context) => {
        const started = performance.now();
        const query = String(inputTemplate.render(state) ?? "");
        let user = String(bodyTemplate.render({ ...state, query }) ?? "");
        const revision = revisionFor(state[REVISION_FIELD], context.nodeId);
        const plainUser = user;
        const meta = (fields: Omit<AnswerMeta, "node" | "latencyMs">): AnswerMeta => ({
          node: context.nodeId,
          latencyMs: Math.round(performance.now() - started),
          ...fields,
        });
        if (revision) {
          const previous = revision.previousAnswer ? clip(revision.previousAnswer, maxPreviousAnswerChars) : "";
          user = `${user}\n\n${previous ? `Your previous answer was:\n${previous}\n\n` : ""}A reviewer rejected it: ${clip(revision.feedback, 1_000)}\nWrite a corrected, complete answer.`;
          context.span.setAttributes({ revision: { attempt: revision.attempt, ...(revision.tier ? { tier: revision.tier } : {}) } });
        }
        if (tools && firstToolNames.length > 0 && config.toolFirst && !revision) {
          const first = tools.fromQuery?.(query, { names: firstToolNames });
          if (first) {
            const callId = `first-${first.name}`;
            context.emit({ type: "tool-call", callId, toolName: first.name, input: first.input });
            const span = context.span.startChild({ kind: "tool", name: first.name, input: first.input, attributes: { toolFirst: true } });
            const outcome = await tools.call(first.name, first.input, { abortSignal: context.abortSignal });
            span.end(
              outcome.ok ? { output: outcome.output } : { error: { code: outcome.error?.code ?? "TOOL_FAILED", message: outcome.error?.message ?? "" } },
            );
            context.emit({
              type: "tool-result",
              callId,
              toolName: first.name,
              ...(outcome.ok ? { output: outcome.output } : { error: { code: outcome.error?.code ?? "TOOL_FAILED", message: outcome.error?.message ?? "" } }),
              durationMs: outcome.durationMs,
            });
            if (outcome.ok) {
              const text = outputText(outcome.output);
              if (first.answersQuery) {
                context.emit({ type: "token-delta", text });
                context.span.setAttributes({ answeredBy: first.name });
                return { patch: { [config.into]: text, [ANSWER_META_FIELD]: meta({ model: first.name }) } };
              }
              user = `${user}\n\nThe ${first.name} tool computed ${JSON.stringify(first.input)} = ${text}. Use this result in your answer.`;
            }
          }
        }
        let emitted = false;
        const conversation = conversationOf(state[CONVERSATION_FIELD]);
        /** The call's system text and messages: with the run's conversation, sized to the model when there is a fitter. */
        const promptFor = async (
          provider: ModelProvider,
          model: string,
          user: string,
          reserveTokens: number,
          span: { setAttributes(attributes: Record<string, unknown>): void },
        ): Promise<{ system: string | undefined; messages: ChatMessage[] }> => {
          const own: ChatMessage[] = [...fewShot, { role: "user", content: user }];
          if (!conversation) return { system, messages: own };
          if (!fitPrompt) return { system: conversationSystem(system, conversation), messages: [...conversation.turns, ...own] };
          const fit = await fitPrompt({
            provider,
            model,
            ...(system ? { system } : {}),
            conversation,
            messages: own,
            reserveTokens,
            abortSignal: context.abortSignal,
          });
          span.setAttributes({
            conversation: {
              turns: conversation.turns.length - fit.omittedTurns,
              omittedTurns: fit.omittedTurns,
              ...(conversation.summary ? { summary: true } : {}),
              memories: conversation.memories?.length ?? 0,
              ...(fit.tokens !== undefined ? { promptTokens: fit.tokens } : {}),
            },
          });
          return { system: fit.system, messages: fit.messages };
        };
        const answerOn = async (modelRef: typeof ref, user: string): Promise<NodeResult> => {
          const resolved = resolveModel(modelRef);
          const span = context.span.startChild({
            kind: "model",
            name: resolved.model,
            input: user,
            attributes: { provider: resolved.provider.id, prompt: prompt.id, ...(resolved.tier ? { tier: resolved.tier } : {}) },
          });
          const sampling = {
            ...((config.temperature ?? prompt.sampling.temperature) !== undefined ? { temperature: config.temperature ?? prompt.sampling.temperature } : {}),
            ...((config.topP ?? prompt.sampling.topP) !== undefined ? { topP: config.topP ?? prompt.sampling.topP } : {}),
            maxTokens: config.maxTokens ?? prompt.sampling.maxTokens ?? 512,
            ...((config.seed ?? prompt.sampling.seed) !== undefined ? { seed: config.seed ?? prompt.sampling.seed } : {}),
            ...(prompt.sampling.stop ? { stop: prompt.sampling.stop } : {}),
          };
          const json = prompt.output.format === "json";
          let fitted: { system: string | undefined; messages: ChatMessage[] };
          try {
            fitted = await promptFor(resolved.provider, resolved.model, user, sampling.maxTokens, span);
          } catch (thrown) {
            const error = toTinyLLMError(thrown);
            span.end({ error: { code: error.code, message: error.message } });
            throw error;
          }
          const { system, messages } = fitted;
          if (tools && toolNames.length > 0 && config.maxToolRounds > 0 && !json) {
            try {
              const loop = await runToolLoop({
                provider: resolved.provider,
                model: resolved.model,
                tools,
                toolNames,
                maxToolRounds: config.maxToolRounds,
                ...(system ? { system } : {}),
                messages,
                ...sampling,
                abortSignal: context.abortSignal,
                emit: context.emit,
                span,
              });
              context.emit({ type: "token-delta", text: loop.text });
              span.end({
                output: loop.text,
                tokens: { input: loop.usage.inputTokens, output: loop.usage.outputTokens },
                attributes: { toolMode: loop.mode, toolCalls: loop.toolCalls.length },
              });
              return {
                patch: {
                  [config.into]: loop.text,
                  [ANSWER_META_FIELD]: meta({
                    model: resolved.model,
                    provider: resolved.provider.id,
                    ...(resolved.tier ? { tier: resolved.tier } : {}),
                    inputTokens: loop.usage.inputTokens,
                    outputTokens: loop.usage.outputTokens,
                  }),
                },
              };
            } catch (thrown) {
              const error = toTinyLLMError(thrown);
              span.end({ error: { code: error.code, message: error.message } });
              throw error;
            }
          }
          try {
            let text = "";
            let finished = false;
            let usage: { inputTokens: number; outputTokens: number } | undefined;
            for await (const part of resolved.provider.streamChat({
              model: resolved.model,
              ...(system ? { system } : {}),
              messages,
              ...sampling,
              ...(json ? { jsonSchema: prompt.output.schema ?? { type: "object" } } : {}),
              abortSignal: context.abortSignal,
            })) {
              if (part.type === "text-delta") {
                text += part.text;
                if (!json) {
                  emitted = true;
                  context.emit({ type: "token-delta", text: part.text });
                }
              } else {
                finished = true;
                text = part.result.text;
                usage = part.result.usage;
                span.end({
                  output: text,
                  tokens: { input: part.result.usage.inputTokens, output: part.result.usage.outputTokens },
                  attributes: {
                    finishReason: part.result.finishReason,
                    durationMs: round(part.result.durationMs),
                    ...(part.result.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: round(part.result.timeToFirstTokenMs) } : {}),
                  },
                });
              }
            }
            if (!finished) span.end({ output: text });
            const answerMeta = meta({
              model: resolved.model,
              provider: resolved.provider.id,
              ...(resolved.tier ? { tier: resolved.tier } : {}),
              ...(usage ? { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : {}),
            });
            if (!json) return { patch: { [config.into]: text, [ANSWER_META_FIELD]: answerMeta } };
            try {
              return { patch: { [config.into]: JSON.parse(text) as unknown, [ANSWER_META_FIELD]: answerMeta } };
            } catch (error) {
              throw new TinyLLMError({
                code: "MODEL_OUTPUT_INVALID",
                message: `prompt '${prompt.id}' asked for JSON and the model answered: ${text.slice(0, 200)}`,
                cause: error,
              });
            }
          } catch (thrown) {
            const error = toTinyLLMError(thrown);
            span.end({ error: { code: error.code, message: error.message } });
            throw error;
          }
        };
        if (revision) {
          // A revision is best effort: when the escalation tier cannot answer (not configured,
          // not pulled, down) or the longer prompt does not fit, and no token was streamed yet,
          // answer again on the node's own tier with the feedback but without the old answer.
          try {
            return await answerOn(revision.tier ? { tier: revision.tier } : ref, user);
          } catch (thrown) {
            const error = toTinyLLMError(thrown);
            if (context.abortSignal.aborted || emitted || error.code === "MODEL_ABORTED") throw error;
            context.emit({
              type: "node-info",
              name: "revision-failed",
              data: { ...(revision.tier ? { tier: revision.tier } : {}), code: error.code, message: error.message.slice(0, 300) },
            });
            context.span.setAttributes({ revisionFailed: { ...(revision.tier ? { tier: revision.tier } : {}), code: error.code } });
          }
          return answerOn(
            ref,
            `${plainUser}\n\nA reviewer rejected your previous answer: ${clip(revision.feedback, 1_000)}\nWrite a corrected, complete answer.`,
          );
        }
        return answerOn(ref, user);
      };
    },
  });
}

/** Most characters of a previous answer shown to the model when it revises it. */
const maxPreviousAnswerChars = 2_000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n[… ${text.length - max} more characters]` : text;
}

/** A tool output as text: its `text` field when it has one, else JSON. */
function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (output && typeof output === "object" && typeof (output as { text?: unknown }).text === "string") return (output as { text: string }).text;
  return JSON.stringify(output);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
