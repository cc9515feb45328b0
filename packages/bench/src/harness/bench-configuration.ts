import type { BenchItem } from "../suites/bench-item";

/** Tokens read and written, by the tier of the model that used them. */
export type TokensByTier = Record<string, { input: number; output: number }>;

/** What a configuration answered for one item. */
export interface ConfigAnswer {
  /** One answer per turn (fewer when a turn failed). */
  answers: string[];
  /** Wall time of every turn, ms. */
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** Tokens by tier, for the cost; without it the configuration's own tier is charged. */
  tokensByTier?: TokensByTier;
  /** The route the graph took, and the labels its router gave. */
  route?: string;
  routeLabels?: string[];
  /** Tier and model of the last answer. */
  tier?: string;
  model?: string;
  retries: number;
  escalations: number;
  /** The graph gate's verdict on its final answer. */
  gate?: { pass: boolean | null; decidedBy: string | null };
  /** Why no (complete) answer came. */
  error?: { code: string; message: string };
}

/** Options of {@link BenchConfiguration.answer}. */
export interface AnswerOptions {
  /** The suite's plain system prompt (baselines use it; a graph has its own prompts). */
  system: string;
  abortSignal?: AbortSignal;
}

/** One way of answering the items: the graph, or a single model alone. */
export interface BenchConfiguration {
  /** `graph`, or the baseline's name (`T1`, a model name). */
  name: string;
  kind: "graph" | "baseline";
  /** The graph's id, or the baseline's model. */
  model: string;
  /** The baseline's tier, when it stands for one. */
  tier?: string;
  /** Answers every turn of the item. Never throws for a model failure: it says so in `error`. */
  answer(item: BenchItem, options: AnswerOptions): Promise<ConfigAnswer>;
}
