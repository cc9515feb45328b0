import { describe, expect, it } from "vitest";
import { createFewShotStrategy } from "./few-shot";
import { proposeChanges, STRATEGIES } from "./propose-changes";
import { STRATEGY_NAMES } from "./strategy";
import { answer, cluster, deepFreeze, loadProposal, multiDomainGraph, nodeAnalysis, strategyContext } from "./test-fixtures";

const sums = Array.from({ length: 6 }, (_, i) => `What is ${31 + i} * ${47 - i}?`);
const equations = Array.from({ length: 4 }, (_, i) => `Solve for x: ${i + 2}x + 5 = ${3 * (i + 2) + 5}`);

async function mathContext(extra = {}) {
  const graph = await multiDomainGraph();
  (graph.nodes.find((n) => n.id === "math")!.config as { tools: string[] }).tools = [];
  const analysis = nodeAnalysis("math", {
    routes: ["math"],
    failing: sums.map((q) => answer(q, { answer: "A bunny hopped.", failedChecks: ["math.calculator"], feedback: "The final result is wrong." })),
    passing: equations.map((q) => answer(q, { answer: "x = 3\nAnswer: 3", pass: true, route: "math" })),
    clusters: [cluster("multiply", ["what", "is"], sums, 6), cluster("solve-x", ["solve", "x"], equations)],
    causes: { tool_missing: 6 },
  });
  return strategyContext(deepFreeze(graph), "math", analysis, extra);
}

describe("proposeChanges", () => {
  it("has every strategy by name", () => {
    expect(Object.keys(STRATEGIES)).toEqual([...STRATEGY_NAMES]);
    for (const name of STRATEGY_NAMES) expect(STRATEGIES[name].name).toBe(name);
  });

  it("returns a proposal from every strategy that applies and the reasons of the others; every graph validates", async () => {
    const { proposals, skipped } = await proposeChanges(await mathContext());
    expect(proposals.map((p) => [p.strategy, p.summary])).toEqual([
      ["tool_augmentation", "math: tools + calculator"],
      ["few_shot", "math: examples + 3 passed answers"],
      ["tier_upgrade", "math: tier T1 → T2"],
      ["split", "math: split into math_router and 2 specialists (math_multiply, math_solve-x)"],
    ]);
    expect(skipped).toEqual([{ strategy: "prompt_refinement", reason: "no T2/T3 model is available to write a revised prompt" }]);
    for (const proposal of proposals) {
      expect(proposal.graph.version).toBe("1.0.0");
      await loadProposal(proposal);
    }
  });

  it("tries only the strategies named, in their order, with overrides", async () => {
    const { proposals, skipped } = await proposeChanges(await mathContext(), {
      strategies: ["tier_upgrade", "few_shot", "tier_upgrade"],
      overrides: { few_shot: createFewShotStrategy({ k: 1 }) },
    });
    expect(proposals.map((p) => p.summary)).toEqual(["math: tier T1 → T2", "math: examples + 1 passed answers"]);
    expect(skipped).toEqual([]);
  });

  it("lists a strategy that applies but fails under skipped, with its code and hint, and goes on", async () => {
    const { proposals, skipped } = await proposeChanges(await mathContext({ complete: async () => "   " }), {
      strategies: ["prompt_refinement", "tier_upgrade"],
    });
    expect(proposals.map((p) => p.strategy)).toEqual(["tier_upgrade"]);
    expect(skipped).toEqual([
      {
        strategy: "prompt_refinement",
        reason: "prompt_refinement on 'math': the model's reply held no prompt",
        code: "STRATEGY_FAILED",
        hint: expect.stringMatching(/bigger model/),
      },
    ]);
  });

  it("refuses an unknown strategy, a node that does not exist and a node that is not a model node", async () => {
    const context = await mathContext();
    await expect(proposeChanges(context, { strategies: ["rewrite" as never] })).rejects.toMatchObject({
      code: "EXPANSION_INPUT_INVALID",
      message: "unknown strategy 'rewrite'",
      hint: `strategies: ${STRATEGY_NAMES.join(", ")}`,
    });
    await expect(proposeChanges({ ...context, nodeId: "maths" })).rejects.toMatchObject({
      code: "EXPANSION_INPUT_INVALID",
      message: "node 'maths' is not in graph 'multi_domain'",
    });
    await expect(proposeChanges({ ...context, nodeId: "router" })).rejects.toMatchObject({
      code: "EXPANSION_INPUT_INVALID",
      hint: "name a model node: code, math, code_math, general",
    });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stopped"));
    await expect(proposeChanges(await mathContext({ abortSignal: controller.signal }))).rejects.toThrow("stopped");
  });
});
