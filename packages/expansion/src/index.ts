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
export { createFewShotStrategy, fewShotStrategy, type FewShotOptions } from "./strategies/few-shot";
export { createPromptRefinementStrategy, promptRefinementStrategy, type PromptRefinementOptions } from "./strategies/prompt-refinement";
export { proposeChanges, STRATEGIES, type ProposeChangesOptions, type ProposeChangesResult, type SkippedStrategy } from "./strategies/propose-changes";
export { createSplitStrategy, splitStrategy, type SplitOptions } from "./strategies/split";
export { tierUpgradeStrategy } from "./strategies/tier-upgrade";
export { toolAugmentationStrategy } from "./strategies/tool-augmentation";
export { adoptGraphVersion, type AdoptGraphVersionOptions, type AdoptGraphVersionResult } from "./versions/adopt-graph-version";
export type { VersionBump } from "./versions/bump-version";
export type { GraphTextValidator } from "./versions/check-graph-text";
export { diffGraphVersions, type EdgeSummary, type GraphStructureDiff, type GraphVersionDiff } from "./versions/diff-graph-versions";
export type { GraphSourceInput } from "./versions/graph-version-text";
export { lastAdoptedAtMs } from "./versions/last-adopted-at";
export { CURRENT_VERSION, listGraphVersions, readGraphVersion, type GraphVersion } from "./versions/list-graph-versions";
export { planRollback, rollbackGraph, type RollbackGraphOptions, type RollbackGraphResult } from "./versions/rollback-graph";
export { graphFileSha256, graphVersionsDir, type VersionEvidence, type VersionOrigin } from "./versions/version-store";
export { wilsonInterval } from "./decision/wilson-interval";
export { exactMcNemar, type ExactMcNemarOptions, type McNemarResult } from "./decision/exact-mcnemar";
export { unconditionalMcNemar, type UnconditionalMcNemarOptions, type UnconditionalMcNemarResult } from "./decision/unconditional-mcnemar";
export { pairedBootstrapInterval, type PairedBootstrapInterval, type PairedBootstrapOptions } from "./decision/paired-bootstrap";
export { decideAdoption, type AdoptionDecision, type DecideAdoptionOptions, type PairedTest, type PassRate } from "./decision/decide-adoption";
export type { EvaluationItem } from "./evaluation/evaluation-item";
export type { QueryOutcome } from "./evaluation/query-outcome";
export { readQueriesFile } from "./evaluation/read-queries-file";
export { splitEvaluationSet, type EvaluationSplit, type SplitEvaluationSetOptions } from "./evaluation/split-evaluation-set";
export { evaluateVersions, type EvaluateVersionsOptions, type EvaluationReport, type PairedOutcome, type RunQuery } from "./evaluation/evaluate-versions";
export { analyzeNodes, type AnalyzeNodesOptions } from "./analysis/analyze-nodes";
export { causeOfFailure, type StoredCheck } from "./analysis/cause-of-failure";
export { clusterQueries, type ClusterQueriesOptions } from "./analysis/cluster-queries";
