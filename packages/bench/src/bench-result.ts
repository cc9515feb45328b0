import type { SuiteName } from "./suites/suite-name";

/**
 * One line of `results.jsonl`: one item answered by one configuration, and how it scored.
 * Lines are appended as items finish, so an interrupted benchmark keeps what it did and resumes
 * from there.
 */
export interface BenchResult {
  /** The configuration: `graph` (the graph with its router, tools and gate) or a baseline's name (`T1`, `qwen2.5:3b`, …). */
  config: string;
  suite: SuiteName;
  /** The data set's own id: `gsm8k/0` (line number), `HumanEval/12`, `mbpp/602`, `mt_bench/81`, `routing/17`. */
  item: string;
  /** MT-Bench's category (writing, roleplay, reasoning, math, coding, extraction, stem, humanities); the expected route for `routing`. */
  category?: string;
  /** The answer, as the configuration wrote it (the last turn's, for MT-Bench; every turn is in `turns`). */
  answer: string;
  /** MT-Bench: the answer to each turn. */
  turns?: string[];
  /**
   * Whether the answer is right: the final number matches (GSM8K), the tests pass (HumanEval,
   * MBPP), the judge's score is at least 8 of 10 (MT-Bench), the route is one of the expected
   * labels (routing). `null` when it could not be scored (the judge failed, the run failed).
   */
  pass: boolean | null;
  /** 0–1 for the deterministic suites; MT-Bench's 1–10 (the mean over turns); `null` when unscored. */
  score: number | null;
  /** How it was scored: `final-number`, `tests`, `judge`, `route`, or why it was not. */
  scoredBy: string;
  /** Wall time of the configuration's answer (every turn), ms. Scoring is not included. */
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** The cost of the answer: tokens weighted per tier (see `BenchCostWeights`). */
  cost: number;
  /** The route the graph's router took; undefined for baselines. */
  route?: string;
  /** The tier of the model that wrote the answer (the last one, after escalations). */
  tier?: string;
  /** The model that wrote the answer. */
  model?: string;
  /** Answers the gate sent back for another try (same tier). */
  retries: number;
  /** Answers the gate sent up to a bigger tier. */
  escalations: number;
  /** The graph's own gate verdict on its final answer, to set beside `pass`; undefined for baselines and ungated graphs. */
  gate?: { pass: boolean | null; decidedBy: string | null };
  /** Why the configuration gave no answer (a model error, a timeout). */
  error?: { code: string; message: string };
}
