import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlamaProvider, type LlamaProvider, type ModelResolver } from "@tinyllm/models";
import { findRepoRoot, resolveTestModel } from "@tinyllm/models/testing";
import { execFileSync } from "node:child_process";
import { createCalculator, createCodeExecutor, createPythonExecutor, type CodeExecutor } from "@tinyllm/tools";
import { createJudge } from "../judge/judge";
import { loadRubrics } from "../rubric/load-rubrics";
import type { RubricSet } from "../rubric/rubric-set";
import { grade } from "./grade";

function hasPython(): boolean {
  try {
    execFileSync("python3", ["-c", "pass"]);
    return true;
  } catch {
    return false;
  }
}

const repo = findRepoRoot({ from: import.meta.dirname }) ?? process.cwd();
let rubrics: RubricSet;
const calculator = createCalculator();
let javascript: CodeExecutor;
let provider: LlamaProvider;
let resolveModel: ModelResolver;

beforeAll(async () => {
  rubrics = await loadRubrics({ dir: path.join(repo, "rubrics") });
  javascript = createCodeExecutor({ poolSize: 1 });
  const model = await resolveTestModel();
  provider = createLlamaProvider({ modelPath: model.path, threads: 1 });
  resolveModel = (ref) => ({ provider, model: model.path, ...(ref.tier ? { tier: ref.tier } : {}) });
});
afterAll(async () => {
  await javascript?.dispose();
  await provider?.close();
});

const question =
  "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers' market?";
const reference = "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer's market.\n#### 18";

describe("grade", () => {
  it("decides a right and a wrong GSM8K answer without a judge", async () => {
    const right = await grade(
      { query: question, answer: "She sells 16 - 3 - 4 = 9 eggs, and 9 * 2 = 18, so she makes $18 a day.", reference },
      { rubrics, calculator },
    );
    expect(right).toMatchObject({ pass: true, score: 1, decidedBy: "math.reference", needsJudge: false, rubric: "general" });
    expect(right.checks.map((c) => c.stage)).toEqual(["rules", "rules", "rules", "rules", "deterministic"]);
    const wrong = await grade(
      { query: question, answer: "She sells 16 - 3 - 4 = 9 eggs, and 9 * 2 = 18, so she makes $20 a day.", reference },
      { rubrics, calculator },
    );
    expect(wrong).toMatchObject({ pass: false, score: 0, decidedBy: "math.reference" });
    expect(wrong.feedback).toMatch(/final result is wrong/);
  });

  it("stops at the first decisive rule", async () => {
    const verdict = await grade({ query: question, answer: "I'm sorry, but I cannot help with that.", reference }, { rubrics, calculator });
    expect(verdict).toMatchObject({ pass: false, decidedBy: "rules.refusal" });
    expect(verdict.checks.some((c) => c.stage === "deterministic")).toBe(false);
  });

  it("says a judge is needed instead of guessing", async () => {
    const verdict = await grade({ query: "Who painted the Mona Lisa?", answer: "Leonardo da Vinci painted it in the early 1500s." }, { rubrics, calculator });
    expect(verdict).toMatchObject({ pass: null, score: null, decidedBy: null, needsJudge: true, rubric: "general" });
  });

  it("runs JavaScript answers against tests in the sandbox", async () => {
    const tests = {
      language: "javascript" as const,
      testCode:
        "const assert = require('node:assert');\nassert.strictEqual(isPrime(7), true);\nassert.strictEqual(isPrime(9), false);\nassert.strictEqual(isPrime(1), false);",
    };
    const good =
      "```js\nfunction isPrime(n) {\n  if (n < 2) return false;\n  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;\n  return true;\n}\n```";
    const offByOne = good.replace("i * i <= n", "i * i < n");
    expect(
      await grade({ query: "Write a JavaScript function isPrime(n).", answer: good, route: "code", tests }, { rubrics, calculator, runners: { javascript } }),
    ).toMatchObject({ pass: true, decidedBy: "code.tests" });
    const bad = await grade(
      { query: "Write a JavaScript function isPrime(n).", answer: offByOne, route: "code", tests },
      { rubrics, calculator, runners: { javascript } },
    );
    expect(bad).toMatchObject({ pass: false, decidedBy: "code.tests" });
    expect(bad.feedback).toMatch(/fails its tests/);
  });

  it.skipIf(!hasPython())("runs Python answers against HumanEval and MBPP style tests (skipped on machines without python3)", async () => {
    const python = createPythonExecutor();
    try {
      const answer = "Here you go:\n\n```python\ndef add(a, b):\n    return a + b\n```";
      const humaneval = {
        language: "python" as const,
        testCode: "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n",
        entryPoint: "add",
      };
      expect(await grade({ query: "Write add(a, b) in Python.", answer, tests: humaneval }, { rubrics, calculator, runners: { python } })).toMatchObject({
        pass: true,
        decidedBy: "code.tests",
      });
      const mbpp = { language: "python" as const, asserts: ["assert add(2, 2) == 4", "assert add(0, 0) == 0"] };
      expect(
        await grade(
          { query: "Write add(a, b) in Python.", answer: answer.replace("a + b", "a + b + 1"), tests: mbpp },
          { rubrics, calculator, runners: { python } },
        ),
      ).toMatchObject({ pass: false, decidedBy: "code.tests" });
      // The classic reward hack: an object equal to everything.
      const cheat = "```python\nclass Anything:\n    def __eq__(self, other):\n        return True\n\ndef add(a, b):\n    return Anything()\n```";
      expect(await grade({ query: "Write add(a, b) in Python.", answer: cheat, tests: humaneval }, { rubrics, calculator, runners: { python } })).toMatchObject(
        { pass: false, decidedBy: "code.tests" },
      );
    } finally {
      await python.dispose();
    }
  });

  it("reports code that does not parse, without tests, as evidence for the judge rather than a verdict", async () => {
    const verdict = await grade(
      { query: "Write a JavaScript function that adds two numbers", answer: "```js\nfunction add(a, b) { return a + ; }\n```", route: "code" },
      { rubrics, calculator, runners: { javascript } },
    );
    expect(verdict).toMatchObject({ pass: null, needsJudge: true });
    expect(verdict.checks.find((c) => c.name === "code.run")).toMatchObject({
      outcome: "fail",
      decisive: false,
      message: expect.stringMatching(/does not parse/),
    });
  });

  it("fails invalid JSON when JSON was asked for", async () => {
    expect(await grade({ query: "List three fruits as JSON", answer: "apple, pear, plum" }, { rubrics, calculator })).toMatchObject({
      pass: false,
      decidedBy: "json.valid",
    });
  });

  it("asks the judge when no cheap check decides, and weights its scores", async () => {
    const judge = createJudge({ resolveModel });
    const verdict = await grade({ query: "Tell me a story about a cat.", answer: "Once upon a time a cat sat in the sun." }, { rubrics, calculator, judge });
    expect(verdict.decidedBy).toBe("judge");
    expect(typeof verdict.pass).toBe("boolean");
    const general = rubrics.forRoute("general");
    // The tiny test model fills the schema, so the verdict has the rubric's shape; its wisdom is not tested.
    expect(verdict.judge?.model).toBeTruthy();
    {
      expect(Object.keys(verdict.scores ?? {}).sort()).toEqual(general.dimensions.map((d) => d.name).sort());
      for (const value of Object.values(verdict.scores ?? {})) expect(value).toBeGreaterThanOrEqual(0);
      expect(verdict.score).toBeGreaterThanOrEqual(0);
      expect(verdict.score).toBeLessThanOrEqual(1);
      expect(verdict.pass).toBe((verdict.score ?? 0) >= general.threshold);
    }
  });

  it("leaves the verdict undecided when the judge fails, instead of failing the answer", async () => {
    const judge = createJudge({
      resolveModel: () => {
        throw new Error("model 'qwen2.5:14b' not found");
      },
    });
    const verdict = await grade({ query: "Who painted the Mona Lisa?", answer: "Leonardo da Vinci." }, { rubrics, calculator, judge });
    expect(verdict).toMatchObject({ pass: null, needsJudge: true, decidedBy: null });
    expect(verdict.checks.at(-1)).toMatchObject({
      name: "judge",
      outcome: "skip",
      decisive: false,
      message: expect.stringMatching(/the judge failed: .*not found/),
    });
  });

  it("refuses an empty query and non-text answers", async () => {
    await expect(grade({ query: " ", answer: "x" })).rejects.toMatchObject({ code: "GRADING_INPUT_INVALID" });
    await expect(grade({ query: "q", answer: 42 as unknown as string })).rejects.toMatchObject({ code: "GRADING_INPUT_INVALID" });
  });
});

