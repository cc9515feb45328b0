import { describe, expect, it } from "vitest";
import { createFewShotStrategy, fewShotStrategy } from "./few-shot";
import { answer, cluster, deepFreeze, loadProposal, multiDomainGraph, nodeAnalysis, strategyContext } from "./test-fixtures";

const passed = (query: string, text: string, route = "math") => answer(query, { answer: text, pass: true, route });

const passing = [
  passed("What is 12 * 15?", "12 * 15 = 180.\nAnswer: 180"),
  passed("What is 9 * 14?", "9 * 14 = 126. First 9 * 10 = 90, then 9 * 4 = 36, and 90 + 36 = 126.\nAnswer: 126"),
  passed("Solve for x: 2x + 6 = 20", "2x = 14, so x = 7.\nAnswer: 7"),
  passed("Solve for y: 5y - 3 = 12", "5y = 15, so y = 3. Check: 5 * 3 - 3 = 12.\nAnswer: 3"),
  passed("Tom buys 3 pens at $2 each and a book at $7. How much does he spend?", "3 * 2 = 6 and 6 + 7 = 13.\nAnswer: 13"),
  passed("What is 100 - 37?", "100 - 37 = 63.\nAnswer: 63", "general"),
];
const clusters = [
  cluster("multiply-times", ["multiply", "times"], ["What is 12 * 15?", "What is 9 * 14?", "What is 100 - 37?"]),
  cluster("solve-x", ["solve", "x"], ["Solve for x: 2x + 6 = 20", "Solve for y: 5y - 3 = 12"]),
  cluster("buys-spend", ["buys", "spend"], ["Tom buys 3 pens at $2 each and a book at $7. How much does he spend?"]),
];
const failing = [answer("What is 37 * 41?", { failedChecks: ["math.calculator"] })];

describe("few-shot bootstrapping", () => {
  it("turns diverse, short passed answers into demonstrations after the prompt's own, and the graph validates", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const analysis = nodeAnalysis("math", { routes: ["math"], failing, passing, clusters });
    const context = await strategyContext(graph, "math", analysis);
    expect(context.prompt.examples).toHaveLength(1);
    expect(fewShotStrategy.applicable(context)).toEqual({ ok: true, reason: "3 passed answers can become demonstrations" });

    const proposal = await fewShotStrategy.propose(context);
    expect(proposal).toMatchObject({ strategy: "few_shot", nodeId: "math", summary: "math: examples + 3 passed answers" });
    const examples = (proposal.graph.nodes.find((n) => n.id === "math")!.config as { examples: { user: string; assistant: string }[] }).examples;
    // The prompt's example first, then one per cluster, the shortest answer of each; the answer on another route is not used.
    expect(examples.map((e) => e.user)).toEqual([
      context.prompt.examples[0]!.user,
      "What is 12 * 15?",
      "Solve for x: 2x + 6 = 20",
      "Tom buys 3 pens at $2 each and a book at $7. How much does he spend?",
    ]);
    expect(examples[1]).toEqual({ user: "What is 12 * 15?", assistant: "12 * 15 = 180.\nAnswer: 180" });
    expect(proposal.graph.version).toBe(graph.version);
    const loaded = await loadProposal(proposal);
    expect((loaded.nodes.get("math")?.config as { examples: unknown[] }).examples).toHaveLength(4);
  });

  it("takes k demonstrations, a second one per cluster when the clusters run out, and leaves out older examples when there is no room", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const analysis = nodeAnalysis("math", { routes: ["math"], failing, passing: passing.slice(0, 4), clusters });
    const proposal = await createFewShotStrategy({ k: 3, maxExamples: 3 }).propose(await strategyContext(graph, "math", analysis));
    const examples = (proposal.graph.nodes.find((n) => n.id === "math")!.config as { examples: { user: string }[] }).examples;
    expect(examples.map((e) => e.user)).toEqual(["What is 12 * 15?", "Solve for x: 2x + 6 = 20", "What is 9 * 14?"]);
    expect(proposal.summary).toBe("math: examples + 3 passed answers (1 older examples left out)");
    await loadProposal(proposal);
  });

  it("uses answers on any route when none is on the node's main route, and skips demonstrations it already has", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const analysis = nodeAnalysis("math", {
      routes: ["math"],
      failing,
      passing: [passed("What is 100 - 37?", "Answer: 63", "general"), passed("A shirt costs $40 and is 25% off. What is the sale price?", "Answer: 30")],
    });
    const proposal = await fewShotStrategy.propose(await strategyContext(graph, "math", analysis));
    const examples = (proposal.graph.nodes.find((n) => n.id === "math")!.config as { examples: { user: string }[] }).examples;
    expect(examples.map((e) => e.user)).toEqual(["A shirt costs $40 and is 25% off. What is the sale price?", "What is 100 - 37?"]);
  });

  it("is not applicable without passed answers, or when none is short enough", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const none = await strategyContext(graph, "math", nodeAnalysis("math", { failing }));
    expect(fewShotStrategy.applicable(none)).toEqual({ ok: false, reason: "the node has no passed answers to learn from" });
    await expect(fewShotStrategy.propose(none)).rejects.toMatchObject({ code: "STRATEGY_FAILED" });

    const long = await strategyContext(graph, "math", nodeAnalysis("math", { failing, passing: [passed("Explain limits.", "x".repeat(2_000))] }));
    expect(fewShotStrategy.applicable(long)).toEqual({
      ok: false,
      reason: "none of the node's 1 passed answers is new and short enough (at most 1200 characters) to be a demonstration",
    });
  });
});
