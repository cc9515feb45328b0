import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { createPythonExecutor } from "@tinyllm/tools";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSuite, SUITES } from "./suites";
import { mtBenchJudgeMessages } from "./mt-bench";
import { readRating } from "./mt-bench-judge-prompts";
import type { BenchJudge } from "./suite";

const sample = path.resolve(import.meta.dirname, "../../test-data");
const python = createPythonExecutor({ concurrency: 1, timeoutMs: 10_000, wallTimeoutMs: 20_000 });
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "tinyllm-bench-suites-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await python.dispose();
});

async function codeOf(error: unknown): Promise<string | undefined> {
  return TinyLLMError.isInstance(error) ? error.code : undefined;
}

describe("loading suites", () => {
  it("reads every suite's items with the data set's own ids, and honours --limit", async () => {
    const ids: Record<string, string[]> = {};
    for (const suite of Object.values(SUITES)) ids[suite.name] = (await suite.load(sample)).map((item) => item.id);
    expect(ids["gsm8k"]).toEqual(["gsm8k/0", "gsm8k/1", "gsm8k/2", "gsm8k/3"]);
    expect(ids["humaneval"]).toEqual(["Sample/0", "Sample/1", "Sample/2"]);
    expect(ids["mbpp"]).toEqual(["mbpp/901", "mbpp/902", "mbpp/903"]);
    expect(ids["mt_bench"]).toEqual(["mt_bench/1", "mt_bench/2", "mt_bench/3", "mt_bench/4"]);
    expect(ids["routing"]).toEqual(["routing/0", "routing/1", "routing/2", "routing/3"]);
    expect((await SUITES.gsm8k.load(sample, { limit: 2 })).length).toBe(2);
    const mt = await SUITES.mt_bench.load(sample);
    expect(mt[1]!.references).toEqual(["15% of 240 is 0.15 * 240 = 36.", "240 increased by 15% is 240 + 36 = 276."]);
    expect(mt[1]!.turns).toHaveLength(2);
    expect((await SUITES.routing.load(sample))[3]!.labels).toEqual(["code", "math"]);
    const mbpp = await SUITES.mbpp.load(sample);
    expect(mbpp[2]!.tests?.setup).toBe("import math");
    expect(mbpp[0]!.turns[0]).toContain("assert square(3) == 9");
  });

  it("says where the data should be when it is missing, and which line is bad", async () => {
    const missing = await SUITES.gsm8k.load(path.join(scratch, "nowhere")).catch((e: unknown) => e);
    expect(await codeOf(missing)).toBe("BENCH_DATA_MISSING");
    expect((missing as TinyLLMError).hint).toMatch(/--data/);
    await mkdir(path.join(scratch, "gsm8k"), { recursive: true });
    await writeFile(path.join(scratch, "gsm8k/test.jsonl"), '{"question": "q", "answer": "#### 1"}\n{not json\n');
    const bad = await SUITES.gsm8k.load(scratch).catch((e: unknown) => e);
    expect(await codeOf(bad)).toBe("BENCH_DATA_INVALID");
    expect((bad as Error).message).toMatch(/test\.jsonl:2/);
    await writeFile(path.join(scratch, "gsm8k/test.jsonl"), '{"question": "q"}\n');
    expect(await codeOf(await SUITES.gsm8k.load(scratch).catch((e: unknown) => e))).toBe("BENCH_DATA_INVALID");
    const unknown = (() => {
      try {
        return getSuite("hellaswag");
      } catch (error) {
        return error as TinyLLMError;
      }
    })() as TinyLLMError;
    expect(unknown.code).toBe("BENCH_INPUT_INVALID");
    expect(unknown.hint).toMatch(/gsm8k, humaneval, mbpp, mt_bench, routing/);
    expect(getSuite("mt-bench").name).toBe("mt_bench");
  });
});

