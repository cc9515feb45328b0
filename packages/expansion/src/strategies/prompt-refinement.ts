import type { AnswerExample } from "../analysis/node-analysis";
import { checkProposal, copyForEdit, modelNodeOf, notApplicable, strategyFailed } from "./graph-edit";
import type { PromptScore, Strategy, StrategyContext } from "./strategy";

/** Options of {@link createPromptRefinementStrategy}. */
export interface PromptRefinementOptions {
  /** Failing answers shown to the model. Default 5. */
  maxFailing?: number;
  /** Past prompts shown, the best ones. Default 8. */
  maxHistory?: number;
  /** Longest system prompt accepted, in characters. Default 4 000. */
  maxSystemChars?: number;
}

/** The markers the revised prompt is asked between. */
const OPEN = "<PROMPT>";
const CLOSE = "</PROMPT>";

/** Quotes a reply may wrap the prompt in: opening → closing. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "«": "»" };

const META_SYSTEM =
  "You improve the system prompts of small language models. You read a prompt, how well earlier prompts scored, and answers that failed review, and you write a better prompt. You reply with the new prompt only.";

function clip(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)} […]` : trimmed;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** Up to `max` failing answers, those with feedback first, one per failed check in turn for variety. */
function failingExamples(failing: readonly AnswerExample[], max: number): AnswerExample[] {
  const withFeedback = [...failing].sort((a, b) => Number(Boolean(b.feedback)) - Number(Boolean(a.feedback)));
  const picked: AnswerExample[] = [];
  const checks = new Set<string>();
  for (const example of withFeedback) {
    const key = example.failedChecks.join(",");
    if (picked.length < max && !checks.has(key)) {
      picked.push(example);
      checks.add(key);
    }
  }
  for (const example of withFeedback) if (picked.length < max && !picked.includes(example)) picked.push(example);
  return picked;
}

/**
 * The meta-prompt of OPRO ("Large Language Models as Optimizers"): the prompts tried so far with
 * their scores, sorted ascending so the best come last, then failing examples with the
 * reviewer's feedback, then the request for a new prompt between markers. @internal
 */
export function buildMetaPrompt(context: StrategyContext, current: string, options: Required<PromptRefinementOptions>): string {
  const { analysis } = context;
  const currentScore: PromptScore = { system: current, passRate: 1 - analysis.failRate, n: analysis.evaluations };
  const history = [...(context.promptHistory ?? []).filter((p) => p.system.trim() !== current.trim()), currentScore]
    .sort((a, b) => b.passRate - a.passRate)
    .slice(0, options.maxHistory)
    .sort((a, b) => a.passRate - b.passRate);
  const domain = analysis.routes.length > 0 ? analysis.routes.slice(0, 3).join(", ") : context.nodeId;
  const lines: string[] = [
    `A small model answers ${domain} questions with a system prompt. Below are system prompts tried so far, each with the share of its answers that passed review, from the lowest to the highest score.`,
    "",
  ];
  for (const prompt of history) {
    lines.push(`${OPEN}`, clip(prompt.system, 1_500) || "(no system prompt)", `${CLOSE}`, `score: ${percent(prompt.passRate)} of ${prompt.n} answers`, "");
  }
  lines.push(
    `The current prompt is the one that scored ${percent(currentScore.passRate)}. Here are questions it answered wrongly, with the reviewer's feedback:`,
    "",
  );
  for (const example of failingExamples(analysis.failing, options.maxFailing)) {
    lines.push(`Question: ${clip(example.query, 600)}`);
    if (example.answer !== undefined) lines.push(`Answer given: ${clip(example.answer, 600)}`);
    if (example.reference !== undefined) lines.push(`Expected: ${clip(example.reference, 300)}`);
    if (example.failedChecks.length > 0) lines.push(`Failed checks: ${example.failedChecks.join(", ")}`);
    lines.push(`Feedback: ${example.feedback ? clip(example.feedback, 400) : "(none)"}`, "");
  }
  lines.push(
    "Write a new system prompt that is different from all the prompts above and would score higher: address what the feedback shows went wrong, keep any answer format the current prompt asks for, and keep it short (a few sentences).",
    `Reply with the new prompt only, between ${OPEN} and ${CLOSE}.`,
  );
  return lines.join("\n");
}

/**
 * The revised prompt in a model's reply: the text between the markers (or after an opening
 * marker that was never closed), else the first fenced block, else the whole reply without a
 * leading "Here is …:" line. Quotes around it are removed. @internal
 */
