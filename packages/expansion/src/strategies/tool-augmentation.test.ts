import type { GraphInput } from "@tinyllm/core";
import { describe, expect, it } from "vitest";
import { answer, deepFreeze, loadProposal, multiDomainGraph, nodeAnalysis, strategyContext } from "./test-fixtures";
import { toolAugmentationStrategy } from "./tool-augmentation";

/** multi_domain with `node`'s tools set to `tools`. */
async function graphWithTools(node: string, tools: string[]): Promise<GraphInput> {
  const graph = await multiDomainGraph();
  const config = graph.nodes.find((n) => n.id === node)!.config as Record<string, unknown>;
  config.tools = tools;
  return deepFreeze(graph);
}

const calculations = ["What is 37 * 41?", "What is 128 / 16?", "Compute 19 * 23.", "What is 2^10 - 24?", "How much is 45% of 360?"];

describe("tool augmentation", () => {
  it("adds the calculator to a math node whose answers fail the numeric checks, and the graph validates", async () => {
    const graph = await graphWithTools("math", []);
    const failing = calculations.flatMap((q) => [
      answer(q, { answer: "Once upon a time there was a little cat.", failedChecks: ["math.calculator"], feedback: "The final result is wrong." }),
      answer(q, { answer: "It is 12.", failedChecks: ["math.reference"] }),
    ]);
    const analysis = nodeAnalysis("math", { routes: ["math"], failing, causes: { tool_missing: failing.length } });
    const context = await strategyContext(graph, "math", analysis);

    expect(toolAugmentationStrategy.applicable(context)).toEqual({ ok: true, reason: "calculator: 10 failed numeric checks" });
    const proposal = await toolAugmentationStrategy.propose(context);

    expect(proposal).toMatchObject({ strategy: "tool_augmentation", nodeId: "math", summary: "math: tools + calculator" });
    expect(proposal.graph.version).toBe(graph.version);
    const math = proposal.graph.nodes.find((n) => n.id === "math")!;
    expect(math.config).toMatchObject({ prompt: "math", tools: ["calculator"], queryTools: ["remember"] });
    // Only the node's tools changed.
    expect({ ...proposal.graph, nodes: proposal.graph.nodes.filter((n) => n.id !== "math") }).toEqual({
      ...graph,
      nodes: graph.nodes.filter((n) => n.id !== "math"),
    });
    const loaded = await loadProposal(proposal);
    expect((loaded.nodes.get("math")?.config as { tools: string[] }).tools).toEqual(["calculator"]);
  });

  it("adds the calculator for failures of cause tool_missing on a math node, even without the check names", async () => {
    const graph = await graphWithTools("math", []);
    const failing = calculations.map((q) => answer(q, { failedChecks: ["judge"] }));
    const analysis = nodeAnalysis("math", { routes: ["math"], failing, causes: { tool_missing: 4, model_limitation: 1 } });
    const proposal = await toolAugmentationStrategy.propose(await strategyContext(graph, "math", analysis));
    expect(proposal.summary).toBe("math: tools + calculator");
    await loadProposal(proposal);
  });

  it("adds run_javascript or run_python to a code node by the language of its queries and answers", async () => {
    const graph = await graphWithTools("code", []);
    const js = [
      answer("Write a JavaScript function that sums an array.", {
        answer: "```js\nconst sum = (xs) => xs.reduce((a, b) => a + b)\n```",
        failedChecks: ["code.tests"],
      }),
      answer("Debounce a function in TypeScript.", { answer: "```ts\nfunction debounce(f) { return f }\n```", failedChecks: ["code.run"] }),
      answer("In node, read a JSON file.", { answer: "console.log(require('fs'))", failedChecks: ["code.tests"] }),
    ];
    const jsProposal = await toolAugmentationStrategy.propose(await strategyContext(graph, "code", nodeAnalysis("code", { routes: ["code"], failing: js })));
    expect(jsProposal.summary).toBe("code: tools + run_javascript");
    expect(jsProposal.graph.nodes.find((n) => n.id === "code")!.config).toMatchObject({ tools: ["run_javascript"] });
    await loadProposal(jsProposal);

    const py = [
      answer("Write a Python function that reverses a string.", { answer: "```python\ndef rev(s):\n    return s[::-1]\n```", failedChecks: ["code.tests"] }),
      answer("Parse a CSV file with pandas.", { answer: "import pandas as pd\nprint(pd.read_csv('x'))", failedChecks: ["code.tests"] }),
    ];
    const pyProposal = await toolAugmentationStrategy.propose(await strategyContext(graph, "code", nodeAnalysis("code", { routes: ["code"], failing: py })));
    expect(pyProposal.summary).toBe("code: tools + run_python");
    await loadProposal(pyProposal);
  });

  it("adds only a tool the node lacks: run_javascript next to run_python", async () => {
    const graph = await graphWithTools("code", ["run_python"]);
    const failing = [answer("Write a JavaScript debounce function.", { answer: "const debounce = (f) => f", failedChecks: ["code.tests"] })];
    const proposal = await toolAugmentationStrategy.propose(await strategyContext(graph, "code", nodeAnalysis("code", { routes: ["code"], failing })));
    expect(proposal.graph.nodes.find((n) => n.id === "code")!.config).toMatchObject({ tools: ["run_python", "run_javascript"] });
    await loadProposal(proposal);
  });

  it("is not applicable, with the reason, when no failure points to a tool or the tool is there or unavailable", async () => {
    const judged = nodeAnalysis("general", { routes: ["general"], failing: [answer("Who painted the Mona Lisa?", { failedChecks: ["judge"] })] });
    const general = await strategyContext(await multiDomainGraph(), "general", judged);
    expect(toolAugmentationStrategy.applicable(general)).toEqual({
      ok: false,
      reason: "no failures point to a tool (failed checks: judge ×1; tool_missing: 0)",
    });
    await expect(toolAugmentationStrategy.propose(general)).rejects.toMatchObject({ code: "STRATEGY_FAILED", message: /no failures point to a tool/ });

    const numeric = nodeAnalysis("math", { routes: ["math"], failing: calculations.map((q) => answer(q, { failedChecks: ["math.reference"] })) });
    const present = await strategyContext(await multiDomainGraph(), "math", numeric);
    expect(toolAugmentationStrategy.applicable(present)).toEqual({ ok: false, reason: "calculator is already on the node" });

    const unavailable = await strategyContext(await graphWithTools("math", []), "math", numeric, { availableTools: ["run_python"] });
    expect(toolAugmentationStrategy.applicable(unavailable)).toEqual({ ok: false, reason: "calculator is not available (tools: run_python)" });

    const passing = await strategyContext(await multiDomainGraph(), "math", nodeAnalysis("math", { passing: [answer("1+1", { pass: true })] }));
    expect(toolAugmentationStrategy.applicable(passing)).toEqual({ ok: false, reason: "the node has no failed answers" });
  });

  it("says a node that is not a model node cannot be changed", async () => {
    const context = await strategyContext(await multiDomainGraph(), "gate", nodeAnalysis("gate"));
    expect(toolAugmentationStrategy.applicable(context)).toEqual({ ok: false, reason: "node 'gate' is a 'gate' node; strategies change 'model' nodes" });
    await expect(toolAugmentationStrategy.propose(context)).rejects.toMatchObject({ code: "EXPANSION_INPUT_INVALID" });
  });
});
