import { describe, expect, it } from "vitest";
import type { Precedent, PrecedentIndex, PrecedentMatch } from "@tinyllm/core";
import { createHybridRouter, routerConfigProblems, routerScope, RouterConfigSchema, type RouterConfig } from "./hybrid-router";

/**
 * A small precedent index for the router's decision logic: similarity is the share of the
 * query's words a precedent shares (the real indexes, BM25 in @tinyllm/memory, are tested there
 * and end to end in the runtime).
 */
function wordOverlapIndex(): PrecedentIndex & { searches: string[] } {
  const held: Precedent[] = [];
  const words = (text: string) => new Set(text.toLowerCase().split(/\W+/).filter(Boolean));
  const searches: string[] = [];
  return {
    searches,
    async add(precedent) {
      held.push(precedent);
    },
    async nearest(query, k, { scope } = {}) {
      searches.push(scope ?? "");
      const q = words(query);
      return held
        .filter((p) => p.scope === scope)
        .map((p): PrecedentMatch => ({ ...p, similarity: [...words(p.query)].filter((w) => q.has(w)).length / Math.max(1, q.size) }))
        .filter((m) => m.similarity > 0)
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, k);
    },
  };
}

const config = (extra: Record<string, unknown> = {}): RouterConfig =>
  RouterConfigSchema.parse({
    routes: [
      { name: "code", examples: ["write a python function", "fix this javascript error", "sql query that joins two tables"] },
      { name: "math", examples: ["what is 15% of 80", "solve 2x + 3 = 9", "integrate x squared"] },
      { name: "general", examples: ["capital of france", "write a poem about rain", "who painted the mona lisa"] },
    ],
    default: "general",
    llm: "never",
    ...extra,
  });

