/**
 * The fast local router: a small multi-label text classifier trained at graph load from the
 * routes' example queries, plus the rule that turns its labels into one route.
 *
 * Typical use (the hybrid wiring asks an LLM when the fast path is unsure):
 *
 * ```ts
 * const classifier = trainFastClassifier({ labels: fastLabelsFromRoutes(routes) });
 * const result = classifier.classify(query);
 * if (result.confidence >= RECOMMENDED_CONFIDENCE_THRESHOLD) {
 *   return decideRoute(result, routes.map((r) => ({ name: r.name, labels: r.labels ?? [r.name] })), "general").route;
 * }
 * // else: ask the LLM router
 * ```
 *
 * @module
 */
export { trainFastClassifier } from "./fast-classifier";
export type { FastClassification, FastClassifier, FastClassifierOptions, FastClassifierStats, FastLabelSpec, FeatureContribution } from "./fast-classifier";
export { decideRoute, fastLabelsFromRoutes } from "./decide-route";
export type { RouteDecision, RouteLabels, TrainableRoute } from "./decide-route";
export { decideByPrecedent, precedentsAgainst } from "./decide-by-precedent";
export type { DecideByPrecedentOptions, PrecedentDecision } from "./decide-by-precedent";
export { detectQueryShapes, queryShapes } from "./query-shapes";
export type { QueryShape } from "./query-shapes";
export { DEFAULT_ROUTER_LEXICON } from "./lexicon";
export type { RouterLexicon } from "./lexicon";
export type { FeatureWeights } from "./features";

/**
 * The confidence at or above which the fast path's answer should be trusted with the
 * default options and the router routes of `graphs/multi_domain.yaml` (see
 * `benchmarks/routing/README.md` for the measurements behind it). Below it, ask the LLM.
 */
export const RECOMMENDED_CONFIDENCE_THRESHOLD = 0.8;
