import { describe, expect, it } from "vitest";
import { loadProposal, multiDomainGraph } from "./test-fixtures";

// The strategy tests rely on loadProposal to fail on an invalid graph: check that it does.
describe("loadProposal", () => {
  it("loads multi_domain with the real node kinds", async () => {
    const graph = await loadProposal({ graph: await multiDomainGraph() });
    expect([...graph.nodes.keys()]).toContain("gate");
  });

  it("fails on an unknown tool, an unknown prompt and a gate retrying a node that does not exist", async () => {
    const graph = await multiDomainGraph();
    const math = graph.nodes.find((n) => n.id === "math")!;
    math.config = { ...(math.config as object), tools: ["abacus"] };
    await expect(loadProposal({ graph })).rejects.toThrow(/unknown tool 'abacus'/);
    math.config = { prompt: "maths" };
    await expect(loadProposal({ graph })).rejects.toThrow(/unknown prompt 'maths'/);
    math.config = { prompt: "math" };
    const gate = graph.nodes.find((n) => n.id === "gate")!;
    gate.config = { ...(gate.config as object), retryTargets: ["code", "nope"] };
    await expect(loadProposal({ graph })).rejects.toThrow(/nope/);
  });
});
