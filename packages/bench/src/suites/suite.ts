import type { ChatMessage, CodeRunners } from "@tinyllm/core";
import type { BenchItem } from "./bench-item";
import type { SuiteName } from "./suite-name";

/** How an answer scored. */
export interface ItemScore {
  pass: boolean | null;
  score: number | null;
  /** `final-number`, `tests`, `judge`, `route`, or why it could not be scored. */
  scoredBy: string;
  /** Tokens the judge used (MT-Bench). */
  judgeTokens?: { input: number; output: number };
}

/** A judge model for MT-Bench: one chat call, greedy. */
export type BenchJudge = (
  messages: ChatMessage[],
  options: { abortSignal?: AbortSignal },
) => Promise<{ text: string; inputTokens: number; outputTokens: number }>;

/** What scoring may use. */
export interface ScoreContext {
  /** Sandboxes for HumanEval and MBPP (`python`). */
  runners?: CodeRunners;
  /** MT-Bench's judge. */
  judge?: BenchJudge;
  /** The route the graph took, and the labels the router gave (routing). */
  route?: string;
  routeLabels?: string[];
  abortSignal?: AbortSignal;
}

/** Options of {@link Suite.load}. */
export interface LoadSuiteOptions {
  /** First N items only. */
  limit?: number;
}

/** A benchmark suite: its items, the plain prompt a lone model gets, and how an answer is scored. */
export interface Suite {
  name: SuiteName;
  /** One line for people. */
  description: string;
  /** Whether single-model baselines make sense (routing scores the graph's route: a lone model has none). */
  baselines: boolean;
  /** The data file under `--data`, for error messages. */
  dataFile: string;
  /** Reads the items from the data folder; throws `BENCH_DATA_MISSING` or `BENCH_DATA_INVALID` with a hint. */
  load(dataDir: string, options?: LoadSuiteOptions): Promise<BenchItem[]>;
  /** The system prompt a lone model gets (the graph gets the turns alone: its own prompts do the rest). */
  system: string;
  /** Scores the answers (one per turn). */
  score(item: BenchItem, answers: string[], context: ScoreContext): Promise<ItemScore>;
}
