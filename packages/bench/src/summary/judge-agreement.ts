import { readFile } from "node:fs/promises";
import { benchError } from "../bench-error";
import type { BenchSummary } from "../bench-summary";
import { MT_BENCH_JUDGE_PROMPTS, readRating } from "../suites/mt-bench-judge-prompts";
import type { BenchJudge } from "../suites/suite";

/** One single-answer judgment of MT-Bench's judgment files (`model_judgment/gpt-4_single.jsonl`). */
export interface StoredJudgment {
  questionId: number;
  /** The model whose answer was judged. */
  model: string;
  turn: number;
  /** The judge prompt's name: `single-v1`, `single-math-v1`, or their `-multi-turn` forms. */
  prompt: string;
  /** The judge's user message, with the question and the answer in it. */
  userPrompt: string;
  /** The judge's rating, 1–10. */
  score: number;
}

const systemPrompts: Record<string, string> = {
  "single-v1": MT_BENCH_JUDGE_PROMPTS.single.system,
  "single-math-v1": MT_BENCH_JUDGE_PROMPTS.singleMath.system,
  "single-v1-multi-turn": MT_BENCH_JUDGE_PROMPTS.multiTurn.system,
  "single-math-v1-multi-turn": MT_BENCH_JUDGE_PROMPTS.multiTurnMath.system,
};

/**
 * Reads an MT-Bench judgment file (JSON lines with `question_id`, `model`, `judge: [name,
 * prompt]`, `user_prompt`, `score`, `turn`). Pairwise judgments and failed ones (`score` -1) are
 * left out. Throws `BENCH_DATA_MISSING` or `BENCH_DATA_INVALID` with a hint.
 */
export async function readJudgments(file: string): Promise<StoredJudgment[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw benchError(
      "BENCH_DATA_MISSING",
      `no judgment file at ${file}`,
      "--judgments takes MT-Bench's model_judgment/gpt-4_single.jsonl (single-answer grading)",
      cause,
    );
  }
  const judgments: StoredJudgment[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === "") continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw benchError("BENCH_DATA_INVALID", `${file}:${index + 1} is not JSON`, "use MT-Bench's judgment file as published");
    }
    const judge = Array.isArray(row["judge"]) ? (row["judge"] as unknown[]) : [];
    const prompt = typeof judge[1] === "string" ? judge[1] : "";
    const score = row["score"];
    if (!(prompt in systemPrompts) || typeof score !== "number" || score < 1 || score > 10) continue;
    if (typeof row["question_id"] !== "number" || typeof row["user_prompt"] !== "string")
      throw benchError(
        "BENCH_DATA_INVALID",
        `${file}:${index + 1} lacks question_id or user_prompt`,
        "use MT-Bench's single-answer judgment file (gpt-4_single.jsonl)",
      );
    judgments.push({
      questionId: row["question_id"],
      model: typeof row["model"] === "string" ? row["model"] : "",
      turn: typeof row["turn"] === "number" ? row["turn"] : 1,
      prompt,
      userPrompt: row["user_prompt"],
      score,
    });
  }
  if (judgments.length === 0) throw benchError("BENCH_DATA_INVALID", `${file} has no single-answer judgment`, "use gpt-4_single.jsonl, not the pairwise file");
  return judgments;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Pearson's correlation; null when either side does not vary. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** Ranks from 1, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    for (let k = start; k <= end; k++) out[order[k]!.index] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson's on the ranks, ties averaged). */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  return pearson(ranks(xs), ranks(ys));
}

/** Options of {@link measureJudgeAgreement}. */
export interface MeasureJudgeAgreementOptions {
  /** The first N judgments only. */
  limit?: number;
  abortSignal?: AbortSignal;
  /** Called after each judgment is re-judged. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Re-judges stored judgments (GPT-4's, in the MT-Bench paper) with our judge, sending the same
 * system prompt and the same user prompt, and compares the ratings: Pearson and Spearman
 * correlation, mean absolute difference, and the share within one point. A judgment our judge
 * gives no rating for is left out of the pairs.
 */
export async function measureJudgeAgreement(
  judgments: readonly StoredJudgment[],
  judge: BenchJudge,
  { limit, abortSignal, onProgress }: MeasureJudgeAgreementOptions = {},
): Promise<NonNullable<BenchSummary["judgeAgreement"]>> {
  const chosen = limit === undefined ? judgments : judgments.slice(0, limit);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let index = 0; index < chosen.length; index++) {
    abortSignal?.throwIfAborted();
    const judgment = chosen[index]!;
    const reply = await judge(
      [
        { role: "system", content: systemPrompts[judgment.prompt]! },
        { role: "user", content: judgment.userPrompt },
      ],
      abortSignal ? { abortSignal } : {},
    ).catch((error: unknown) => {
      if (abortSignal?.aborted) throw error;
      return undefined;
    });
    const rating = reply ? readRating(reply.text) : undefined;
    if (rating !== undefined) {
      ours.push(rating);
      theirs.push(judgment.score);
    }
    onProgress?.(index + 1, chosen.length);
  }
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  const diffs = ours.map((score, i) => Math.abs(score - theirs[i]!));
  return {
    pairs: ours.length,
    pearson: round(pearson(ours, theirs)),
    spearman: round(spearman(ours, theirs)),
    meanAbsDiff: diffs.length === 0 ? 0 : Math.round(mean(diffs) * 1000) / 1000,
    withinOne: diffs.length === 0 ? 0 : Math.round((diffs.filter((d) => d <= 1).length / diffs.length) * 1000) / 1000,
  };
}
