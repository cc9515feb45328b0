import {
  ANSWER_META_FIELD,
  defineNodeKind,
  REVISION_FIELD,
  TinyLLMError,
  type AnswerMeta,
  type Calculator,
  type CodeRunners,
  type ModelResolver,
  type NodeKind,
  type Revision,
  type VerdictInfo,
} from "@tinyllm/core";
import { grade } from "../grade/grade";
import type { Verdict } from "../grade/verdict";
import { createJudge, type Judge } from "../judge/judge";
import type { RubricSet } from "../rubric/rubric-set";
import { verdictRecordOf, type VerdictRecordInput } from "../verdict-store/index";
import { GateNodeConfigSchema, type GateNodeConfig, type GateStep } from "./gate-config";
import { GradingErrorCode } from "../grading-error-code";

/** Options of {@link createGateKind}. */
export interface GateKindOptions {
  /** Rubrics by route. */
  rubrics?: RubricSet;
  /** Resolves the judge's tier; without it (and without `judge`) only the cheap checks run. */
  resolveModel?: ModelResolver;
  /** A judge to use instead of one built from `resolveModel`. */
  judge?: Judge;
  /** Sandboxes for the code check. */
  runners?: CodeRunners;
  /** The calculator for the math checks; without it, stated arithmetic is left to the judge. */
  calculator?: Calculator;
  /** Receives every verdict (e.g. `store.append`). Errors it throws are reported as events, never fail the run. */
  record?: (record: VerdictRecordInput) => void;
}

/** The verdict the gate writes to its `into` field. */
export interface GateVerdict {
  pass: boolean;
  /** `null` when only a judge could grade the answer and none was available or it failed (the answer then passes on, marked `needsJudge`, and is recorded as undecided). */
  score: number | null;
  decidedBy: string | null;
  needsJudge: boolean;
  rubric: string;
  feedback: string;
  /** 1 for the first answer the gate saw in this run. */
  attempt: number;
  /** What the gate did: `pass`, `retry`, `escalate`, `fallback` or `exhausted`. */
  action: "pass" | "retry" | "escalate" | "fallback" | "exhausted";
  /** The node the answer came from. */
  answeredBy?: string;
  /** Every earlier verdict of this run, oldest first. */
  history: { attempt: number; pass: boolean; score: number | null; decidedBy: string | null; answeredBy?: string; action: string }[];
}

/**
 * The `gate` node kind: grades the answer in state (rules, deterministic checks, then the LLM
 * judge), then on pass goes to `pass`; on fail follows `onFail` in order: `retry` the node that
 * wrote the answer with the verdict's feedback, `escalate` it to a bigger tier, or `fallback` to
 * another node. Each verdict is written to `verdict`, streamed as a `node-info` event named
 * `verdict`, put on the node's span, and handed to `record`.
 *
 * @example
 * ```yaml
 * - id: gate
 *   kind: gate
 *   maxVisits: 6
 *   config:
 *     pass: done
 *     retryTargets: [code, math, general]
 *     onFail: [{ retry: 1 }, { escalate: T2 }, { fallback: general }]
 * ```
 */
