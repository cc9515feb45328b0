import { TinyLLMError } from "@tinyllm/core";
import { expansionError } from "../expansion-error";
import { fewShotStrategy } from "./few-shot";
import { promptRefinementStrategy } from "./prompt-refinement";
import { splitStrategy } from "./split";
import { STRATEGY_NAMES, type Proposal, type Strategy, type StrategyContext, type StrategyName } from "./strategy";
import { tierUpgradeStrategy } from "./tier-upgrade";
import { toolAugmentationStrategy } from "./tool-augmentation";

/** Every strategy with its default options, by name. */
export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = Object.freeze({
  tool_augmentation: toolAugmentationStrategy,
  few_shot: fewShotStrategy,
  prompt_refinement: promptRefinementStrategy,
  tier_upgrade: tierUpgradeStrategy,
  split: splitStrategy,
});

/** Options of {@link proposeChanges}. */
export interface ProposeChangesOptions {
  /** The strategies to try, in this order. Default every one, in {@link STRATEGY_NAMES}' order. */
  strategies?: readonly StrategyName[];
  /** Strategies to use instead of the defaults (e.g. `createFewShotStrategy({ k: 5 })`), by name. */
  overrides?: Partial<Record<StrategyName, Strategy>>;
}

/** A strategy that proposed nothing, and why. */
export interface SkippedStrategy {
  strategy: StrategyName;
  /** Why it does not apply, or why it failed. */
  reason: string;
  /** `STRATEGY_FAILED` when it applied but could not write a graph (e.g. the model's reply held no prompt). */
  code?: string;
  /** What to do about a failure. */
  hint?: string;
}

/** What {@link proposeChanges} returns. */
export interface ProposeChangesResult {
  /** One proposal per strategy that applied, in the order tried. */
  proposals: Proposal[];
  /** The strategies that proposed nothing, with their reasons. */
  skipped: SkippedStrategy[];
}

/**
 * Asks each strategy in turn for a change to the node: those that apply propose a whole new graph
 * (the input is never changed); the others say why not. A strategy that applies and fails with
 * `STRATEGY_FAILED` (a model reply without a usable prompt, say) is listed under `skipped` with
 * its code and hint, so the others still propose. Any other error, and an abort, is thrown.
 * Throws `EXPANSION_INPUT_INVALID` for an unknown strategy name or a node that is not a `model`
 * node of the graph.
 *
 * @example
 * ```ts
 * const { proposals, skipped } = await proposeChanges(context, { strategies: ["tool_augmentation", "tier_upgrade"] });
 * for (const p of proposals) console.log(p.summary); // math: tools + calculator …
 * ```
 */
export async function proposeChanges(context: StrategyContext, options: ProposeChangesOptions = {}): Promise<ProposeChangesResult> {
  const names = options.strategies ?? STRATEGY_NAMES;
  const unknown = names.filter((name) => !(STRATEGY_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw expansionError("EXPANSION_INPUT_INVALID", `unknown strategy ${unknown.map((n) => `'${n}'`).join(", ")}`, `strategies: ${STRATEGY_NAMES.join(", ")}`);
  const node = context.graph.nodes.find((n) => n.id === context.nodeId);
  if (!node || node.kind !== "model") {
    const models = context.graph.nodes.filter((n) => n.kind === "model").map((n) => n.id);
    throw expansionError(
      "EXPANSION_INPUT_INVALID",
      node
        ? `node '${context.nodeId}' is a '${node.kind}' node; strategies change 'model' nodes`
        : `node '${context.nodeId}' is not in graph '${context.graph.id}'`,
      `name a model node: ${models.join(", ") || "(none)"}`,
    );
  }
  const proposals: Proposal[] = [];
  const skipped: SkippedStrategy[] = [];
  for (const name of [...new Set(names)]) {
    context.abortSignal?.throwIfAborted();
    const strategy = options.overrides?.[name] ?? STRATEGIES[name];
    const applicable = strategy.applicable(context);
    if (!applicable.ok) {
      skipped.push({ strategy: name, reason: applicable.reason });
      continue;
    }
    try {
      proposals.push(await strategy.propose(context));
    } catch (error) {
      if (context.abortSignal?.aborted || !TinyLLMError.isInstance(error) || error.code !== "STRATEGY_FAILED") throw error;
      skipped.push({ strategy: name, reason: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) });
    }
  }
  return { proposals, skipped };
}
