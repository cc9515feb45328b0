import { ANSWER_META_FIELD, CONVERSATION_FIELD, CoreErrorCode, type AnswerMeta, type RunResult } from "@tinyllm/core";
import type { BenchConfiguration, ConfigAnswer, TokensByTier } from "@tinyllm/bench";
import type { LoadedGraph, Runtime } from "../runtime";

/** Options of {@link createGraphConfiguration}. */
export interface GraphConfigurationOptions {
  /** The seed of every model call. Default 42. */
  seed?: number;
  /** Record runs and verdicts in the runtime's stores. Default false: benchmark runs stay out of the production figures. */
  record?: boolean;
}

/** The answer text of a run. */
function answerOf(result: RunResult): string {
  const output = result.output;
  if (output === undefined || output === null) return "";
  return typeof output === "string" ? output : JSON.stringify(output);
}

/** Tokens by tier from a run's model spans (a span with no tier is charged as T1). */
function tokensByTierOf(result: RunResult): TokensByTier {
  const byTier: TokensByTier = {};
  for (const span of result.trace.spans) {
    if (!span.tokens) continue;
    const tier = typeof span.attributes?.["tier"] === "string" ? (span.attributes["tier"] as string) : span.name === "judge" ? "T3" : "T1";
    const entry = (byTier[tier] ??= { input: 0, output: 0 });
    entry.input += span.tokens.input;
    entry.output += span.tokens.output;
  }
  return byTier;
}

interface GateHistory {
  pass?: unknown;
  needsJudge?: unknown;
  decidedBy?: unknown;
  history?: { action?: unknown }[];
}

/**
 * The graph as a benchmark configuration: each turn is one run of the graph, with the earlier
 * turns as its conversation. The answer's route, router labels, tier and model, the gate's
 * retries and escalations and its own verdict are read from the final state.
 */
export function createGraphConfiguration(
  runtime: Runtime,
  loaded: LoadedGraph,
  { seed = 42, record = false }: GraphConfigurationOptions = {},
): BenchConfiguration {
  return {
    name: "graph",
    kind: "graph",
    model: loaded.graph.id,
    async answer(item, { abortSignal }) {
      const started = performance.now();
      const out: ConfigAnswer = { answers: [], latencyMs: 0, tokensIn: 0, tokensOut: 0, retries: 0, escalations: 0, tokensByTier: {} };
      const history: { role: "user" | "assistant"; content: string }[] = [];
      for (const turn of item.turns) {
        const result = await runtime.run(turn, {
          graph: loaded,
          state: history.length > 0 ? { [CONVERSATION_FIELD]: { turns: [...history] } } : {},
          sampling: { seed },
          record,
          priority: "batch",
          ...(abortSignal ? { abortSignal } : {}),
        });
        for (const [tier, tokens] of Object.entries(tokensByTierOf(result))) {
          const entry = (out.tokensByTier![tier] ??= { input: 0, output: 0 });
          entry.input += tokens.input;
          entry.output += tokens.output;
          out.tokensIn += tokens.input;
          out.tokensOut += tokens.output;
        }
        const state = result.state;
        if (typeof state["route"] === "string") out.route = state["route"];
        if (Array.isArray(state["labels"])) out.routeLabels = (state["labels"] as unknown[]).filter((l): l is string => typeof l === "string");
        const meta = state[ANSWER_META_FIELD] as AnswerMeta | undefined;
        if (meta?.tier) out.tier = meta.tier;
        if (meta?.model) out.model = meta.model;
        const verdict = state["verdict"] as GateHistory | undefined;
        if (verdict && typeof verdict.pass === "boolean") {
          out.gate = { pass: verdict.needsJudge === true ? null : verdict.pass, decidedBy: typeof verdict.decidedBy === "string" ? verdict.decidedBy : null };
          for (const step of verdict.history ?? []) {
            if (step.action === "retry") out.retries++;
            if (step.action === "escalate") out.escalations++;
          }
        }
        if (result.status !== "ok") {
          const fallback =
            result.status === "timeout" ? CoreErrorCode.RunTimeout : result.status === "cancelled" ? CoreErrorCode.RunCancelled : CoreErrorCode.Internal;
          out.error = { code: result.error?.code ?? fallback, message: result.error?.message ?? `the run ended ${result.status}` };
          break;
        }
        const answer = answerOf(result);
        out.answers.push(answer);
        history.push({ role: "user", content: turn }, { role: "assistant", content: answer });
      }
      out.latencyMs = performance.now() - started;
      return out;
    },
  };
}
