import path from "node:path";
import {
  benchEnvironment,
  benchError,
  createBaselineConfiguration,
  getSuite,
  measureJudgeAgreement,
  readJudgments,
  runBenchmark,
  type BenchConfiguration,
  type BenchEvent,
  type BenchJudge,
  type RunBenchmarkResult,
} from "@tinyllm/bench";
import { defaultGraphFile } from "../assets/bundled-assets-dir";
import type { Runtime } from "../runtime";
import { createGraphConfiguration } from "./graph-configuration";

/** Options of {@link benchmarkGraph}. */
export interface BenchmarkGraphOptions {
  /** `gsm8k`, `humaneval`, `mbpp`, `mt_bench` or `routing`. */
  suite: string;
  /** The data sets' folder (e.g. `../shared/bench/datasets`). */
  data: string;
  /** First N items only. */
  limit?: number;
  /** The graph file. Default: the configured graph, else the bundled `multi_domain.yaml`. */
  graphFile?: string;
  /** Run the graph. Default true. */
  graph?: boolean;
  /** Single-model baselines: tiers (`T1`) or model names, one configuration each. */
  baselines?: readonly string[];
  /** The judge model for MT-Bench. Default: the T3 tier's model. */
  judgeModel?: string;
  /**
   * MT-Bench: a judgment file (MT-Bench's `gpt-4_single.jsonl`) to measure the judge against:
   * each judgment is re-judged with the same prompts, and the agreement goes into the summary.
   */
  judgmentsFile?: string;
  /** The first N judgments only. */
  judgmentsLimit?: number;
  /** Where results, summary and report go. */
  outDir: string;
  /** Answers in progress at once. Default 1. */
  concurrency?: number;
  /** Cost per 1,000 tokens by tier, over the defaults. */
  costWeights?: Readonly<Record<string, number>>;
  /** The seed of every model call. Default 42. */
  seed?: number;
  /** Where relative paths start. Default `process.cwd()`. */
  cwd?: string;
  abortSignal?: AbortSignal;
  onEvent?: (event: BenchEvent) => void;
}

const tierPattern = /^T\d$/;

/**
 * Benchmarks a graph against single models on one suite, on the runtime's backend: the graph runs
 * as it is deployed (router, tools, gate); each baseline is one model alone with the suite's plain
 * prompt. Code answers are scored in the runtime's sandboxes, MT-Bench by the judge tier. With a
 * runtime made with a `cassette`, every model call is recorded or replayed.
 */
export async function benchmarkGraph(runtime: Runtime, options: BenchmarkGraphOptions): Promise<RunBenchmarkResult> {
  const cwd = options.cwd ?? process.cwd();
  const suite = getSuite(options.suite);
  const seed = options.seed ?? 42;
  const baselineSpecs = [...new Set(options.baselines ?? [])];
  const runGraph = options.graph ?? true;
  if (!suite.baselines && baselineSpecs.length > 0)
    throw benchError("BENCH_INPUT_INVALID", `the ${suite.name} suite scores the graph's route: a single model has none`, "leave out --baseline for this suite");
  if (!runGraph && baselineSpecs.length === 0) throw benchError("BENCH_INPUT_INVALID", "nothing to run", "run the graph, give a --baseline, or both");
  // The data first: a wrong --data fails before any model is loaded.
  const dataDir = path.resolve(cwd, options.data);
  const items = await suite.load(dataDir, options.limit !== undefined ? { limit: options.limit } : {});
  const graphFile = path.resolve(cwd, options.graphFile ?? runtime.config.graph ?? defaultGraphFile());
  const loaded = await runtime.loadGraph(graphFile);
  const backend = await runtime.backend();
  const models: Record<string, string> = {};
  const configurations: BenchConfiguration[] = [];
  if (runGraph) {
    configurations.push(createGraphConfiguration(runtime, loaded, { seed }));
    const tiers: string[] = [];
    for (const tier of ["T0", "T1", "T2", "T3"]) {
      try {
        tiers.push(`${tier}=${backend.resolveModel({ tier }).model}`);
      } catch {
        // A tier the backend has no model for is left out of the description.
      }
    }
    models["graph"] = `${loaded.graph.id} (${tiers.join(", ")})`;
  }
  for (const spec of baselineSpecs) {
    const resolved = tierPattern.test(spec) ? backend.resolveModel({ tier: spec }) : backend.resolveModel({ model: spec });
    configurations.push(
      createBaselineConfiguration({
        name: spec,
        provider: resolved.provider,
        model: resolved.model,
        seed,
        ...(resolved.tier ? { tier: resolved.tier } : tierPattern.test(spec) ? { tier: spec } : {}),
      }),
    );
    models[spec] = resolved.model;
  }
  let judge: BenchJudge | undefined;
  if (suite.name === "mt_bench") {
    const resolved = options.judgeModel ? backend.resolveModel({ model: options.judgeModel }) : backend.resolveModel({ tier: "T3" });
    models["judge"] = resolved.model;
    judge = async (messages, { abortSignal }) => {
      const reply = await resolved.provider.chat({
        model: resolved.model,
        messages,
        temperature: 0,
        seed,
        maxTokens: 1024,
        ...(abortSignal ? { abortSignal } : {}),
      });
      return { text: reply.text, inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens };
    };
  }
  if (options.judgmentsFile && !judge)
    throw benchError("BENCH_INPUT_INVALID", "--judgments is for the mt_bench suite", "leave it out, or run --suite mt_bench");
  const judgeAgreement =
    options.judgmentsFile && judge
      ? await measureJudgeAgreement(await readJudgments(path.resolve(cwd, options.judgmentsFile)), judge, {
          ...(options.judgmentsLimit !== undefined ? { limit: options.judgmentsLimit } : {}),
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        })
      : undefined;
  const needsSandbox = suite.name === "humaneval" || suite.name === "mbpp";
  return runBenchmark({
    suite,
    dataDir,
    items,
    configurations,
    ...(needsSandbox ? { runners: runtime.codeRunners() } : {}),
    ...(judge ? { judge } : {}),
    outDir: path.resolve(cwd, options.outDir),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.costWeights ? { costWeights: options.costWeights } : {}),
    graphFile,
    ...(judgeAgreement ? { judgeAgreement } : {}),
    environment: benchEnvironment({ provider: `${backend.kind}: ${backend.description}`, models, seed, cwd }),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
