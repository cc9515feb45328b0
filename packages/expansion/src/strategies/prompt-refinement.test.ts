import { createLlamaProvider, type LlamaProvider } from "@tinyllm/models";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createPromptRefinementStrategy, extractSystemPrompt, promptRefinementStrategy } from "./prompt-refinement";
import type { StrategyContext } from "./strategy";
import { answer, deepFreeze, loadProposal, multiDomainGraph, nodeAnalysis, strategyContext } from "./test-fixtures";

const failing = [
  answer("What is 37 * 41?", {
    answer: "37 * 41 = 1417",
    failedChecks: ["math.calculator"],
    feedback: "The final result is wrong (expected 1517). Recompute it.",
  }),
  answer("Solve 3x + 7 = 22.", { answer: "x is five", reference: "5", failedChecks: ["math.reference"], feedback: "State the final number plainly." }),
  answer("What is 12% of 250?", { answer: "About 30", failedChecks: ["math.calculator"] }),
];
const passing = Array.from({ length: 7 }, (_, i) => answer(`What is ${i} + 1?`, { answer: `Answer: ${i + 1}`, pass: true }));
const history = [
  { system: "You are a mathematician. Answer with a number.", passRate: 0.55, n: 20 },
  { system: "Think step by step.", passRate: 0.35, n: 20 },
];

async function context(extra: Partial<StrategyContext> = {}): Promise<StrategyContext> {
  const analysis = nodeAnalysis("math", { routes: ["math"], failing, passing });
  return strategyContext(deepFreeze(await multiDomainGraph()), "math", analysis, { promptHistory: history, ...extra });
}