export function createGateKind(options: GateKindOptions = {}): NodeKind<GateNodeConfig> {
  return defineNodeKind({
    kind: "gate",
    description: "Grades the answer; passes it on, or retries, escalates or falls back.",
    configSchema: GateNodeConfigSchema,
    writes: (config) => [config.into, REVISION_FIELD],
    reads: (config) => [config.answer, config.query, ...(config.reference ? [config.reference] : [])],
    edges: (config) => {
      const targets = new Map<string, (string | number)[]>([[config.pass, ["pass"]]]);
      config.retryTargets.forEach((target, i) => targets.has(target) || targets.set(target, ["retryTargets", i]));
      config.onFail.forEach((step, i) => "fallback" in step && !targets.has(step.fallback) && targets.set(step.fallback, ["onFail", i, "fallback"]));
      return [...targets].map(([to, path]) => ({ to, path }));
    },
    check: (config, context) => {
      const problems = [];
      if (options.rubrics && config.rubric && !options.rubrics.get(config.rubric))
        problems.push({
          message: `unknown rubric '${config.rubric}'`,
          hint: `rubrics: ${options.rubrics.rubrics.map((r) => r.id).join(", ")}`,
          path: ["rubric"],
        });
      const canRetry = config.onFail.some((step) => "retry" in step || "escalate" in step);
      if (canRetry && config.retryTargets.length === 0)
        problems.push({
          message: "onFail retries or escalates, and retryTargets lists no node to send the answer back to",
          hint: "list the specialists, e.g. retryTargets: [code, math, general]",
          path: ["retryTargets"],
        });
      if (config.pass === context.nodeId)
        problems.push({ message: "pass leads back to the gate itself", hint: "name the node that passing answers go to, e.g. done", path: ["pass"] });
      for (const [i, target] of config.retryTargets.entries()) {
        const kind = context.nodeKinds.get(target);
        if (target === context.nodeId || kind === "entry" || kind === "exit" || kind === "gate")
          problems.push({
            message: `retry target '${target}' is ${target === context.nodeId ? "the gate itself" : `a '${kind}' node`}; list the specialists that write answers`,
            path: ["retryTargets", i],
          });
      }
      // Each onFail step enters the gate again, and each retry or escalation enters the specialist again.
      const steps = expandSteps(config.onFail);
      const resends = steps.filter((step) => !("fallback" in step)).length;
      const ownLimit = context.visitLimits?.get(context.nodeId);
      if (ownLimit !== undefined && ownLimit < steps.length + 1)
        problems.push({
          message: `maxVisits ${ownLimit} lets the gate grade ${ownLimit} answers, and onFail has ${steps.length} steps after the first answer`,
          hint: `set maxVisits: ${steps.length + 1} (or more) on the gate, or shorten onFail`,
          path: ["onFail"],
        });
      if (resends > 0) {
        for (const [i, target] of config.retryTargets.entries()) {
          const limit = context.visitLimits?.get(target);
          if (limit !== undefined && limit < resends + 1)
            problems.push({
              message: `'${target}' may be entered ${limit} times, and the gate may send an answer back to it ${resends} times`,
              hint: `set maxVisits: ${resends + 1} (or more) on '${target}', or shorten onFail`,
              path: ["retryTargets", i],
            });
        }
      }
      return problems;
    },
    create: (config) => {
      const steps = expandSteps(config.onFail);
      const judge: Judge | undefined = !config.judge.enabled
        ? undefined
        : (options.judge ?? (options.resolveModel ? createJudge({ resolveModel: options.resolveModel, tier: config.judge.tier }) : undefined));
      return async (state, context) => {
        const answer = textOf(state[config.answer]);
        const query = textOf(state[config.query]);
        const routeValue = state[config.route];
        const route = typeof routeValue === "string" ? routeValue : undefined;
        const reference = config.reference ? state[config.reference] : undefined;
        const meta = (state[ANSWER_META_FIELD] ?? undefined) as AnswerMeta | undefined;
        const previous = state[config.into] as GateVerdict | undefined;
        const attempt = (previous?.attempt ?? 0) + 1;
        const rubric = config.rubric ? options.rubrics?.get(config.rubric) : undefined;
        const spanningJudge: Judge | undefined =
          judge &&
          (async (input, opts) => {
            const judgeSpan = context.span.startChild({ kind: "model", name: "judge", attributes: { tier: config.judge.tier } });
            try {
              const result = await judge(input, opts);
              judgeSpan.end({
                output: { scores: result.rawScores, rationale: result.rationale },
                tokens: { input: result.usage.inputTokens, output: result.usage.outputTokens },
                attributes: { model: result.model, repaired: result.repaired, escalated: result.escalated },
              });
              return result;
            } catch (error) {
              const failure = error as { code?: string; message?: string };
              judgeSpan.end({ error: { code: failure.code ?? "GRADING_JUDGE_FAILED", message: failure.message ?? String(error) } });
              throw error;
            }
          });
        const verdict: Verdict = await grade(
          { query, answer, ...(route ? { route } : {}), ...(typeof reference === "string" ? { reference } : {}), ...(rubric ? { rubric } : {}) },
          {
            ...(options.rubrics ? { rubrics: options.rubrics } : {}),
            ...(spanningJudge ? { judge: spanningJudge } : {}),
            ...(options.runners ? { runners: options.runners } : {}),
            ...(options.calculator ? { calculator: options.calculator } : {}),
            abortSignal: context.abortSignal,
          },
        );
        // Without a working judge, an answer the cheap checks could not fault passes, marked needsJudge.
        const pass = verdict.pass ?? true;
        let action: GateVerdict["action"] = "pass";
        let next = config.pass;
        let revision: Revision | null = null;
        if (!pass) {
          const previousAnswer = answer.slice(0, 8_000);
          let chosen: GateStep | undefined;
          let used = previous?.history.filter((h) => h.action === "retry" || h.action === "escalate" || h.action === "fallback").length ?? 0;
          while (used < steps.length) {
            const step = steps[used]!;
            if ("fallback" in step || (meta?.node !== undefined && config.retryTargets.includes(meta.node))) {
              chosen = step;
              break;
            }
            used++;
          }
          if (!chosen) {
            action = "exhausted";
            if (config.exhausted === "error") {
              throw new TinyLLMError({
                code: "GATE_FAILED",
                message: `the answer failed the gate (${verdict.decidedBy}: ${verdict.checks.find((c) => c.decisive)?.message ?? ""}) and no retry is left`,
                hint: "add onFail steps, or set exhausted: deliver",
                nodeId: context.nodeId,
              });
            }
          } else if ("fallback" in chosen) {
            action = "fallback";
            next = chosen.fallback;
          } else {
            action = "retry" in chosen ? "retry" : "escalate";
            next = meta!.node;
            revision = {
              node: meta!.node,
              feedback: verdict.feedback || "The answer did not pass review. Write a better one.",
              previousAnswer,
              attempt: attempt + 1,
              ...("escalate" in chosen ? { tier: chosen.escalate } : meta?.tier ? { tier: meta.tier } : {}),
            };
          }
        }
        const gateVerdict: GateVerdict = {
          pass,
          score: verdict.score,
          decidedBy: verdict.decidedBy,
          needsJudge: verdict.needsJudge,
          rubric: verdict.rubric,
          feedback: verdict.feedback,
          attempt,
          action,
          ...(meta?.node ? { answeredBy: meta.node } : {}),
          history: [
            ...(previous?.history ?? []),
            { attempt, pass, score: verdict.score, decidedBy: verdict.decidedBy, ...(meta?.node ? { answeredBy: meta.node } : {}), action },
          ],
        };
        const summary: VerdictInfo = {
          attempt,
          pass,
          score: verdict.score,
          decidedBy: verdict.decidedBy,
          action,
          next,
          ...(meta?.node ? { answeredBy: meta.node } : {}),
          ...(revision?.tier ? { tier: revision.tier } : {}),
          checks: verdict.checks.map((c) => `${c.name}:${c.outcome}`).join(" "),
          ...(verdict.feedback ? { feedback: verdict.feedback.slice(0, 300) } : {}),
        };
        context.span.setAttributes({ verdict: summary });
        context.emit({ type: "node-info", name: "verdict", data: summary });
        if (options.record) {
          try {
            options.record(
              verdictRecordOf(verdict, {
                runId: context.runId,
                nodeId: context.nodeId,
                ...(meta?.node ? { answeredBy: meta.node } : {}),
                ...(route ? { route } : {}),
                ...(meta?.model ? { model: meta.model } : {}),
                ...(meta?.provider ? { provider: meta.provider } : {}),
                ...(meta?.tier ? { tier: meta.tier } : {}),
                attempt,
                ...(meta?.latencyMs !== undefined ? { latencyMs: meta.latencyMs } : {}),
                ...(meta?.inputTokens !== undefined ? { inputTokens: meta.inputTokens } : {}),
                ...(meta?.outputTokens !== undefined ? { outputTokens: meta.outputTokens } : {}),
                query,
                answer,
              }),
            );
          } catch (error) {
            context.emit({
              type: "node-info",
              name: "verdict-store-error",
              data: { code: (error as { code?: string }).code ?? GradingErrorCode.StoreFailed, message: (error as Error).message },
            });
          }
        }
        return { patch: { [config.into]: gateVerdict, [REVISION_FIELD]: revision }, next };
      };
    },
  });
}

function expandSteps(steps: readonly GateStep[]): GateStep[] {
  return steps.flatMap((step): GateStep[] => ("retry" in step ? Array.from({ length: step.retry }, () => step) : [step]));
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}
