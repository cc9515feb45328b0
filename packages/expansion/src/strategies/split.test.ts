import { ANSWER_META_FIELD, runGraph, type GraphInput } from "@tinyllm/core";
import { createHybridRouter, createLlamaProvider, type LlamaProvider, type RouterConfig } from "@tinyllm/models";
import { resolveTestModel } from "@tinyllm/models/testing";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { createSplitStrategy, splitStrategy } from "./split";
import { answer, cluster, deepFreeze, loadProposal, multiDomainGraph, nodeAnalysis, realRegistry, strategyContext } from "./test-fixtures";

// Three sub-domains of a math node, written for this test: training queries (the analysis's
// clusters) and held-out queries the sub-router never sees.
const arithmetic = {
  train: [
    "What is 37 * 41?",
    "Compute 1288 / 14.",
    "What is 905 - 367?",
    "Calculate 64 * 25 + 18.",
    "What is 15% of 480?",
    "What is 3/4 + 5/6?",
    "Evaluate 2^12 - 1000.",
    "What is the square root of 1764?",
    "Multiply 123 by 9.",
    "What is 7.5 * 0.4?",
  ],
  heldOut: ["What is 58 * 23?", "Compute 4096 / 32.", "What is 12% of 650?", "Calculate 999 - 487 + 36."],
};
const algebra = {
  train: [
    "Solve for x: 4x - 9 = 23",
    "Solve the equation 2y + 5 = 3y - 7",
    "Factor x^2 - 7x + 12",
    "Expand (x + 3)(x - 5)",
    "Simplify (6x^2 + 9x) / 3x",
    "Solve the system: x + y = 11, x - y = 3",
    "Find the roots of x^2 + 2x - 15 = 0",
    "Solve for t in 5(t - 2) = 3t + 4",
    "What value of k makes 3k + 4 = 2k + 10 true?",
    "Rearrange v = u + at to solve for a",
  ],
  heldOut: ["Solve for x: 7x + 3 = 4x + 18", "Factor x^2 + 9x + 20", "Find the roots of x^2 - 5x + 6 = 0", "Expand (2x - 1)(x + 4)"],
};
const wordProblems = {
  train: [
    "Maria has 24 apples and gives a third of them to her brother. How many apples does she have left?",
    "A train leaves at 9:15 and arrives at 11:45. How long is the trip in minutes?",
    "A bakery sells muffins for $3 each. How much do 14 muffins cost?",
    "Tom is twice as old as his sister, who is 8. How old will Tom be in 5 years?",
    "A car uses 6 liters of fuel per 100 km. How much fuel does it need for a 350 km trip?",
    "Each box holds 12 eggs. How many boxes are needed for 150 eggs?",
    "A shop buys a jacket for $40 and sells it for $58. What is the profit?",
    "Three friends share a bill of $87 equally. How much does each friend pay?",
    "A garden is 9 meters long and 6 meters wide. How much fencing is needed to go around it?",
    "Sam reads 25 pages a day. How many days does he need to finish a 400-page book?",
  ],
  heldOut: [
    "Lena has 45 stickers and buys 3 packs of 8 more. How many stickers does she have now?",
    "A bus carries 52 passengers per trip. How many trips does it take to carry 300 people?",
    "A recipe needs 250 grams of flour per cake. How much flour do 6 cakes need?",
    "Jake earns $15 an hour and works 32 hours a week. How much does he earn in a week?",
  ],
};

function mathAnalysis(extraClusters = [cluster("proof-prime", ["prove", "prime"], ["Prove that 2 is prime.", "Prove that 91 is not prime."], 1)]) {
  const queries = [...arithmetic.train, ...algebra.train, ...wordProblems.train];
  return nodeAnalysis("math", {
    routes: ["math"],
    failing: queries.slice(0, 18).map((q) => answer(q, { failedChecks: ["math.reference"], route: "math" })),
    passing: queries.slice(18).map((q) => answer(q, { answer: "Answer: 1", pass: true, route: "math" })),
    clusters: [
      cluster("arithmetic", ["multiply", "compute", "percent", "calculate"], arithmetic.train, 7),
      cluster("word-problems", ["how", "many", "much", "each"], wordProblems.train, 5),
      cluster("algebra", ["solve", "x", "factor", "equation"], algebra.train, 6),
      ...extraClusters,
    ],
  });
}