describe("prompt refinement", () => {
  it("asks the model with OPRO's meta-prompt and writes the revised prompt to the node, and the graph validates", async () => {
    const requests: { system: string; prompt: string }[] = [];
    const revised = 'You are a careful mathematician. Compute every step exactly.\nEnd with a line "Answer: <number>".';
    const ctx = await context({
      complete: async ({ system, prompt }) => {
        requests.push({ system, prompt });
        return `Sure, here it is.\n<PROMPT>\n${revised}\n</PROMPT>`;
      },
    });
    expect(promptRefinementStrategy.applicable(ctx)).toEqual({ ok: true, reason: "3 failing answers and their feedback can guide a revised prompt" });

    const proposal = await promptRefinementStrategy.propose(ctx);
    expect(proposal.graph.nodes.find((n) => n.id === "math")!.config).toMatchObject({ prompt: "math", system: revised, tools: ["calculator"] });
    expect(proposal.summary).toBe(`math: system prompt revised (${revised.length} characters)`);
    expect(proposal.graph.version).toBe("1.0.0");
    const loaded = await loadProposal(proposal);
    expect((loaded.nodes.get("math")?.config as { system?: string }).system).toBe(revised);

    expect(requests).toHaveLength(1);
    const { prompt } = requests[0]!;
    // Past prompts and the current one, ascending by score (the current scored 7 of 10).
    const order = ["Think step by step.", "You are a mathematician. Answer with a number.", "You are a precise mathematician."].map((s) => prompt.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(prompt).toMatch(/score: 35% of 20 answers[\s\S]*score: 55% of 20 answers[\s\S]*score: 70% of 10 answers/);
    // Failing answers with the gate's feedback and the reference.
    expect(prompt).toContain("Question: What is 37 * 41?\nAnswer given: 37 * 41 = 1417");
    expect(prompt).toContain("Feedback: The final result is wrong (expected 1517). Recompute it.");
    expect(prompt).toContain("Expected: 5");
    expect(prompt).toMatch(/between <PROMPT> and <\/PROMPT>\.$/);
  });

  it("extracts the prompt between markers, after an unclosed marker, from a fenced block or from the whole reply", () => {
    expect(extractSystemPrompt("<PROMPT>Be exact.</PROMPT> Hope this helps!")).toBe("Be exact.");
    expect(extractSystemPrompt("I would write:\n<prompt>\nBe exact.\nShow steps.")).toBe("Be exact.\nShow steps.");
    expect(extractSystemPrompt("Here is a better one:\n```text\nBe exact.\n```\n")).toBe("Be exact.");
    expect(extractSystemPrompt("Here is the revised system prompt:\nBe exact and brief.")).toBe("Be exact and brief.");
    expect(extractSystemPrompt('"Be exact."')).toBe("Be exact.");
    expect(extractSystemPrompt("“Be exact.”")).toBe("Be exact.");
    expect(extractSystemPrompt("   ")).toBe("");
  });

  it("fails with STRATEGY_FAILED on an empty, absurdly long or unchanged reply, and when the model fails", async () => {
    const failsWith = async (complete: StrategyContext["complete"], message: RegExp, strategy = promptRefinementStrategy) =>
      expect(strategy.propose(await context({ complete }))).rejects.toMatchObject({ code: "STRATEGY_FAILED", message });
    await failsWith(async () => "<PROMPT></PROMPT>", /held no prompt/);
    await failsWith(
      async () => `<PROMPT>${"Be exact. ".repeat(60)}</PROMPT>`,
      /characters long, more than 300/,
      createPromptRefinementStrategy({ maxSystemChars: 300 }),
    );
    const current = (await context()).prompt.system!;
    await failsWith(async () => `<PROMPT>${current}</PROMPT>`, /unchanged/);
    await failsWith(async () => "<PROMPT>Think step by step.</PROMPT>", /a prompt tried before/);
    await failsWith(async () => {
      throw new Error("connection refused");
    }, /model asked for a revised prompt failed: connection refused/);
  });

  it("needs a model: without complete it is not applicable and propose throws STRATEGY_FAILED with a hint", async () => {
    const ctx = await context();
    expect(promptRefinementStrategy.applicable(ctx)).toEqual({ ok: false, reason: "no T2/T3 model is available to write a revised prompt" });
    await expect(promptRefinementStrategy.propose(ctx)).rejects.toMatchObject({ code: "STRATEGY_FAILED", hint: /T2 or T3 model/ });
  });

  it("is not applicable without failing answers", async () => {
    const ctx = await strategyContext(deepFreeze(await multiDomainGraph()), "math", nodeAnalysis("math", { passing }), {
      complete: async () => "<PROMPT>x</PROMPT>",
    });
    expect(promptRefinementStrategy.applicable(ctx)).toEqual({ ok: false, reason: "the node has no failing answers to learn from" });
  });

  it("passes the abort signal to the model and lets an abort through", async () => {
    const controller = new AbortController();
    const ctx = await context({
      abortSignal: controller.signal,
      complete: async ({ abortSignal }) => {
        controller.abort(new Error("stopped"));
        throw abortSignal?.reason;
      },
    });
    await expect(promptRefinementStrategy.propose(ctx)).rejects.toThrow("stopped");
  });

  describe("with the embedded story model", () => {
    let provider: LlamaProvider | undefined;
    afterAll(async () => provider?.close());

    it("handles whatever the model writes: a valid graph or a clear STRATEGY_FAILED", { timeout: 120_000 }, async () => {
      const model = await resolveTestModel();
      provider = createLlamaProvider({ modelPath: model.path, threads: 1 });
      const ctx = await context({
        complete: async ({ system, prompt, abortSignal }) => {
          const result = await provider!.chat({
            model: model.path,
            system,
            messages: [{ role: "user", content: prompt }],
            maxTokens: 48,
            temperature: 0,
            seed: 1,
            ...(abortSignal ? { abortSignal } : {}),
          });
          return result.text;
        },
      });
      const outcome = await promptRefinementStrategy.propose(ctx).then(
        (proposal) => ({ proposal }),
        (error: unknown) => ({ error }),
      );
      if ("proposal" in outcome) {
        const system = (outcome.proposal.graph.nodes.find((n) => n.id === "math")!.config as { system: string }).system;
        expect(system.length).toBeGreaterThan(0);
        expect(system).not.toMatch(/<\/?PROMPT>/i);
        await loadProposal(outcome.proposal);
      } else {
        expect(outcome.error).toMatchObject({ code: "STRATEGY_FAILED", hint: expect.any(String) });
      }
    });
  });
});
