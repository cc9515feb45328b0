import type { CodeRunners } from "@tinyllm/core";
import { benchError } from "../bench-error";
import type { BenchResult } from "../bench-result";
import type { BenchItem } from "../suites/bench-item";
import type { BenchJudge, ItemScore, Suite } from "../suites/suite";
import type { BenchConfiguration, ConfigAnswer } from "./bench-configuration";
import type { BenchEvent } from "./bench-event";
import { costOf, DEFAULT_COST_WEIGHTS } from "./cost-weights";
import { appendResult, readResultsFile, resultKey } from "./results-file";

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  suite: Suite;
  items: readonly BenchItem[];
  configurations: readonly BenchConfiguration[];
  /** Sandboxes for the code suites. */
  runners?: CodeRunners;
  /** The judge for MT-Bench. */
  judge?: BenchJudge;
  /**
   * The `results.jsonl` to append to. Answers it already holds (same configuration and item) are
   * not made again: a stopped benchmark resumes where it was.
   */
  resultsFile?: string;
  /** Answers in progress at once. Default 1. */
  concurrency?: number;
  /** Cost per 1,000 tokens by tier. Default {@link DEFAULT_COST_WEIGHTS}. */
  costWeights?: Readonly<Record<string, number>>;
  /** Stops taking new items; answers in flight are cancelled and not recorded (a resume makes them again). */
  abortSignal?: AbortSignal;
  onEvent?: (event: BenchEvent) => void;
}

/** What {@link runBench} returns. */
export interface RunBenchResult {
  /** Every result of the requested items and configurations: resumed ones first, then new ones, in item order. */
  results: BenchResult[];
  /** Results taken from the results file. */
  resumed: number;
  /** True when the abort signal stopped it before the end. */
  interrupted: boolean;
}

/**
 * Runs every configuration on every item, scores each answer with the suite, and appends each
 * result to the results file as soon as it is scored. Items are taken in order, every
 * configuration of an item before the next item, so a run cut short compares configurations on
 * the same items.
 */
export async function runBench(options: RunBenchOptions): Promise<RunBenchResult> {
  const { suite, items, configurations, runners, judge, resultsFile, abortSignal, onEvent } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const weights = options.costWeights ?? DEFAULT_COST_WEIGHTS;
  if (configurations.length === 0) throw benchError("BENCH_INPUT_INVALID", "no configuration to run", "give the graph, a --baseline, or both");
  const names = new Set<string>();
  for (const configuration of configurations) {
    if (names.has(configuration.name))
      throw benchError("BENCH_INPUT_INVALID", `two configurations are named '${configuration.name}'`, "name each baseline once");
    names.add(configuration.name);
  }
  const wanted = new Set(items.flatMap((item) => configurations.map((c) => resultKey(c.name, item.id))));
  const previous = resultsFile ? readResultsFile(resultsFile, suite.name) : [];
  const done = new Map<string, BenchResult>();
  for (const result of previous) {
    const key = resultKey(result.config, result.item);
    if (wanted.has(key)) done.set(key, result);
  }
  const resumed = done.size;
  const work: { item: BenchItem; configuration: BenchConfiguration }[] = [];
  for (const item of items)
    for (const configuration of configurations) if (!done.has(resultKey(configuration.name, item.id))) work.push({ item, configuration });
  const total = wanted.size;
  let passed = [...done.values()].filter((r) => r.pass === true).length;
  let scored = [...done.values()].filter((r) => r.pass !== null).length;
  onEvent?.({ type: "start", total, resumed, configs: configurations.map((c) => c.name) });

  let next = 0;
  const aborted = () => abortSignal?.aborted === true;
  const worker = async () => {
    while (next < work.length && !aborted()) {
      const { item, configuration } = work[next++]!;
      const result = await answerAndScore(item, configuration);
      if (result === undefined || aborted()) return;
      done.set(resultKey(result.config, result.item), result);
      if (resultsFile) appendResult(resultsFile, result);
      if (result.pass === true) passed++;
      if (result.pass !== null) scored++;
      onEvent?.({ type: "result", result, done: done.size, total, passed, scored });
    }
  };

  const answerAndScore = async (item: BenchItem, configuration: BenchConfiguration): Promise<BenchResult | undefined> => {
    const answer: ConfigAnswer = await configuration.answer(item, { system: suite.system, ...(abortSignal ? { abortSignal } : {}) });
    if (aborted()) return undefined;
    let score: ItemScore;
    if (answer.error && answer.answers.length < item.turns.length) {
      score = { pass: false, score: null, scoredBy: `no answer: ${answer.error.code}` };
    } else {
      try {
        score = await suite.score(item, answer.answers, {
          ...(runners ? { runners } : {}),
          ...(judge ? { judge } : {}),
          ...(answer.route !== undefined ? { route: answer.route } : {}),
          ...(answer.routeLabels ? { routeLabels: answer.routeLabels } : {}),
          ...(abortSignal ? { abortSignal } : {}),
        });
      } catch (error) {
        if (aborted()) return undefined;
        if (error instanceof Error && "code" in error && error.code === "BENCH_INPUT_INVALID") throw error;
        score = { pass: null, score: null, scoredBy: `not scored: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300) };
      }
    }
    if (aborted()) return undefined;
    const tokens = answer.tokensByTier ?? { [answer.tier ?? configuration.tier ?? "T1"]: { input: answer.tokensIn, output: answer.tokensOut } };
    const result: BenchResult = {
      config: configuration.name,
      suite: suite.name,
      item: item.id,
      ...(item.category !== undefined ? { category: item.category } : {}),
      answer: answer.answers.at(-1) ?? "",
      ...(item.turns.length > 1 ? { turns: answer.answers } : {}),
      pass: score.pass,
      score: score.score,
      scoredBy: score.scoredBy,
      latencyMs: Math.round(answer.latencyMs * 100) / 100,
      tokensIn: answer.tokensIn,
      tokensOut: answer.tokensOut,
      cost: Math.round(costOf(tokens, weights, configuration.tier) * 1e6) / 1e6,
      ...(answer.route !== undefined ? { route: answer.route } : {}),
      ...(answer.tier !== undefined ? { tier: answer.tier } : {}),
      ...(answer.model !== undefined ? { model: answer.model } : {}),
      retries: answer.retries,
      escalations: answer.escalations,
      ...(answer.gate ? { gate: answer.gate } : {}),
      ...(answer.error ? { error: answer.error } : {}),
    };
    return result;
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, work.length)) }, worker));
  const interrupted = aborted() && done.size < total;
  onEvent?.({ type: "end", done: done.size, total, interrupted });
  const results: BenchResult[] = [];
  for (const item of items)
    for (const configuration of configurations) {
      const result = done.get(resultKey(configuration.name, item.id));
      if (result) results.push(result);
    }
  return { results, resumed, interrupted };
}
