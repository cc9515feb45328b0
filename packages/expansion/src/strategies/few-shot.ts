import type { AnswerExample, NodeAnalysis } from "../analysis/node-analysis";
import { checkProposal, copyForEdit, modelNodeOf, notApplicable, type ModelConfigInput } from "./graph-edit";
import type { Strategy, StrategyContext } from "./strategy";

/** Options of {@link createFewShotStrategy}. */
export interface FewShotOptions {
  /** Most demonstrations added. Default 3. */
  k?: number;
  /** Most demonstrations the node keeps in all, the existing ones included. Default 6 (small models have small contexts). */
  maxExamples?: number;
  /** Answers longer than this are not used as demonstrations. Default 1 200 characters. */
  maxAnswerChars?: number;
}

type Demonstration = { user: string; assistant: string };

/** The node's current demonstrations: its config's `examples`, else its prompt's. */
function currentExamples(config: ModelConfigInput, context: StrategyContext): Demonstration[] {
  return (config.examples ?? context.prompt.examples).filter((e) => e.user.trim() !== "" && e.assistant.trim() !== "");
}

/** The cluster each query belongs to (its index in `analysis.clusters`; unclustered queries get -1). */
function clusterIndex(analysis: NodeAnalysis): (query: string) => number {
  const byQuery = new Map<string, number>();
  analysis.clusters.forEach((cluster, i) => cluster.queries.forEach((q) => byQuery.has(q) || byQuery.set(q, i)));
  return (query) => byQuery.get(query) ?? -1;
}

/**
 * Up to `k` passed answers, diverse and short: one per query cluster in turn (the clusters in
 * the analysis's order), the shortest answer of each cluster first. Answers on the node's main
 * route are preferred when there are any.
 */
function pickDemonstrations(context: StrategyContext, existing: readonly Demonstration[], k: number, maxAnswerChars: number): AnswerExample[] {
  const { analysis } = context;
  const known = new Set(existing.map((e) => e.user.trim()));
  const usable = analysis.passing.filter((e): e is AnswerExample & { answer: string } => {
    const answer = e.answer?.trim() ?? "";
    return e.pass && e.query.trim() !== "" && answer !== "" && answer.length <= maxAnswerChars && !known.has(e.query.trim());
  });
  const mainRoute = analysis.routes[0];
  const onRoute = usable.filter((e) => e.route === undefined || e.route === mainRoute);
  const candidates = onRoute.length > 0 ? onRoute : usable;
  const groupOf = clusterIndex(analysis);
  const groups = new Map<number, AnswerExample[]>();
  const seen = new Set<string>();
  for (const example of candidates) {
    const query = example.query.trim();
    if (seen.has(query)) continue;
    seen.add(query);
    const group = groupOf(example.query);
    groups.set(group, [...(groups.get(group) ?? []), example]);
  }
  const ordered = [...groups.entries()]
    .sort(([a], [b]) => (a === -1 ? Infinity : a) - (b === -1 ? Infinity : b))
    .map(([, examples]) => examples.sort((x, y) => (x.answer?.trim().length ?? 0) - (y.answer?.trim().length ?? 0)));
  const picked: AnswerExample[] = [];
  for (let round = 0; picked.length < k && ordered.some((g) => g.length > round); round++) {
    for (const group of ordered) {
      const example = group[round];
      if (example && picked.length < k) picked.push(example);
    }
  }
  return picked;
}

/**
 * Few-shot bootstrapping, as DSPy's BootstrapFewShot: the node's passed answers become
 * demonstrations. Up to `k` diverse ones are picked (one per query cluster in turn, the shortest
 * answer first) and written to the node's config `examples`, after the prompt's existing ones
 * as long as there is room within `maxExamples`. Not applicable without passed answers.
 *
 * @example
 * ```ts
 * const fewShot = createFewShotStrategy({ k: 2 });
 * const proposal = await fewShot.propose(context); // math: examples + 2 passed answers
 * ```
 */
export function createFewShotStrategy({ k = 3, maxExamples = 6, maxAnswerChars = 1_200 }: FewShotOptions = {}): Strategy {
  const limit = Math.max(1, Math.min(k, maxExamples, 32));
  const choose = (context: StrategyContext): { error: string } | { existing: Demonstration[]; picked: AnswerExample[] } => {
    const found = modelNodeOf(context.graph, context.nodeId);
    if (!found.ok) return { error: found.reason };
    const existing = currentExamples(found.config, context);
    const picked = pickDemonstrations(context, existing, limit, maxAnswerChars);
    if (picked.length === 0) {
      const reason =
        context.analysis.passing.length === 0
          ? "the node has no passed answers to learn from"
          : `none of the node's ${context.analysis.passing.length} passed answers is new and short enough (at most ${maxAnswerChars} characters) to be a demonstration`;
      return { error: reason };
    }
    return { existing, picked };
  };
  return {
    name: "few_shot",
    applicable(context) {
      const chosen = choose(context);
      if ("error" in chosen) return { ok: false, reason: chosen.error };
      return { ok: true, reason: `${chosen.picked.length} passed answers can become demonstrations` };
    },
    async propose(context) {
      const chosen = choose(context);
      if ("error" in chosen) throw notApplicable("few_shot", context, chosen.error);
      const { graph, config } = copyForEdit(context);
      const room = Math.max(0, Math.min(maxExamples, 32) - chosen.picked.length);
      const kept = chosen.existing.slice(0, room);
      config.examples = [...kept, ...chosen.picked.map((e) => ({ user: e.query.trim(), assistant: (e.answer ?? "").trim() }))];
      await checkProposal("few_shot", context.nodeId, graph, [context.nodeId]);
      const dropped = chosen.existing.length - kept.length;
      return {
        strategy: "few_shot",
        nodeId: context.nodeId,
        graph,
        summary: `${context.nodeId}: examples + ${chosen.picked.length} passed answers${dropped > 0 ? ` (${dropped} older examples left out)` : ""}`,
      };
    },
  };
}

/** {@link createFewShotStrategy} with its defaults: up to 3 demonstrations, at most 6 in all. */
export const fewShotStrategy: Strategy = createFewShotStrategy();
