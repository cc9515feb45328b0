/**
 * @tinyllm/expansion: finds the graph nodes that keep failing, proposes changes (a refined
 * prompt, few-shot demonstrations, a tool, a bigger tier, a split into finer specialists),
 * adopts one only when a paired A/B test on held-out queries shows it is better, and keeps
 * every graph version, diffable and reversible.
 *
 * @packageDocumentation
 */
export { expansionError } from "./expansion-error";
export { FAILURE_CAUSES, type FailureCause } from "./analysis/failure-cause";
export type { AnswerExample, NodeAnalysis, QueryCluster } from "./analysis/node-analysis";
export { STRATEGY_NAMES, type PromptScore, type Proposal, type Strategy, type StrategyContext, type StrategyName } from "./strategies/strategy";
