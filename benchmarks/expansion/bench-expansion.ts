/**
 * `pnpm bench:expansion`: what expansion costs and how well it decides.
 *
 * 1. Analysis time: `analyzeNodes` over N stored verdicts (default 100,000) in a real SQLite
 *    verdict store, beside the store's own SQL statistics (`VerdictStore.stats` by specialist)
 *    on the same store, in the same run: warm-up, then the median of the rounds. Target < 1 s.
 * 2. Decision quality: `decideAdoption` on synthetic paired A/B cases with known effects, over
 *    many seeds: how often it adopts a candidate that is no better (target ≤ 5%) and one that is
 *    20 points better on 40 queries (target ≥ 80%), for paired outcomes that are correlated (the
 *    usual case: a change fixes some failures and rarely breaks a pass) and independent.
 * 3. The tool-augmentation scenario on the embedded model: a math node without a tool answers
 *    bare calculations, the gate fails them by the calculator check, and `autoExpand` adopts the
 *    calculator; its pass rates before and after.
 *
 * Options: --verdicts N, --rounds N, --seeds N, --runs N (scenario runs), --smoke. Needs `pnpm build`.
 * The last line is one JSON object.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { analyzeNodes, decideAdoption } from "@tinyllm/expansion";
import { openVerdictStore } from "@tinyllm/grading";
import { resolveTestModel } from "@tinyllm/models/testing";
import { autoExpand, createRuntime } from "@tinyllm/runtime";
import { median, sizeFlag, smoke } from "../executor/stats";

const verdictCount = sizeFlag("verdicts", 100_000, 5_000);
const rounds = sizeFlag("rounds", 5, 2);
const seeds = sizeFlag("seeds", 2_000, 200);
const scenarioRuns = sizeFlag("runs", 12, 10);
const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-bench-expansion-"));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 1. Analysis time. The store is filled in one transaction with the store's own schema (appending
// 100,000 verdicts one durable transaction at a time would take minutes and measure nothing).
const storeFile = path.join(dir, "verdicts.db");
openVerdictStore({ path: storeFile }).close();
{
  const db = new Database(storeFile);
  const insert = db.prepare(
    `INSERT INTO verdicts (created_at_ms, run_id, graph_id, graph_version, node_id, answered_by, route, model, provider, tier, attempt, pass, score, decided_by, scores_json, checks_json, feedback, latency_ms, grading_ms, input_tokens, output_tokens, query_hash, query, answer)
     VALUES (?, ?, 'multi_domain', '1.0.0', 'gate', ?, ?, 'qwen2.5:3b', 'ollama', 'T1', 1, ?, ?, ?, ?, ?, ?, ?, 5, ?, ?, ?, ?, ?)`,
  );
  const random = prng(1);
  const nodes = ["code", "math", "general", "code_math"];
  const topics = [
    "percent discount price",
    "solve equation for x",
    "sort a list in python",
    "explain photosynthesis",
    "train speed distance",
    "regex email match",
    "capital of a country",
    "recursion fibonacci",
  ];
  const start = Date.now() - 30 * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < verdictCount; i++) {
      const node = nodes[i % nodes.length]!;
      const pass = random() < (node === "math" ? 0.45 : 0.85);
      const query = `${topics[Math.floor(random() * topics.length)]} ${i % 997}`;
      const checks = pass
        ? "[]"
        : JSON.stringify([
            {
              name: node === "math" ? "math.reference" : "judge",
              stage: "deterministic",
              outcome: "fail",
              decisive: true,
              message: "wrong",
              details: { expected: 42 },
            },
          ]);
      insert.run(
        start + i * 20,
        `run-${i}`,
        node,
        node,
        pass ? 1 : 0,
        pass ? 0.9 : 0.1,
        pass ? "rules" : node === "math" ? "math.reference" : "judge",
        pass ? null : '{"relevance":0.2,"completeness":0.5}',
        checks,
        pass ? null : "recompute",
        800 + (i % 400),
        200,
        60,
        `hash-${i % 997}`,
        query,
        "an answer",
      );
    }
  })();
  db.close();
}
const store = openVerdictStore({ path: storeFile, readonly: true });
const time = (task: () => unknown) => {
  const started = performance.now();
  task();
  return performance.now() - started;
};
time(() => analyzeNodes(store, { graphId: "multi_domain" }));
time(() => store.stats({ groupBy: "answeredBy" }));
const analysisMs: number[] = [];
const statsMs: number[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate the order each round, so neither side always runs on a warmer cache.
  if (round % 2 === 0) {
    analysisMs.push(time(() => analyzeNodes(store, { graphId: "multi_domain" })));
    statsMs.push(time(() => store.stats({ groupBy: "answeredBy" })));
  } else {
    statsMs.push(time(() => store.stats({ groupBy: "answeredBy" })));
    analysisMs.push(time(() => analyzeNodes(store, { graphId: "multi_domain" })));
  }
}
const analysis = analyzeNodes(store, { graphId: "multi_domain" });
store.close();
log(
  `analysis of ${verdictCount} verdicts: ${median(analysisMs).toFixed(0)} ms (median of ${rounds}); the store's SQL stats by specialist: ${median(statsMs).toFixed(0)} ms`,
);
log(
  `  candidates: ${
    analysis
      .filter((a) => a.candidate)
      .map((a) => `${a.nodeId} (${(a.failRate * 100).toFixed(1)}% failed)`)
      .join(", ") || "none"
  }`,
);

// 2. Decision quality.
type Model = "correlated" | "independent";
/** Paired outcomes on n queries: baseline passes with p0; the candidate's pass rate is p0 + effect. */
function pairs(random: () => number, n: number, p0: number, effect: number, model: Model): { baseline: boolean[]; candidate: boolean[] } {
  const baseline: boolean[] = [];
  const candidate: boolean[] = [];
  // Correlated: a pass stays a pass with probability keep; a failure is fixed with the probability
  // that gives the wanted pass rate: p0·keep + (1 − p0)·fix = p0 + effect.
  const keep = 0.95;
  const fix = Math.min(1, Math.max(0, (p0 + effect - p0 * keep) / (1 - p0)));
  for (let i = 0; i < n; i++) {
    const b = random() < p0;
    baseline.push(b);
    candidate.push(model === "independent" ? random() < p0 + effect : b ? random() < keep : random() < fix);
  }
  return { baseline, candidate };
}
const rate = (effect: number, model: Model) => {
  let adopted = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const random = prng(seed * 7919 + (model === "correlated" ? 0 : 1) + Math.round(effect * 1000));
    const { baseline, candidate } = pairs(random, 40, 0.5, effect, model);
    if (decideAdoption({ baseline, candidate }).adopt) adopted++;
  }
  return adopted / seeds;
};
const falseAdoption = { correlated: rate(0, "correlated"), independent: rate(0, "independent") };
const power = { correlated: rate(0.2, "correlated"), independent: rate(0.2, "independent") };
log(`decisions over ${seeds} seeds, 40 queries, baseline 50%, α 0.05, minimum effect 10 points:`);
log(`  no better:       adopted ${(falseAdoption.correlated * 100).toFixed(1)}% (correlated), ${(falseAdoption.independent * 100).toFixed(1)}% (independent)`);
log(`  20 points better: adopted ${(power.correlated * 100).toFixed(1)}% (correlated), ${(power.independent * 100).toFixed(1)}% (independent)`);