describe("split", () => {
  it("turns multi_domain's math node into a sub-router and three specialists, and the graph validates", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const context = await strategyContext(graph, "math", mathAnalysis());
    expect(splitStrategy.applicable(context)).toEqual({ ok: true, reason: "3 query clusters: arithmetic (10), algebra (10), word-problems (10)" });

    const proposal = await splitStrategy.propose(context);
    expect(proposal.summary).toBe("math: split into math_router and 3 specialists (math_arithmetic, math_algebra, math_word-problems)");
    expect(proposal.graph.version).toBe("1.0.0");
    const loaded = await loadProposal(proposal);

    const ids = proposal.graph.nodes.map((n) => n.id);
    expect(ids).not.toContain("math");
    expect(ids).toEqual(
      expect.arrayContaining(["math_keep_route", "math_router", "math_restore_route", "math_arithmetic", "math_word-problems", "math_algebra"]),
    );
    const router = loaded.nodes.get("math_router")!.config as RouterConfig;
    expect(router).toMatchObject({ tier: "T0", maxLabels: 1, default: "arithmetic" });
    expect(router.routes.map((r) => r.name)).toEqual(["arithmetic", "algebra", "word-problems"]);
    expect(router.routes[1]).toMatchObject({ description: "Questions about solve, x, factor, equation.", examples: algebra.train });
    // The two-query cluster gets no specialist.
    expect(ids.some((id) => id.includes("proof"))).toBe(false);

    // Each specialist copies the node's config, with a line naming its sub-domain.
    const algebraNode = proposal.graph.nodes.find((n) => n.id === "math_algebra")!;
    expect(algebraNode.config).toMatchObject({ prompt: "math", tools: ["calculator"], queryTools: ["remember"] });
    expect((algebraNode.config as { system: string }).system).toMatch(
      /^You are a precise mathematician[\s\S]*\n\nYou answer questions about solve, x, factor, equation, such as: Solve for x: 4x - 9 = 23$/,
    );

    // Rewired: the main router's math edge enters the split, the specialists go to the gate, the gate retries them.
    const edges = proposal.graph.edges!;
    expect(edges).toContainEqual({ from: "router", to: "math_keep_route", condition: 'route == "math"' });
    expect(edges.filter((e) => e.from === "math_restore_route")).toEqual([
      { from: "math_restore_route", to: "math_algebra", condition: 'math_subroute == "algebra"' },
      { from: "math_restore_route", to: "math_word-problems", condition: 'math_subroute == "word-problems"' },
      { from: "math_restore_route", to: "math_arithmetic" },
    ]);
    for (const id of ["math_arithmetic", "math_word-problems", "math_algebra"]) expect(edges).toContainEqual({ from: id, to: "gate" });
    expect(edges.some((e) => e.from === "math" || e.to === "math")).toBe(false);
    const gate = proposal.graph.nodes.find((n) => n.id === "gate")!.config as { retryTargets: string[] };
    expect(gate.retryTargets).toEqual(["code", "math_arithmetic", "math_algebra", "math_word-problems", "code_math", "general"]);
    // Nothing else changed.
    const untouched = (g: GraphInput) => g.nodes.filter((n) => !n.id.startsWith("math") && n.id !== "gate");
    expect(untouched(proposal.graph)).toEqual(untouched(graph));
  });

  it("routes held-out queries of each sub-domain to its specialist with the sub-router's fast classifier", async () => {
    const proposal = await splitStrategy.propose(await strategyContext(deepFreeze(await multiDomainGraph()), "math", mathAnalysis()));
    const loaded = await loadProposal(proposal);
    // The router as the router kind builds it when the graph loads: trained from the routes' examples.
    const router = createHybridRouter(loaded.nodes.get("math_router")!.config as RouterConfig);
    const edges = proposal.graph.edges!.filter((e) => e.from === "math_restore_route");
    const specialistFor = (route: string) =>
      (edges.find((e) => e.condition === `math_subroute == ${JSON.stringify(route)}`) ?? edges.find((e) => e.condition === undefined))!.to;
    const expected: [string[], string][] = [
      [arithmetic.heldOut, "math_arithmetic"],
      [algebra.heldOut, "math_algebra"],
      [wordProblems.heldOut, "math_word-problems"],
    ];
    for (const [queries, specialist] of expected) {
      for (const query of queries) {
        const result = await router.route(query);
        expect({ query, to: specialistFor(result.route) }).toEqual({ query, to: specialist });
      }
    }
  });

  describe("run on the embedded model", () => {
    let provider: LlamaProvider | undefined;
    afterAll(async () => provider?.close());

    it("answers each held-out query with its sub-domain's specialist and keeps the route the query came with", { timeout: 120_000 }, async () => {
      const graph: GraphInput = deepFreeze({
        id: "tagged",
        version: "2.1.0",
        entry: "start",
        exits: ["done"],
        nodes: [
          { id: "start", kind: "entry" },
          { id: "tag", kind: "transform", config: { set: { route: "math" } } },
          { id: "math", kind: "model", maxVisits: 2, config: { prompt: "math", maxTokens: 4 } },
          { id: "done", kind: "exit" },
        ],
        edges: [
          { from: "start", to: "tag" },
          { from: "tag", to: "math" },
          { from: "math", to: "done" },
        ],
      });
      const proposal = await splitStrategy.propose(await strategyContext(graph, "math", mathAnalysis()));
      expect(proposal.graph.version).toBe("2.1.0");
      expect(proposal.graph.nodes.find((n) => n.id === "math_algebra")).toMatchObject({ maxVisits: 2, config: { maxTokens: 4 } });
      const model = await resolveTestModel();
      provider = createLlamaProvider({ modelPath: model.path, threads: 1 });
      const llama = provider;
      // The sub-router has no model to ask: its fast classifier decides every query.
      const registry = await realRegistry({ resolveModel: (ref) => ({ provider: llama, model: model.path, ...(ref.tier ? { tier: ref.tier } : {}) }) });
      const compiled = await loadProposal(proposal, registry);
      const cases: [string, string][] = [
        [arithmetic.heldOut[0]!, "math_arithmetic"],
        [algebra.heldOut[0]!, "math_algebra"],
        [wordProblems.heldOut[0]!, "math_word-problems"],
      ];
      for (const [query, specialist] of cases) {
        const result = await runGraph(compiled, { input: query });
        expect(result.status).toBe("ok");
        expect((result.state[ANSWER_META_FIELD] as { node: string }).node).toBe(specialist);
        expect(result.state.route).toBe("math");
        expect(result.state.math_subroute).toBe(specialist.slice("math_".length));
        const visited = result.trace.spans.filter((s) => s.kind === "node").map((s) => s.name);
        expect(visited).toEqual(["start", "tag", "math_keep_route", "math_router", "math_restore_route", specialist, "done"]);
      }
    });
  });

  it("keeps new ids unique, points gates and branches at the split, and caps the specialists", async () => {
    const graph = deepFreeze(
      parse(`
id: taken
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - { id: pick, kind: branch, config: { cases: [{ when: 'input == "x"', to: math }], default: math } }
  - { id: math, kind: model, config: { prompt: math, tier: T0 } }
  - { id: math_router, kind: transform, config: { set: { note: "{{ input }}" } } }
  - id: gate
    kind: gate
    maxVisits: 3
    config: { pass: done, retryTargets: [math], onFail: [{ retry: 1 }, { fallback: math }], judge: { enabled: false } }
  - { id: done, kind: exit }
edges:
  - { from: start, to: pick }
  - { from: math, to: math_router }
  - { from: math_router, to: gate }
`) as GraphInput,
    );
    const proposal = await createSplitStrategy({ maxSpecialists: 2, systemLine: false }).propose(await strategyContext(graph, "math", mathAnalysis()));
    await loadProposal(proposal);
    const ids = proposal.graph.nodes.map((n) => n.id);
    expect(ids).toEqual([
      "start",
      "pick",
      "math_keep_route",
      "math_router_2",
      "math_restore_route",
      "math_arithmetic",
      "math_algebra",
      "math_router",
      "gate",
      "done",
    ]);
    expect(proposal.graph.nodes.find((n) => n.id === "pick")!.config).toEqual({
      cases: [{ when: 'input == "x"', to: "math_keep_route" }],
      default: "math_keep_route",
    });
    expect(proposal.graph.nodes.find((n) => n.id === "gate")!.config).toMatchObject({
      retryTargets: ["math_arithmetic", "math_algebra"],
      onFail: [{ retry: 1 }, { fallback: "math_keep_route" }],
    });
    expect(proposal.graph.nodes.find((n) => n.id === "math_arithmetic")!.config).toEqual({ prompt: "math", tier: "T0" });
    expect(proposal.graph.edges).toContainEqual({ from: "math_algebra", to: "math_router" });
  });

  it("names routes from any cluster label: odd characters, digits first and repeated labels", async () => {
    const analysis = mathAnalysis([]);
    analysis.clusters = [cluster("Prozent %", ["prozent"], arithmetic.train), cluster("prozent", [], algebra.train), cluster("42", [], wordProblems.train)];
    const proposal = await splitStrategy.propose(await strategyContext(deepFreeze(await multiDomainGraph()), "math", analysis));
    const loaded = await loadProposal(proposal);
    expect((loaded.nodes.get("math_router")!.config as RouterConfig).routes.map((r) => [r.name, r.description])).toEqual([
      ["prozent", "Questions about prozent."],
      ["prozent_2", "Questions about prozent."],
      ["c_42", "Questions about 42."],
    ]);
    expect(proposal.graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(["math_prozent", "math_prozent_2", "math_c_42"]));
  });

  it("is not applicable without two clusters of enough queries, or on the entry", async () => {
    const graph = deepFreeze(await multiDomainGraph());
    const one = mathAnalysis([]);
    one.clusters = one.clusters.slice(0, 1);
    const context = await strategyContext(graph, "math", one);
    expect(splitStrategy.applicable(context)).toEqual({
      ok: false,
      reason: "a split needs at least 2 query clusters of 3 or more queries; the node has 1 (of 1 clusters)",
    });
    await expect(splitStrategy.propose(context)).rejects.toMatchObject({ code: "STRATEGY_FAILED", message: /at least 2 query clusters/ });

    const strict = createSplitStrategy({ minQueries: 11 });
    expect(strict.applicable(await strategyContext(graph, "math", mathAnalysis())).reason).toBe(
      "a split needs at least 2 query clusters of 11 or more queries; the node has 0 (of 4 clusters)",
    );
  });
});
