import type { GraphInput } from "@tinyllm/core";
import type { NodeAnalysis } from "../analysis/node-analysis";

/** The five ways expansion changes a node. */
export type StrategyName = "prompt_refinement" | "few_shot" | "tool_augmentation" | "tier_upgrade" | "split";

/** Every {@link StrategyName}, in the order `propose` tries them by default. */
export const STRATEGY_NAMES: readonly StrategyName[] = ["tool_augmentation", "few_shot", "prompt_refinement", "tier_upgrade", "split"];

/** A system prompt tried before, with the pass rate it reached (OPRO's history). */
export interface PromptScore {
  system: string;
  passRate: number;
  n: number;
}

/** What a strategy reads. */
export interface StrategyContext {
  /** The graph document in force (as its YAML file parses), not changed by the strategy. */
  graph: GraphInput;
  /** The node to change: a `model` node of `graph`. */
  nodeId: string;
  /** What the verdict store says about the node. */
  analysis: NodeAnalysis;
  /** The system text, examples and tier of the node's prompt, as its prompt file gives them. */
  prompt: { id: string; system?: string; examples: { user: string; assistant: string }[]; tier?: string };
  /** Tools that can be registered, by name (e.g. `calculator`, `run_python`, `run_javascript`, `search`). */
  availableTools: readonly string[];
  /** Tier names from smallest to largest, e.g. `["T0", "T1", "T2", "T3"]`. */
  tiers: readonly string[];
  /**
   * Asks a bigger model (T2/T3) for text: prompt refinement uses it. Absent when no model is
   * available; strategies that need it then say so with `STRATEGY_FAILED`.
   */
  complete?: (request: { system: string; prompt: string; abortSignal?: AbortSignal }) => Promise<string>;
  /** Earlier system prompts of this node and their pass rates, for prompt refinement. */
  promptHistory?: readonly PromptScore[];
  abortSignal?: AbortSignal;
}

/** A proposed change: the whole new graph document, and what changed, in words. */
export interface Proposal {
  strategy: StrategyName;
  nodeId: string;
  /** The new graph document; its `version` is not bumped yet (adoption does that). */
  graph: GraphInput;
  /** One line on what changed, e.g. `"math: tools + calculator"`. */
  summary: string;
}

/** One strategy. */
export interface Strategy {
  readonly name: StrategyName;
  /** Whether this strategy has something to offer for this node, and why (or why not). */
  applicable(context: StrategyContext): { ok: boolean; reason: string };
  /** Writes the new graph. Throws `STRATEGY_FAILED` with a hint when it cannot. */
  propose(context: StrategyContext): Promise<Proposal>;
}
