/**
 * THE TOOL-AUGMENTATION SCENARIO, END TO END, on the embedded story model: a math node without a
 * tool answers bare calculations, the gate fails them by the calculator check, and `autoExpand`
 * finds the candidate, proposes the calculator, runs the A/B on held-out queries through the real
 * executor and gate, and adopts it. `bench-expansion.ts` reports what this returns under
 * `scenario`; `--scenario-json FILE` reports a result produced elsewhere instead (the same
 * fields), and `--no-scenario` leaves it out.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { resolveTestModel } from "@tinyllm/models/testing";
import { autoExpand, createRuntime } from "@tinyllm/runtime";

/** The scenario's result, as the benchmark's JSON line reports it. */
export interface ScenarioResult {
  adopted: boolean;
  node: string | null;
  strategy: string | null;
  baseline_pass_rate: number | null;
  candidate_pass_rate: number | null;
  held_out: number;
  p_value: number | null;
  version: string | null;
  seconds: number;
}

const graph = `id: calc
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
`;

/** Runs the scenario in `dir`: `runs` bare calculations recorded, then `autoExpand` with adoption. */
export async function runToolAugmentationScenario(dir: string, runs: number): Promise<ScenarioResult> {
  const modelFile = (await resolveTestModel()).path;
  const graphFile = path.join(dir, "calc.yaml");
  await writeFile(graphFile, graph);
  const stores = { runStore: false, memoryStore: false, precedentIndex: false } as const;
  const flags = { provider: "llama" as const, modelFile, threads: 1 };
  const runner = await createRuntime({ cwd: dir, env: {}, flags, verdictStore: "scenario.db", ...stores });
  for (let i = 0; i < runs; i++) await runner.run(`What is ${123 + 7 * i} * ${45 + 3 * i}?`, { graph: graphFile });
  await runner.close();
  const expander = await createRuntime({ cwd: dir, env: {}, flags, verdictStore: false, ...stores });
  const started = performance.now();
  const scenario = await autoExpand(expander, { graphFile, cwd: dir, verdictStore: "scenario.db", adopt: true, minEvaluations: Math.min(10, runs) });
  const seconds = (performance.now() - started) / 1000;
  await expander.close();
  return {
    adopted: scenario.adopted,
    node: scenario.node ?? null,
    strategy: scenario.strategy ?? null,
    baseline_pass_rate: scenario.baseline?.passRate ?? null,
    candidate_pass_rate: scenario.candidate?.passRate ?? null,
    held_out: scenario.heldOut,
    p_value: scenario.pValue ?? null,
    version: scenario.version ?? null,
    seconds: Number(seconds.toFixed(1)),
  };
}
