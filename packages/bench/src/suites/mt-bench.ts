import type { ChatMessage } from "@tinyllm/core";
import { benchError } from "../bench-error";
import type { BenchItem } from "./bench-item";
import { fillTemplate, MT_BENCH_JUDGE_PROMPTS, MT_BENCH_REFERENCE_CATEGORIES, readRating } from "./mt-bench-judge-prompts";
import { badRow, firstItems, parseJsonLines, readDataFile } from "./read-data-file";
import type { ItemScore, Suite } from "./suite";
import { readFile } from "node:fs/promises";
import path from "node:path";

const dataFile = "mt_bench/question.jsonl";
const referenceFile = "mt_bench/gpt-4.jsonl";

/** A judge score of at least this (of 10) counts as a pass; the mean score is MT-Bench's own figure. */
export const MT_BENCH_PASS_SCORE = 8;

/** GPT-4's reference answers by question id (`mt_bench/gpt-4.jsonl`), when the file is there. */
async function readReferences(dataDir: string): Promise<Map<number, string[]>> {
  const file = path.resolve(dataDir, referenceFile);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return new Map();
  }
  const references = new Map<number, string[]>();
  for (const row of parseJsonLines(text, file)) {
    const { question_id, choices } = (row ?? {}) as { question_id?: unknown; choices?: { turns?: unknown }[] };
    const turns = choices?.[0]?.turns;
    if (typeof question_id === "number" && Array.isArray(turns) && turns.every((t) => typeof t === "string")) references.set(question_id, turns as string[]);
  }
  return references;
}

/** The judge's messages for one turn of an answer, as MT-Bench builds them. */
export function mtBenchJudgeMessages(item: BenchItem, answers: string[], turn: number): { system: string; messages: ChatMessage[] } {
  const withReference = item.category !== undefined && MT_BENCH_REFERENCE_CATEGORIES.has(item.category) && (item.references?.length ?? 0) > turn;
  const refs = item.references ?? [];
  if (turn === 0) {
    const prompt = withReference ? MT_BENCH_JUDGE_PROMPTS.singleMath : MT_BENCH_JUDGE_PROMPTS.single;
    const user = fillTemplate(prompt.template, { question: item.turns[0] ?? "", answer: answers[0] ?? "", ref_answer_1: refs[0] ?? "" });
    return { system: prompt.system, messages: [{ role: "user", content: user }] };
  }
  const prompt = withReference ? MT_BENCH_JUDGE_PROMPTS.multiTurnMath : MT_BENCH_JUDGE_PROMPTS.multiTurn;
  const user = fillTemplate(prompt.template, {
    question_1: item.turns[0] ?? "",
    question_2: item.turns[1] ?? "",
    answer_1: answers[0] ?? "",
    answer_2: answers[1] ?? "",
    ref_answer_1: refs[0] ?? "",
    ref_answer_2: refs[1] ?? "",
  });
  return { system: prompt.system, messages: [{ role: "user", content: user }] };
}

/**
 * MT-Bench: 80 two-turn questions in 8 categories, graded 1–10 per turn by the judge tier with
 * MT-Bench's own prompts (math, reasoning and coding against GPT-4's reference answers, as in
 * the paper). The item's score is the mean of its turns; it passes at 8 or more.
 */
export const mtBenchSuite: Suite = {
  name: "mt_bench",
  description: "MT-Bench: two-turn questions in 8 categories, graded 1–10 by the judge model",
  baselines: true,
  dataFile,
  system: "You are a helpful assistant.",
  async load(dataDir, { limit } = {}) {
    const { file, text } = await readDataFile(dataDir, dataFile, "mt_bench");
    const references = await readReferences(dataDir);
    return firstItems(parseJsonLines(text, file), limit).map((row, index): BenchItem => {
      const { question_id, category, turns, reference } = (row ?? {}) as Record<string, unknown>;
      if (typeof question_id !== "number" || !Array.isArray(turns) || turns.length === 0 || !turns.every((t) => typeof t === "string"))
        throw badRow(file, `line ${index + 1}`, "lacks question_id or turns");
      const refs = references.get(question_id) ?? (Array.isArray(reference) ? reference.filter((r): r is string => typeof r === "string") : undefined);
      return {
        id: `mt_bench/${question_id}`,
        suite: "mt_bench",
        turns: turns as string[],
        ...(typeof category === "string" ? { category } : {}),
        ...(refs && refs.length > 0 ? { references: refs } : {}),
      };
    });
  },
  async score(item, answers, { judge, abortSignal }): Promise<ItemScore> {
    if (!judge) throw benchError("BENCH_INPUT_INVALID", "mt_bench needs a judge model", "configure the judge tier (T3) or pass --judge MODEL");
    const ratings: number[] = [];
    const tokens = { input: 0, output: 0 };
    for (let turn = 0; turn < item.turns.length; turn++) {
      const { system, messages } = mtBenchJudgeMessages(item, answers, turn);
      const judged = await judge([{ role: "system", content: system }, ...messages], abortSignal ? { abortSignal } : {});
      tokens.input += judged.inputTokens;
      tokens.output += judged.outputTokens;
      const rating = readRating(judged.text);
      if (rating !== undefined) ratings.push(rating);
    }
    if (ratings.length === 0) return { pass: null, score: null, scoredBy: "judge: no [[rating]] in the judgment", judgeTokens: tokens };
    const score = ratings.reduce((a, b) => a + b, 0) / ratings.length;
    return {
      pass: score >= MT_BENCH_PASS_SCORE,
      score,
      scoredBy: ratings.length === item.turns.length ? "judge" : `judge: ${ratings.length} of ${item.turns.length} turns rated`,
      judgeTokens: tokens,
    };
  },
};
