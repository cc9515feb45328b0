import { checkProposal, copyForEdit, modelNodeOf, notApplicable, tierOf } from "./graph-edit";
import type { Strategy, StrategyContext } from "./strategy";

function nextTier(context: StrategyContext): { ok: true; from: string; to: string } | { ok: false; reason: string } {
  const found = modelNodeOf(context.graph, context.nodeId);
  if (!found.ok) return found;
  if (found.config.model !== undefined)
    return { ok: false, reason: `node '${context.nodeId}' names a model ('${found.config.model}'), which overrides any tier; change the model by hand` };
  const current = tierOf(found.config, context);
  const index = context.tiers.indexOf(current);
  if (index === -1) return { ok: false, reason: `the node's tier '${current}' is not one of the tiers (${context.tiers.join(", ")})` };
  const next = context.tiers[index + 1];
  if (next === undefined) return { ok: false, reason: `the node already runs on the largest tier, ${current}` };
  return { ok: true, from: current, to: next };
}

/**
 * Tier upgrade: the node moves to the tier after its current one (its config's `tier`, else its
 * prompt's, else `T1`), written to the node's config `tier`. Not applicable on the largest tier,
 * or when the node names a model of its own.
 *
 * @example
 * ```ts
 * const proposal = await tierUpgradeStrategy.propose(context); // math: tier T1 → T2
 * ```
 */
export const tierUpgradeStrategy: Strategy = {
  name: "tier_upgrade",
  applicable(context) {
    const next = nextTier(context);
    return next.ok ? { ok: true, reason: `the node runs on ${next.from}; ${next.to} is the next tier` } : next;
  },
  async propose(context) {
    const next = nextTier(context);
    if (!next.ok) throw notApplicable("tier_upgrade", context, next.reason);
    const { graph, config } = copyForEdit(context);
    config.tier = next.to;
    await checkProposal("tier_upgrade", context.nodeId, graph, [context.nodeId]);
    return { strategy: "tier_upgrade", nodeId: context.nodeId, graph, summary: `${context.nodeId}: tier ${next.from} → ${next.to}` };
  },
};
