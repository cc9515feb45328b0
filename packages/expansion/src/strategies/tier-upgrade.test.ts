import type { GraphInput } from "@tinyllm/core";
import { describe, expect, it } from "vitest";
import { answer, deepFreeze, loadProposal, multiDomainGraph, nodeAnalysis, strategyContext } from "./test-fixtures";
import { tierUpgradeStrategy } from "./tier-upgrade";

const analysis = nodeAnalysis("math", { routes: ["math"], failing: [answer("Prove that there are infinitely many primes.", { failedChecks: ["judge"] })] });

async function withMathConfig(fields: Record<string, unknown>): Promise<GraphInput> {
  const graph = await multiDomainGraph();
  Object.assign(graph.nodes.find((n) => n.id === "math")!.config as Record<string, unknown>, fields);
  return deepFreeze(graph);
}

describe("tier upgrade", () => {
  it("moves a node from its prompt's tier to the next, and the graph validates", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const context = await strategyContext(graph, "math", analysis);
    expect(context.prompt.tier).toBe("T1");
    expect(tierUpgradeStrategy.applicable(context)).toEqual({ ok: true, reason: "the node runs on T1; T2 is the next tier" });

    const proposal = await tierUpgradeStrategy.propose(context);
    expect(proposal).toMatchObject({ strategy: "tier_upgrade", nodeId: "math", summary: "math: tier T1 → T2" });
    expect(proposal.graph.nodes.find((n) => n.id === "math")!.config).toMatchObject({ prompt: "math", tier: "T2", tools: ["calculator"] });
    expect(proposal.graph.version).toBe("1.0.0");
    const loaded = await loadProposal(proposal);
    expect((loaded.nodes.get("math")?.config as { tier?: string }).tier).toBe("T2");
  });

  it("starts from the node's own tier when it has one", async () => {
    const proposal = await tierUpgradeStrategy.propose(await strategyContext(await withMathConfig({ tier: "T2" }), "math", analysis));
    expect(proposal.summary).toBe("math: tier T2 → T3");
    await loadProposal(proposal);
  });

  it("is not applicable on the largest tier, on a tier it does not know, or when the node names a model", async () => {
    const largest = await strategyContext(await withMathConfig({ tier: "T3" }), "math", analysis);
    expect(tierUpgradeStrategy.applicable(largest)).toEqual({ ok: false, reason: "the node already runs on the largest tier, T3" });
    await expect(tierUpgradeStrategy.propose(largest)).rejects.toMatchObject({ code: "STRATEGY_FAILED", message: /largest tier/ });

    const unknown = await strategyContext(await withMathConfig({ tier: "huge" }), "math", analysis);
    expect(tierUpgradeStrategy.applicable(unknown)).toEqual({ ok: false, reason: "the node's tier 'huge' is not one of the tiers (T0, T1, T2, T3)" });

    const named = await strategyContext(await withMathConfig({ model: "qwen2.5:7b" }), "math", analysis);
    expect(tierUpgradeStrategy.applicable(named).ok).toBe(false);
    expect(tierUpgradeStrategy.applicable(named).reason).toMatch(/names a model \('qwen2.5:7b'\)/);
  });

  it("counts T1 when neither the node nor its prompt names a tier", async () => {
    const context = await strategyContext(deepFreeze(await multiDomainGraph()), "math", analysis);
    const proposal = await tierUpgradeStrategy.propose({ ...context, prompt: { id: "math", examples: [] } });
    expect(proposal.summary).toBe("math: tier T1 → T2");
  });

  it("refuses a node id that is not in the graph", async () => {
    const context = await strategyContext(deepFreeze(await multiDomainGraph()), "maths", analysis);
    expect(tierUpgradeStrategy.applicable(context)).toEqual({ ok: false, reason: "node 'maths' is not in graph 'multi_domain'" });
    await expect(tierUpgradeStrategy.propose(context)).rejects.toMatchObject({ code: "EXPANSION_INPUT_INVALID", hint: /code, math, code_math, general/ });
  });
});