describe("scoring", () => {
  it("GSM8K: the final number against the reference's", async () => {
    const [item] = await SUITES.gsm8k.load(sample, { limit: 1 });
    expect((await SUITES.gsm8k.score(item!, ["48 - 30 = 18.\n#### 18"], {})).pass).toBe(true);
    expect((await SUITES.gsm8k.score(item!, ["So there are 18 muffins left."], {})).pass).toBe(true);
    expect((await SUITES.gsm8k.score(item!, ["#### 19"], {})).pass).toBe(false);
    expect(await SUITES.gsm8k.score(item!, ["Once upon a time there was a cat."], {})).toEqual({ pass: false, score: 0, scoredBy: "final-number" });
  });

  it("HumanEval: the answer's code against check(candidate) in the sandbox, completing a bare body with the signature", async () => {
    const [item] = await SUITES.humaneval.load(sample, { limit: 1 });
    const context = { runners: { python } };
    const full = "Here it is:\n```python\ndef add_all(numbers):\n    return sum(numbers)\n```";
    expect(await SUITES.humaneval.score(item!, [full], context)).toEqual({ pass: true, score: 1, scoredBy: "tests" });
    const body = "```python\n    return sum(numbers)\n```";
    expect((await SUITES.humaneval.score(item!, [body], context)).pass).toBe(true);
    const wrong = "```python\ndef add_all(numbers):\n    return sum(numbers) + 1\n```";
    expect((await SUITES.humaneval.score(item!, [wrong], context)).pass).toBe(false);
    expect((await SUITES.humaneval.score(item!, ["Once upon a time."], context)).pass).toBe(false);
    expect((await SUITES.humaneval.score(item!, [full], {})).pass).toBeNull();
  }, 60_000);

  it("MBPP: every assert of the task, with its imports", async () => {
    const items = await SUITES.mbpp.load(sample);
    const context = { runners: { python } };
    expect((await SUITES.mbpp.score(items[0]!, ["```python\ndef square(n):\n    return n ** 2\n```"], context)).pass).toBe(true);
    expect((await SUITES.mbpp.score(items[0]!, ["```python\ndef square(n):\n    return n * 2\n```"], context)).pass).toBe(false);
    expect((await SUITES.mbpp.score(items[2]!, ["```python\nimport math\ndef root2(n):\n    return round(math.sqrt(n), 2)\n```"], context)).pass).toBe(true);
  }, 60_000);

  it("MT-Bench: each turn rated 1-10 by the judge with MT-Bench's prompts, references for math and coding", async () => {
    const items = await SUITES.mt_bench.load(sample);
    const asked: string[] = [];
    const judge: BenchJudge = async (messages) => {
      asked.push(messages.map((m) => m.content).join("\n"));
      return { text: asked.length % 2 === 1 ? "Good. Rating: [[9]]" : "Weak. Rating: [[6]]", inputTokens: 10, outputTokens: 5 };
    };
    const scored = await SUITES.mt_bench.score(items[1]!, ["36", "276"], { judge });
    expect(scored).toMatchObject({ pass: false, score: 7.5, scoredBy: "judge", judgeTokens: { input: 20, output: 10 } });
    expect(asked[0]).toContain("[The Start of Reference Answer]\n15% of 240 is 0.15 * 240 = 36.");
    expect(asked[1]).toContain("### Reference answer:\n240 increased by 15% is 240 + 36 = 276.");
    expect(asked[1]).toContain("focus on the assistant's answer to the second question");
    const writing = mtBenchJudgeMessages(items[0]!, ["a", "b"], 0);
    expect(writing.messages[0]!.content).not.toContain("Reference Answer");
    const silent: BenchJudge = async () => ({ text: "Once upon a time", inputTokens: 1, outputTokens: 1 });
    expect(await SUITES.mt_bench.score(items[0]!, ["a", "b"], { judge: silent })).toMatchObject({ pass: null, score: null });
    await expect(SUITES.mt_bench.score(items[0]!, ["a", "b"], {})).rejects.toThrow(/judge/);
    expect(readRating("Rating: [[7.5]]")).toBe(7.5);
    expect(readRating("Rating: [8]")).toBe(8);
    expect(readRating("Rating: [[11]]")).toBeUndefined();
  });

  it("routing: the router's labels must be exactly the expected ones", async () => {
    const items = await SUITES.routing.load(sample);
    expect((await SUITES.routing.score(items[3]!, [""], { route: "code_math", routeLabels: ["math", "code"] })).pass).toBe(true);
    expect((await SUITES.routing.score(items[3]!, [""], { route: "code", routeLabels: ["code"] })).pass).toBe(false);
    expect((await SUITES.routing.score(items[0]!, [""], { route: "code" })).pass).toBe(true);
    expect((await SUITES.routing.score(items[0]!, [""], {})).pass).toBeNull();
  });
});