// 3. The tool-augmentation scenario on the embedded model.
const modelFile = (await resolveTestModel()).path;
const graphFile = path.join(dir, "calc.yaml");
await writeFile(
  graphFile,
  `id: calc
version: 1.0.0
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - id: math
    kind: model
    config: { prompt: math, maxTokens: 16 }
  - id: gate
    kind: gate
    config: { pass: done }
  - { id: done, kind: exit }
edges:
  - { from: start, to: math }
  - { from: math, to: gate }
`,
);
const stores = { runStore: false, memoryStore: false, precedentIndex: false } as const;
const flags = { provider: "llama" as const, modelFile, threads: 1 };
const runner = await createRuntime({ cwd: dir, env: {}, flags, verdictStore: "scenario.db", ...stores });
for (let i = 0; i < scenarioRuns; i++) await runner.run(`What is ${123 + 7 * i} * ${45 + 3 * i}?`, { graph: graphFile });
await runner.close();
const expander = await createRuntime({ cwd: dir, env: {}, flags, verdictStore: false, ...stores });
const started = performance.now();
const scenario = await autoExpand(expander, { graphFile, cwd: dir, verdictStore: "scenario.db", adopt: true, minEvaluations: Math.min(10, scenarioRuns) });
const scenarioMs = performance.now() - started;
await expander.close();
log(
  `scenario: ${scenario.adopted ? "adopted" : "not adopted"} ${scenario.strategy ?? "-"} on ${scenario.node ?? "-"}: pass rate ${((scenario.baseline?.passRate ?? 0) * 100).toFixed(0)}% → ${((scenario.candidate?.passRate ?? 0) * 100).toFixed(0)}% on ${scenario.heldOut} held-out queries, p = ${scenario.pValue?.toPrecision(3) ?? "-"}, version ${scenario.version ?? "-"}, ${(scenarioMs / 1000).toFixed(1)} s`,
);
if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
else log(`kept ${dir}`);

const analysisMedian = median(analysisMs);
process.stdout.write(
  `${JSON.stringify({
    verdicts: verdictCount,
    analysis_ms: Math.round(analysisMedian),
    analysis_target_met: analysisMedian < 1000,
    store_stats_ms: Math.round(median(statsMs)),
    analysis_vs_store_stats: Number((analysisMedian / Math.max(1e-9, median(statsMs))).toFixed(2)),
    seeds,
    false_adoption_correlated: falseAdoption.correlated,
    false_adoption_independent: falseAdoption.independent,
    adoption_20pt_correlated: power.correlated,
    adoption_20pt_independent: power.independent,
    false_adoption_target_met: Math.max(falseAdoption.correlated, falseAdoption.independent) <= 0.05,
    power_target_met_correlated: power.correlated >= 0.8,
    scenario: {
      adopted: scenario.adopted,
      node: scenario.node ?? null,
      strategy: scenario.strategy ?? null,
      baseline_pass_rate: scenario.baseline?.passRate ?? null,
      candidate_pass_rate: scenario.candidate?.passRate ?? null,
      held_out: scenario.heldOut,
      p_value: scenario.pValue ?? null,
      version: scenario.version ?? null,
      seconds: Number((scenarioMs / 1000).toFixed(1)),
    },
    rounds,
    smoke,
  })}\n`,
);