export function extractSystemPrompt(reply: string): string {
  const text = reply.replace(/\r\n/g, "\n");
  const upper = text.toUpperCase();
  const open = upper.lastIndexOf(OPEN);
  let found: string | undefined;
  if (open !== -1) {
    const start = open + OPEN.length;
    const close = upper.indexOf(CLOSE, start);
    found = text.slice(start, close === -1 ? undefined : close);
  } else {
    const fence = /```[\w-]*\n([\s\S]*?)```/.exec(text);
    if (fence) found = fence[1];
  }
  let prompt = (found ?? text).replace(/<\/?PROMPT>/gi, "").trim();
  if (found === undefined) prompt = prompt.replace(/^(?:here(?:'s| is)|sure|revised|new|improved)\b[^\n]*:\s*\n/i, "").trim();
  const close = QUOTES[prompt[0] ?? ""];
  if (close !== undefined && prompt.length > 1 && prompt.endsWith(close) && !prompt.slice(1, -1).includes(close)) prompt = prompt.slice(1, -1).trim();
  return prompt;
}

/**
 * Prompt refinement, as OPRO: a bigger model (`context.complete`, a T2/T3 model) is shown the
 * node's system prompt, the prompts tried before with their pass rates (`promptHistory`,
 * ascending by score) and failing answers with the gate's feedback, and asked for a revised
 * system prompt between markers. The reply is extracted (markers, else a fenced block, else the
 * whole reply), checked (not empty, not longer than `maxSystemChars`, neither the current prompt nor one tried before) and
 * written to the node's config `system`. Without `complete` it throws `STRATEGY_FAILED`.
 *
 * @example
 * ```ts
 * const refine = createPromptRefinementStrategy({ maxFailing: 3 });
 * const proposal = await refine.propose({ ...context, complete: ({ system, prompt }) => askT3(system, prompt) });
 * ```
 */
export function createPromptRefinementStrategy({ maxFailing = 5, maxHistory = 8, maxSystemChars = 4_000 }: PromptRefinementOptions = {}): Strategy {
  const options = { maxFailing, maxHistory, maxSystemChars };
  const check = (context: StrategyContext): { ok: boolean; reason: string } => {
    const found = modelNodeOf(context.graph, context.nodeId);
    if (!found.ok) return { ok: false, reason: found.reason };
    if (context.analysis.failing.length === 0) return { ok: false, reason: "the node has no failing answers to learn from" };
    if (!context.complete) return { ok: false, reason: "no T2/T3 model is available to write a revised prompt" };
    return { ok: true, reason: `${context.analysis.failing.length} failing answers and their feedback can guide a revised prompt` };
  };
  return {
    name: "prompt_refinement",
    applicable: check,
    async propose(context) {
      const found = modelNodeOf(context.graph, context.nodeId);
      if (!found.ok) throw notApplicable("prompt_refinement", context, found.reason);
      const complete = context.complete;
      if (!complete)
        throw strategyFailed(
          "prompt_refinement",
          context.nodeId,
          "prompt refinement needs a model to write the revised prompt, and none was given",
          "configure a T2 or T3 model (tiers in tinyllm.yaml) for expansion to ask",
        );
      const applicable = check(context);
      if (!applicable.ok) throw notApplicable("prompt_refinement", context, applicable.reason);
      const { graph, config } = copyForEdit(context);
      const current = config.system ?? context.prompt.system ?? "";
      const prompt = buildMetaPrompt(context, current, options);
      let reply: string;
      try {
        reply = await complete({ system: META_SYSTEM, prompt, ...(context.abortSignal ? { abortSignal: context.abortSignal } : {}) });
      } catch (error) {
        if (context.abortSignal?.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw strategyFailed(
          "prompt_refinement",
          context.nodeId,
          `the model asked for a revised prompt failed: ${message}`,
          "check the T2/T3 model (tinyllm doctor)",
          error,
        );
      }
      const system = extractSystemPrompt(typeof reply === "string" ? reply : "");
      const fail = (why: string) =>
        strategyFailed("prompt_refinement", context.nodeId, why, "try again, or use a bigger model for prompt refinement (T3)", {
          reply: String(reply).slice(0, 500),
        });
      if (system === "") throw fail("the model's reply held no prompt");
      if (system.length > maxSystemChars) throw fail(`the model's prompt is ${system.length} characters long, more than ${maxSystemChars}`);
      if (system === current.trim()) throw fail("the model gave back the current prompt unchanged");
      if ((context.promptHistory ?? []).some((p) => p.system.trim() === system)) throw fail("the model gave back a prompt tried before");
      config.system = system;
      await checkProposal("prompt_refinement", context.nodeId, graph, [context.nodeId]);
      return {
        strategy: "prompt_refinement",
        nodeId: context.nodeId,
        graph,
        summary: `${context.nodeId}: system prompt revised (${system.length} characters)`,
      };
    },
  };
}

/** {@link createPromptRefinementStrategy} with its defaults. */
export const promptRefinementStrategy: Strategy = createPromptRefinementStrategy();