describe("routing by precedent", () => {
  it("lets agreeing passing precedents decide a query the fast classifier is unsure of", async () => {
    const router = createHybridRouter(config({ threshold: 1 }));
    const index = wordOverlapIndex();
    for (const query of ["how many legs does a spider have", "how many legs does an ant have"])
      await index.add({ query, route: "general", pass: true, scope: router.scope });
    const result = await router.route("how many legs does a beetle have", { precedents: index });
    expect(result).toMatchObject({ route: "general", decidedBy: "precedent", labels: ["general"], precedent: { outcome: "decided", support: 2 } });
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(index.searches).toEqual([routerScope(router.config)]);
  });

  it("does not decide when passing precedents disagree, or are too few", async () => {
    const router = createHybridRouter(config({ threshold: 1 }));
    const index = wordOverlapIndex();
    await index.add({ query: "how many legs does a spider have", route: "general", pass: true, scope: router.scope });
    const few = await router.route("how many legs does a beetle have", { precedents: index });
    expect(few.decidedBy).toBe("fast");
    expect(few.precedent?.outcome).toBe("undecided");
    await index.add({ query: "how many legs does an ant have", route: "math", pass: true, scope: router.scope });
    expect((await router.route("how many legs does a beetle have", { precedents: index })).decidedBy).toBe("fast");
  });

  it("counts failed precedents against their route", async () => {
    const router = createHybridRouter(config({ threshold: 1 }));
    const index = wordOverlapIndex();
    for (const query of ["how many legs does a spider have", "how many legs does an ant have"])
      await index.add({ query, route: "general", pass: true, scope: router.scope });
    for (const query of ["how many legs does a crab have", "how many legs does a fly have", "how many legs does a mite have"])
      await index.add({ query, route: "general", pass: false, scope: router.scope });
    const result = await router.route("how many legs does a beetle have", { precedents: index });
    expect(result.decidedBy).toBe("fast");
  });

  it("leaves a confident fast decision alone unless near precedents failed on its route", async () => {
    const router = createHybridRouter(config({ threshold: 0 }));
    const index = wordOverlapIndex();
    await index.add({ query: "integrate x squared please", route: "general", pass: true, scope: router.scope });
    await index.add({ query: "integrate x squared now", route: "general", pass: true, scope: router.scope });
    const confident = await router.route("integrate x squared", { precedents: index });
    expect(confident.decidedBy).toBe("fast");
    expect(confident.precedent).toBeUndefined();

    const against = wordOverlapIndex();
    for (const query of ["integrate x squared please", "integrate x squared now"])
      await against.add({ query, route: confident.route, pass: false, scope: router.scope });
    const vetoed = await router.route("integrate x squared", { precedents: against });
    // With llm: never there is no one else to ask: the fast route stands, marked as vetoed.
    expect(vetoed).toMatchObject({ decidedBy: "fast", route: confident.route, precedent: { outcome: "vetoed" } });
    const auto = createHybridRouter(config({ threshold: 0, llm: "auto" }));
    const asked = await auto.route("integrate x squared", { precedents: against });
    expect(asked.llmError?.code).toBe("NO_PROVIDER");
    expect(asked.precedent?.outcome).toBe("vetoed");
  });

  it("ignores precedents of other scopes, routes that no longer exist, and an index that fails", async () => {
    const router = createHybridRouter(config({ threshold: 1 }));
    const index = wordOverlapIndex();
    for (const query of ["how many legs does a spider have", "how many legs does an ant have"]) {
      await index.add({ query, route: "general", pass: true, scope: "routes:other" });
      await index.add({ query, route: "biology", pass: true, scope: router.scope });
    }
    expect((await router.route("how many legs does a beetle have", { precedents: index })).decidedBy).toBe("fast");
    const broken: PrecedentIndex = {
      add: async () => undefined,
      nearest: async () => {
        throw new Error("disk gone");
      },
    };
    expect((await router.route("how many legs does a beetle have", { precedents: broken })).decidedBy).toBe("fast");
    const off = createHybridRouter(config({ threshold: 1, precedents: { use: false } }));
    const unused = wordOverlapIndex();
    await off.route("anything", { precedents: unused });
    expect(unused.searches).toEqual([]);
  });

  it("scopes precedents by route names, whatever their order", () => {
    const a = config();
    const b = { ...a, routes: [...a.routes].reverse() };
    expect(routerScope(a)).toBe(routerScope(b));
    expect(routerScope(a)).toBe("routes:code,general,math");
  });
});

describe("rules", () => {
  const ruled = (extra: Record<string, unknown> = {}) =>
    config({
      threshold: 1,
      llm: "auto",
      rules: [
        { when: ["code-fence", "stack-trace", "function-signature"], labels: ["code"] },
        { when: ["bare-expression"], labels: ["math"] },
      ],
      ...extra,
    });

  it("decides a query of a rule's shape on the fast path, with the rule's label, below the threshold", async () => {
    const router = createHybridRouter(ruled());
    const fenced = await router.route("what does this print?\n```\nprint(sorted(set('banana')))\n```");
    expect(fenced).toMatchObject({ route: "code", decidedBy: "fast", rule: ["code-fence"] });
    expect(fenced.llmError).toBeUndefined();
    const sum = await router.route("12 * (7 + 5)");
    expect(sum).toMatchObject({ route: "math", decidedBy: "fast", rule: ["bare-expression"] });
  });

  it("leaves other queries to the threshold: unsure without a model is reported as such", async () => {
    const router = createHybridRouter(ruled());
    const result = await router.route("tell me about the history of tea");
    expect(result.rule).toBeUndefined();
    expect(result.llmError?.code).toBe("NO_PROVIDER");
  });

  it("refuses a rule whose label no route has", () => {
    expect(routerConfigProblems(ruled({ rules: [{ when: ["code-fence"], labels: ["cooking"] }] }))).toEqual([
      expect.objectContaining({ path: ["rules", 0, "labels", 0], message: expect.stringContaining("'cooking'") }),
    ]);
    expect(RouterConfigSchema.safeParse({ ...ruled(), rules: [{ when: ["emoji"], labels: ["code"] }] }).success).toBe(false);
  });
});
