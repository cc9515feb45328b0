/**
 * `pnpm bench:expansion`: what expansion costs and how well it decides.
 *
 * 1. Analysis time: `analyzeNodes` over N stored verdicts (default 100,000) in a real SQLite
 *    verdict store shaped like the gate's (verdict-generator.ts): the shipped lean read of the
 *    file, the same analysis through the store's own methods (`VerdictStore.each`), and the
 *    store's SQL statistics by specialist (`VerdictStore.stats`) as the peer; warm-up, then the
 *    median of the rounds. Target < 1 s.
 * 2. Decision quality (decision-quality.ts): `decideAdoption` on paired A/B cases of 40 queries
 *    with known effects, for each paired test: how often it adopts a candidate that is no better
 *    (target ≤ 5%) and one that is 20 points better (target ≥ 80%), for correlated and
 *    independent outcomes; simulated over seeds, computed exactly, and beside the bound no test
 *    at α = 0.05 can beat.
 * 3. The tool-augmentation scenario end to end (tool-augmentation-scenario.ts).
 *
 * Options: --verdicts N, --rounds N, --seeds N, --runs N (scenario runs), --no-scenario,
 * --scenario-json FILE (report that result instead of running the scenario), --smoke.
 * Needs `pnpm build`. The last line is one JSON object.
 */
import { readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { analyzeNodes, type PairedTest } from "@tinyllm/expansion";
import { openVerdictStore } from "@tinyllm/grading";
import { median, sizeFlag, smoke } from "../executor/stats";
import { adoptionRegion, correlated, exactAdoption, independent, powerBound, simulatedAdoption, worstFalseAdoption } from "./decision-quality";
import { runToolAugmentationScenario, type ScenarioResult } from "./tool-augmentation-scenario";
import { fillVerdictStore } from "./verdict-generator";

const verdictCount = sizeFlag("verdicts", 100_000, 5_000);
const rounds = sizeFlag("rounds", 5, 2);
const seeds = sizeFlag("seeds", 2_000, 200);
const scenarioRuns = sizeFlag("runs", 12, 10);
const scenarioJsonAt = process.argv.indexOf("--scenario-json");
const scenarioJson = scenarioJsonAt >= 0 ? process.argv[scenarioJsonAt + 1] : undefined;
const withScenario = !process.argv.includes("--no-scenario");
const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-bench-expansion-"));
const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

// 1. Analysis time. The store is created by the store's own code, then filled in one transaction
// with its schema (appending 100,000 verdicts one durable transaction at a time would take
// minutes and measure nothing).
const storeFile = path.join(dir, "verdicts.db");
openVerdictStore({ path: storeFile }).close();
let started = performance.now();
fillVerdictStore(storeFile, verdictCount);
log(`filled ${verdictCount} verdicts (${(statSync(storeFile).size / 1e6).toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const store = openVerdictStore({ path: storeFile, readonly: true });
// The same store without its file: analysis reads it through its own methods.
const storeMethods = { each: store.each.bind(store), get: store.get.bind(store) };
const time = (task: () => unknown) => {
  const start = performance.now();
  task();
  return performance.now() - start;
};
const tasks = {
  analysis: () => analyzeNodes(storeFile, { graphId: "multi_domain" }),
  storeMethods: () => analyzeNodes(storeMethods, { graphId: "multi_domain" }),
  stats: () => store.stats({ groupBy: "answeredBy", graphId: "multi_domain" }),
};
const timings: Record<keyof typeof tasks, number[]> = { analysis: [], storeMethods: [], stats: [] };
for (const task of Object.values(tasks)) task();
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round, so no side always runs on the warmest cache.
  const names = Object.keys(tasks) as (keyof typeof tasks)[];
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length]!;
    timings[name].push(time(tasks[name]));
  }
}
const analysis = tasks.analysis();
store.close();
const analysisMs = median(timings.analysis);
const storeMethodsMs = median(timings.storeMethods);
const statsMs = median(timings.stats);
log(
  `analysis of ${verdictCount} verdicts: ${analysisMs.toFixed(0)} ms (median of ${rounds}); through the store's methods: ${storeMethodsMs.toFixed(0)} ms; the store's SQL stats by specialist: ${statsMs.toFixed(0)} ms`,
);
for (const node of analysis)
  log(
    `  ${node.candidate ? "*" : " "} ${node.nodeId}: ${node.failures}/${node.evaluations} failed (${pct(node.failRate)}), mostly ${node.topCause ?? "-"}; ${node.clusters.length} clusters (${node.clusters
      .slice(0, 3)
      .map((cluster) => cluster.label)
      .join(", ")}…)`,
  );

// 2. Decision quality on 40 paired queries, baseline pass rate 50%, α = 0.05, minimum effect 10 points.
const n = 40;
const p0 = 0.5;
const cases = {
  false_adoption_correlated: correlated(p0, 0),
  false_adoption_independent: independent(p0, 0),
  adoption_20pt_correlated: correlated(p0, 0.2),
  adoption_20pt_independent: independent(p0, 0.2),
};
type Case = keyof typeof cases;
const tests: PairedTest[] = ["exact-unconditional", "exact-conditional", "bootstrap"];
const decisions: Record<
  string,
  Record<Case | "worst_false_adoption", number> & { exact: Record<Case | "worst_false_adoption" | "worst_false_adoption_10_queries", number> }
> = {};
started = performance.now();
for (const test of tests) {
  const region = adoptionRegion(n, test);
  const simulated = Object.fromEntries(
    Object.entries(cases).map(([name, chances], index) => [name, simulatedAdoption(chances, { n, seeds, test, seedBase: index * 1_000_003 })]),
  ) as Record<Case, number>;
  const exact = Object.fromEntries(Object.entries(cases).map(([name, chances]) => [name, exactAdoption(region, n, chances)])) as Record<Case, number>;
  const worst = worstFalseAdoption(region, n);
  // The same on a handful of queries, where an approximate test shows its eagerness.
  const few = worstFalseAdoption(adoptionRegion(10, test), 10);
  decisions[test] = {
    ...simulated,
    worst_false_adoption: worst.rate,
    exact: { ...exact, worst_false_adoption: worst.rate, worst_false_adoption_10_queries: few.rate },
  };
  log(
    `${test}: no better: adopted ${pct(simulated.false_adoption_correlated)} correlated, ${pct(simulated.false_adoption_independent)} independent (exactly ${pct(exact.false_adoption_correlated)}, ${pct(exact.false_adoption_independent)}; at worst ${pct(worst.rate)}, at δ = ${worst.discordance.toFixed(2)}; on 10 queries at worst ${pct(few.rate)}); 20 points better: adopted ${pct(simulated.adoption_20pt_correlated)} correlated, ${pct(simulated.adoption_20pt_independent)} independent (exactly ${pct(exact.adoption_20pt_correlated)}, ${pct(exact.adoption_20pt_independent)})`,
  );
}
const bound = { correlated: powerBound(n, cases.adoption_20pt_correlated), independent: powerBound(n, cases.adoption_20pt_independent) };
log(
  `no test at α = 0.05 adopts a 20-point improvement on ${n} queries more often than ${pct(bound.correlated)} (correlated) or ${pct(bound.independent)} (independent)`,
);
// How the power depends on the breakage rate, and how many queries the independent case needs.
const sensitivity: { keep: number; exact_power: number; bound: number }[] = [];
const queriesNeeded: { n: number; exact_power: number; bound: number }[] = [];
if (!smoke) {
  const region = adoptionRegion(n, "exact-unconditional");
  for (const keep of [1, 0.98, 0.95, 0.9, 0.85]) {
    const chances = correlated(p0, 0.2, keep);
    sensitivity.push({ keep, exact_power: exactAdoption(region, n, chances), bound: powerBound(n, chances) });
  }
  log(`  correlated, by the chance a pass stays a pass: ${sensitivity.map((s) => `${s.keep}: ${pct(s.exact_power)} (bound ${pct(s.bound)})`).join(", ")}`);
  for (const size of [40, 60, 80, 100]) {
    const chances = independent(p0, 0.2);
    queriesNeeded.push({ n: size, exact_power: exactAdoption(adoptionRegion(size, "exact-unconditional"), size, chances), bound: powerBound(size, chances) });
  }
  log(`  independent, by held-out queries: ${queriesNeeded.map((q) => `${q.n}: ${pct(q.exact_power)} (bound ${pct(q.bound)})`).join(", ")}`);
}
log(`  (decision quality took ${((performance.now() - started) / 1000).toFixed(1)} s)`);

// 3. The tool-augmentation scenario end to end: run here, read from a file, or left out.
let scenario: ScenarioResult | null = null;
if (scenarioJson !== undefined) scenario = JSON.parse(readFileSync(scenarioJson, "utf8")) as ScenarioResult;
else if (withScenario) scenario = await runToolAugmentationScenario(dir, scenarioRuns);
if (scenario)
  log(
    `scenario: ${scenario.adopted ? "adopted" : "not adopted"} ${scenario.strategy ?? "-"} on ${scenario.node ?? "-"}: pass rate ${pct(scenario.baseline_pass_rate ?? 0)} → ${pct(scenario.candidate_pass_rate ?? 0)} on ${scenario.held_out} held-out queries, p = ${scenario.p_value?.toPrecision(3) ?? "-"}, version ${scenario.version ?? "-"}, ${scenario.seconds} s`,
  );
if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
else log(`kept ${dir}`);

const shipped = decisions["exact-unconditional"]!;
process.stdout.write(
  `${JSON.stringify({
    verdicts: verdictCount,
    analysis_ms: Math.round(analysisMs),
    analysis_target_met: analysisMs < 1000,
    analysis_store_methods_ms: Math.round(storeMethodsMs),
    store_stats_ms: Math.round(statsMs),
    analysis_vs_store_stats: Number((analysisMs / Math.max(1e-9, statsMs)).toFixed(2)),
    queries: n,
    seeds,
    test: "exact-unconditional",
    false_adoption_correlated: shipped.false_adoption_correlated,
    false_adoption_independent: shipped.false_adoption_independent,
    adoption_20pt_correlated: shipped.adoption_20pt_correlated,
    adoption_20pt_independent: shipped.adoption_20pt_independent,
    worst_false_adoption: shipped.worst_false_adoption,
    false_adoption_target_met: shipped.worst_false_adoption <= 0.05,
    power_target_met_correlated: shipped.exact.adoption_20pt_correlated >= 0.8,
    power_bound_correlated: bound.correlated,
    power_bound_independent: bound.independent,
    decisions,
    sensitivity,
    queries_needed_independent: queriesNeeded,
    scenario,
    rounds,
    smoke,
  })}\n`,
);