describe("createJudge", () => {
  it("answers in the rubric's schema with temperature 0 and a fixed seed", async () => {
    const judge = createJudge({ resolveModel });
    const rubric = rubrics.forRoute("math");
    const first = await judge({ query: "What is 2+2?", answer: "4", rubric });
    expect(Object.keys(first.rawScores).sort()).toEqual(rubric.dimensions.map((d) => d.name).sort());
    for (const value of Object.values(first.rawScores)) expect([1, 2, 3, 4, 5]).toContain(value);
    expect(first.escalated).toBe(false);
    const second = await judge({ query: "What is 2+2?", answer: "4", rubric });
    expect(second.rawScores).toEqual(first.rawScores);
  });

  it("goes one tier up when its tier fails", async () => {
    const judge = createJudge({
      tier: "T2",
      resolveModel: (ref) => {
        if (ref.tier === "T2") throw Object.assign(new Error("T2 is not configured"), { code: "CONFIG_INVALID" });
        return resolveModel(ref);
      },
    });
    const verdict = await judge({ query: "q", answer: "a", rubric: rubrics.forRoute("general") });
    expect(verdict).toMatchObject({ escalated: true, tier: "T3" });
  });

  it("fails with GRADING_JUDGE_FAILED and every reason when no tier answers", async () => {
    const judge = createJudge({
      resolveModel: () => {
        throw new Error("no provider");
      },
    });
    await expect(judge({ query: "q", answer: "a", rubric: rubrics.forRoute("general") })).rejects.toMatchObject({
      code: "GRADING_JUDGE_FAILED",
      message: expect.stringMatching(/T3: no provider/),
    });
  });
});
