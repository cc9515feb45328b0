/**
 * Routing quality of the default graph's router, exactly as graphs/multi_domain.yaml
 * configures it, on the labelled set in routing-set.jsonl (none of its queries are among the
 * graph's training examples).
 *
 *   pnpm bench:routing [--data routing/routing-set.jsonl] [--graph ../graphs/multi_domain.yaml]
 *                      [--model-file X.gguf | --ollama-host URL] [--limit N] [--smoke]
 *                      [--external ../shared/bench/datasets]
 *
 * Queries the fast classifier is unsure of go to the LLM router when a model is given (a GGUF
 * through the embedded engine, or Ollama's T0 model); with none, they keep the fast answer and
 * are counted as "needed the LLM". `--limit N` routes the first N queries; `--smoke` routes 40
 * and times the fast path once. Last line: one JSON object.
 *
 * Routing by precedent is measured on a seeded half/half split of the same set: precedents are
 * built from the training half only, and the held-out half is routed with and without them.
 * Two kinds of precedents: `graded`, the router's own decisions on the training half marked
 * pass or fail against the labels (what a gate would record), and `labelled`, the labelled
 * route of every training query marked pass (what the precedents hold once the runs succeed).
 *
 * With `--external DIR` (the folder of GSM8K, MBPP, HumanEval and MT-Bench), the router is also
 * tried on those public questions, labelled only by their source (external-sets.ts), on the fast
 * path alone: per source the share decided without the LLM and the share of those decisions that
 * contain the expected label, a reliability table of the fast classifier's confidence with its
 * expected calibration error, and precedents built from half of each source tried on the other
 * half. `--smoke` takes 15 questions of each source, from ../shared/bench/datasets when it exists.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createHybridRouter,
  createLlamaProvider,
  createOllamaProvider,
  type ModelProvider,
  type ModelResolver,
  type RouteResult,
  type RouterConfig,
} from "@tinyllm/models";
import type { PrecedentIndex } from "@tinyllm/core";
import { memoryPrecedentIndex } from "@tinyllm/memory";
import { median, sizeFlag, smoke } from "../executor/stats";
import { seededRandom } from "../memory/conversation-generator";
import { loadBenchGraph } from "../load-bench-graph";
import { existsSync } from "node:fs";
import { readExternalSets, type ExternalItem } from "./external-sets";
import { bySource, fastFigures, precedentEffect, reliability } from "./external-eval";

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataFile = path.resolve(arg("data") ?? path.join(here, "routing-set.jsonl"));
const graphFile = path.resolve(arg("graph") ?? path.join(here, "../../graphs/multi_domain.yaml"));

const items = (await readFile(dataFile, "utf8"))
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { query: string; labels: string[] })
  .slice(0, sizeFlag("limit", Infinity, 40));

const graph = await loadBenchGraph(graphFile);
const node = graph.nodeList.find((n) => n.kind === "router");
if (!node) throw new Error("the graph has no router");
const config = node.config as RouterConfig;

let provider: ModelProvider | undefined;
let llmName = "none";
if (arg("model-file")) {
  provider = createLlamaProvider({ modelPath: path.resolve(arg("model-file") as string), threads: 1 });
  llmName = `embedded ${path.basename(arg("model-file") as string)}`;
} else if (arg("ollama-host")) {
  provider = createOllamaProvider({ host: arg("ollama-host") as string });
  llmName = `ollama ${arg("ollama-host")}`;
}
const modelFile = arg("model-file");
const resolveModel: ModelResolver | undefined = provider
  ? () => ({ provider: provider as ModelProvider, model: modelFile ? path.resolve(modelFile) : "qwen2.5:0.5b" })
  : undefined;

const started = performance.now();
const router = createHybridRouter(config, resolveModel ? { resolveModel } : {});
const trainMs = performance.now() - started;
const labels = [...router.classifier.labelNames];

const results: { item: (typeof items)[number]; result: RouteResult }[] = [];
for (const item of items) results.push({ item, result: await router.route(item.query) });

// Classification latency of the fast path alone.
const times: number[] = [];
for (let round = 0; round < (smoke ? 1 : 5); round++) {
  const t = performance.now();
  for (const item of items) router.classifier.classify(item.query);
  times.push(((performance.now() - t) * 1000) / items.length);
}

function score(subset: typeof results) {
  const perLabel = Object.fromEntries(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  let exact = 0;
  for (const { item, result } of subset) {
    const truth = new Set(item.labels);
    const predicted = new Set(result.labels);
    if (truth.size === predicted.size && [...truth].every((l) => predicted.has(l))) exact++;
    for (const l of labels) {
      const c = perLabel[l] as { tp: number; fp: number; fn: number };
      if (predicted.has(l) && truth.has(l)) c.tp++;
      else if (predicted.has(l)) c.fp++;
      else if (truth.has(l)) c.fn++;
    }
  }
  const sum = (k: "tp" | "fp" | "fn") => Object.values(perLabel).reduce((n, c) => n + c[k], 0);
  const tp = sum("tp");
  const precision = tp / Math.max(1, tp + sum("fp"));
  const recall = tp / Math.max(1, tp + sum("fn"));
  return {
    microF1: (2 * precision * recall) / Math.max(1e-9, precision + recall),
    exactAccuracy: exact / Math.max(1, subset.length),
    perLabel: Object.fromEntries(
      Object.entries(perLabel).map(([l, c]) => [
        l,
        { precision: c.tp / Math.max(1, c.tp + c.fp), recall: c.tp / Math.max(1, c.tp + c.fn), support: c.tp + c.fn },
      ]),
    ),
  };
}

const fastDecided = results.filter((r) => r.result.decidedBy === "fast" && !r.result.llmError);
const llmDecided = results.filter((r) => r.result.decidedBy === "llm");
const all = score(results);
const fast = score(fastDecided);
const fastOnly = score(
  results.map(({ item }) => ({
    item,
    result: { ...router.classifier.classify(item.query), route: "", confidences: {}, confidence: 0, decidedBy: "fast" as const },
  })),
);

// Routing by precedent: a seeded split, precedents from the training half, the held-out half routed with and without them.
const shuffled = seededShuffle(results, 20261204);
const trainHalf = shuffled.slice(0, Math.floor(shuffled.length / 2));
const heldOut = shuffled.slice(trainHalf.length);
const routeOfLabels = (wanted: readonly string[]) =>
  config.routes.find((r) => {
    const labels = r.labels ?? [r.name];
    return labels.length === wanted.length && labels.every((l) => wanted.includes(l));
  })?.name ?? config.default;
async function withPrecedents(kind: "graded" | "labelled") {
  const index: PrecedentIndex = memoryPrecedentIndex();
  for (const { item, result } of trainHalf) {
    const gold = routeOfLabels(item.labels);
    await index.add(
      kind === "labelled"
        ? { query: item.query, route: gold, pass: true, scope: router.scope }
        : { query: item.query, route: result.route, pass: result.route === gold, scope: router.scope },
    );
  }
  const routed: typeof results = [];
  for (const { item } of heldOut) routed.push({ item, result: await router.route(item.query, { precedents: index }) });
  const decided = routed.filter((r) => r.result.decidedBy === "precedent");
  const decidedQueries = new Set(decided.map((r) => r.item.query));
  return {
    micro_f1: Number(score(routed).microF1.toFixed(4)),
    exact_accuracy: Number(score(routed).exactAccuracy.toFixed(4)),
    precedent_decided: decided.length,
    precedent_decided_micro_f1: decided.length ? Number(score(decided).microF1.toFixed(4)) : null,
    without_on_those_micro_f1: decided.length ? Number(score(heldOut.filter((r) => decidedQueries.has(r.item.query))).microF1.toFixed(4)) : null,
    vetoed: routed.filter((r) => r.result.precedent?.outcome === "vetoed").length,
    llm_calls: routed.filter((r) => r.result.decidedBy === "llm" || r.result.llmError?.code !== undefined).length,
  };
}
const precedents = {
  train: trainHalf.length,
  held_out: heldOut.length,
  without: {
    micro_f1: Number(score(heldOut).microF1.toFixed(4)),
    exact_accuracy: Number(score(heldOut).exactAccuracy.toFixed(4)),
    llm_calls: heldOut.filter((r) => r.result.decidedBy === "llm" || r.result.llmError?.code !== undefined).length,
  },
  graded: await withPrecedents("graded"),
  labelled: await withPrecedents("labelled"),
};
await provider?.close?.();

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}routing set: ${items.length} queries from ${path.relative(process.cwd(), dataFile)}; graph ${graph.id}; threshold ${config.threshold}; LLM: ${llmName}`,
);
console.log(`trained in ${trainMs.toFixed(1)} ms on ${router.classifier.stats.examples} texts; fast classify median ${median(times).toFixed(1)} µs/query`);
console.log("label      precision  recall  support");
for (const [l, s] of Object.entries(all.perLabel))
  console.log(`${l.padEnd(10)} ${s.precision.toFixed(3).padStart(9)} ${s.recall.toFixed(3).padStart(7)} ${String(s.support).padStart(8)}`);
console.log(`micro-F1 (as configured): ${all.microF1.toFixed(3)}; exact label-set accuracy ${pct(all.exactAccuracy)}`);
console.log(
  `decided on the fast path: ${fastDecided.length}/${items.length} (${pct(fastDecided.length / items.length)}), micro-F1 there ${fast.microF1.toFixed(3)}, exact ${pct(fast.exactAccuracy)}`,
);
console.log(
  `needed the LLM: ${items.length - fastDecided.length}; answered by the LLM: ${llmDecided.length}; fast classifier alone on every query: micro-F1 ${fastOnly.microF1.toFixed(3)}`,
);
console.log(
  `routing by precedent (train ${precedents.train}, held out ${precedents.held_out}): held-out micro-F1 ${precedents.without.micro_f1} without precedents, ${precedents.graded.micro_f1} with graded ones (${precedents.graded.precedent_decided} decided by precedent), ${precedents.labelled.micro_f1} with labelled ones (${precedents.labelled.precedent_decided} decided); queries that needed the LLM: ${precedents.without.llm_calls} → ${precedents.graded.llm_calls} / ${precedents.labelled.llm_calls}`,
);
// Public questions nobody here wrote, on the fast path alone (no LLM), with the graph's router.
const defaultExternal = path.resolve(here, "../../../shared/bench/datasets");
const externalDir = arg("external") ?? (smoke && existsSync(defaultExternal) ? defaultExternal : undefined);
let external: Record<string, unknown> = {};
if (externalDir) {
  let externalItems = readExternalSets(path.resolve(externalDir));
  if (smoke) {
    const taken = new Map<string, number>();
    externalItems = externalItems.filter((item: ExternalItem) => {
      const count = taken.get(item.source) ?? 0;
      taken.set(item.source, count + 1);
      return count < 15;
    });
  }
  const fastRouter = createHybridRouter(config);
  const routed: RouteResult[] = [];
  for (const item of externalItems) routed.push(await fastRouter.route(item.query));
  const sources = bySource(externalItems, routed);
  const core = fastFigures(externalItems, routed, ["gsm8k", "mbpp", "humaneval"]);
  const generalSources = ["mtbench/writing", "mtbench/roleplay", "mtbench/humanities"];
  const generalRows = sources.filter((row) => generalSources.includes(row.source));
  const generalShare =
    generalRows.reduce((n, row) => n + row.generalOnly, 0) /
    Math.max(
      1,
      generalRows.reduce((n, row) => n + row.questions, 0),
    );
  const calibration = reliability(fastRouter, externalItems);
  const inHouseCalibration = reliability(
    fastRouter,
    items.map((item) => ({
      source: "in-house",
      query: item.query,
      expected: (item.labels.includes("code") ? "code" : item.labels[0]) as ExternalItem["expected"],
    })),
  );
  const precedentRun = await precedentEffect(fastRouter, externalItems, 20261205);
  const pctOf = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : "-");
  console.log(`\npublic questions from ${path.relative(process.cwd(), externalDir)} (fast path only, no LLM):`);
  console.log("| source (label) | questions | decided on the fast path | of those, with the expected label | routed general only |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of sources)
    console.log(
      `| ${row.source} | ${row.questions} | ${row.fast} (${pctOf(row.fast, row.questions)}) | ${row.fastRight === undefined ? "-" : pctOf(row.fastRight, row.fast)} | ${row.generalOnly} |`,
    );
  console.log(
    `GSM8K + MBPP + HumanEval: ${core.fast}/${core.questions} decided on the fast path (${pctOf(core.fast, core.questions)}), ${pctOf(core.right, core.fast)} of them with the expected label; MT-Bench writing, roleplay and humanities routed general only: ${(generalShare * 100).toFixed(1)}%`,
  );
  console.log("reliability of the fast classifier's confidence (label set exactly right; for code, code+math counts too):");
  console.log("| confidence | questions | mean confidence | accuracy |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const bin of calibration.table)
    if (bin.count > 0)
      console.log(`| ${bin.from.toFixed(1)}–${bin.to.toFixed(1)} | ${bin.count} | ${bin.meanConfidence.toFixed(3)} | ${bin.accuracy.toFixed(3)} |`);
  console.log(`expected calibration error: ${calibration.ece.toFixed(3)} on the public questions, ${inHouseCalibration.ece.toFixed(3)} on the in-house set`);
  console.log(
    `precedents from half of each source (${precedentRun.train}), the other half (${precedentRun.held_out}) routed: decided without the LLM ${pctOf(precedentRun.without.decided_without_llm, precedentRun.held_out)} at ${(precedentRun.without.precision * 100).toFixed(1)}% without precedents, ${pctOf(precedentRun.with.decided_without_llm, precedentRun.held_out)} at ${(precedentRun.with.precision * 100).toFixed(1)}% with them (${precedentRun.with.decided_by_precedent} decided by precedent)`,
  );
  external = {
    external_fast_share: Number(core.share.toFixed(4)),
    external_fast_precision: Number(core.precision.toFixed(4)),
    mtbench_general_share: Number(generalShare.toFixed(4)),
    external_ece: Number(calibration.ece.toFixed(4)),
    in_house_ece: Number(inHouseCalibration.ece.toFixed(4)),
    external_sources: sources,
    external_reliability: calibration.table.map((bin) => ({
      ...bin,
      meanConfidence: Number(bin.meanConfidence.toFixed(4)),
      accuracy: Number(bin.accuracy.toFixed(4)),
    })),
    external_precedents: precedentRun,
  };
}

console.log(
  JSON.stringify({
    micro_f1: Number(all.microF1.toFixed(4)),
    fast_path_share: Number((fastDecided.length / items.length).toFixed(4)),
    fast_path_micro_f1: Number(fast.microF1.toFixed(4)),
    fast_path_exact_accuracy: Number(fast.exactAccuracy.toFixed(4)),
    exact_accuracy: Number(all.exactAccuracy.toFixed(4)),
    fast_only_micro_f1: Number(fastOnly.microF1.toFixed(4)),
    llm: llmName,
    llm_decided: llmDecided.length,
    queries: items.length,
    per_label: all.perLabel,
    classify_us_median: Number(median(times).toFixed(1)),
    train_ms: Number(trainMs.toFixed(1)),
    precedent_held_out_micro_f1: precedents.graded.micro_f1,
    no_precedent_held_out_micro_f1: precedents.without.micro_f1,
    precedents,
    ...external,
    ...(smoke ? { smoke: true } : {}),
  }),
);

/** A deterministic shuffle (Fisher-Yates on the benchmarks' seeded PRNG), so the split is the same on every run. */
function seededShuffle<T>(values: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
