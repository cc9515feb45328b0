import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchJudge } from "../suites/suite";
import { measureJudgeAgreement, pearson, readJudgments, spearman } from "./judge-agreement";

let dir: string;
let file: string;

/** Lines in the shape of MT-Bench's model_judgment/gpt-4_single.jsonl. */
const lines = [
  {
    question_id: 81,
    model: "m1",
    judge: ["gpt-4", "single-v1"],
    user_prompt: "[Question]\nq81\n[The Start of Assistant's Answer]\na\n",
    judgment: "Rating: [[9]]",
    score: 9,
    turn: 1,
  },
  { question_id: 82, model: "m1", judge: ["gpt-4", "single-v1"], user_prompt: "[Question]\nq82 …", judgment: "Rating: [[3]]", score: 3, turn: 1 },
  { question_id: 111, model: "m1", judge: ["gpt-4", "single-math-v1"], user_prompt: "[Question]\nq111 …", judgment: "Rating: [[6]]", score: 6, turn: 1 },
  { question_id: 111, model: "m1", judge: ["gpt-4", "single-math-v1-multi-turn"], user_prompt: "<|The Start…|> q111 t2", judgment: "[[5]]", score: 5, turn: 2 },
  { question_id: 83, model: "m1", judge: ["gpt-4", "single-v1"], user_prompt: "q83", judgment: "no rating", score: -1, turn: 1 },
  { question_id: 84, model: "m1", model_2: "m2", judge: ["gpt-4", "pair-v2"], user_prompt: "pairwise", judgment: "[[A]]", turn: 1 },
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-judgments-"));
  file = path.join(dir, "gpt-4_single.jsonl");
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("judge agreement", () => {
  it("reads single-answer judgments, leaving out failed and pairwise ones", async () => {
    const judgments = await readJudgments(file);
    expect(judgments.map((j) => `${j.questionId}:${j.turn}:${j.prompt}:${j.score}`)).toEqual([
      "81:1:single-v1:9",
      "82:1:single-v1:3",
      "111:1:single-math-v1:6",
      "111:2:single-math-v1-multi-turn:5",
    ]);
    await expect(readJudgments(path.join(dir, "missing.jsonl"))).rejects.toMatchObject({ code: "BENCH_DATA_MISSING" });
    await writeFile(path.join(dir, "pairs.jsonl"), JSON.stringify(lines[5]));
    await expect(readJudgments(path.join(dir, "pairs.jsonl"))).rejects.toMatchObject({ code: "BENCH_DATA_INVALID" });
  });

  it("re-judges each with the same prompts and compares the ratings", async () => {
    const judgments = await readJudgments(file);
    const seen: string[] = [];
    // A judge one point more generous than the stored one, except on q82, which it cannot rate.
    const judge: BenchJudge = async (messages) => {
      seen.push(messages[0]!.content.slice(0, 40));
      const user = messages[1]!.content;
      const stored = judgments.find((j) => j.userPrompt === user)!;
      return { text: stored.questionId === 82 ? "I cannot say." : `Rating: [[${Math.min(10, stored.score + 1)}]]`, inputTokens: 1, outputTokens: 1 };
    };
    const agreement = await measureJudgeAgreement(judgments, judge);
    expect(agreement).toEqual({ pairs: 3, pearson: 1, spearman: 1, meanAbsDiff: 1, withinOne: 1 });
    expect(seen[0]).toBe("You are a helpful assistant.");
    expect(seen[3]).toMatch(/^Please act as an impartial judge/);
    expect((await measureJudgeAgreement(judgments, judge, { limit: 1 })).pairs).toBe(1);
  });

  it("computes Pearson and Spearman with ties", () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1, 2, 2, 3], [10, 20, 20, 30])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8);
  });
});
