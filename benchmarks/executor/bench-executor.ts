/**
 * Executor overhead with tracing on: TinyLLM against LangGraph, same shapes, same process.
 *
 *   pnpm bench:executor [--rounds 7] [--iterations 300] [--smoke]
 *
 * Shapes: a chain of 10 no-op nodes, and a fan-out of 8 no-op branches joined. Prints a table
 * and, as its last line, one JSON object. `--smoke`: 1 round of 20 runs, a short warm-up.
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { createNodeRegistry, builtinNodeKinds, defineNodeKind, loadGraph, runGraph, type CompiledGraph } from "@tinyllm/core";
import { z } from "zod";
import { measure, median, sizeFlag, smoke } from "./stats";

const rounds = sizeFlag("rounds", 7, 1);
const iterations = sizeFlag("iterations", 300, 20);

const noop = defineNodeKind({ kind: "noop", description: "Does nothing.", configSchema: z.strictObject({}), create: () => () => undefined });
const registry = createNodeRegistry([...builtinNodeKinds, noop]);

async function tinyGraph(source: string): Promise<CompiledGraph> {
  const loaded = await loadGraph(source, { registry });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  return loaded.graph;
}

// 10 nodes: entry, 8 no-ops, exit.
const chainIds = ["start", ...Array.from({ length: 8 }, (_, i) => `n${i}`), "done"];
const tinyChain = await tinyGraph(`id: chain
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
${chainIds
  .slice(1, -1)
  .map((id) => `  - { id: ${id}, kind: noop }`)
  .join("\n")}
  - { id: done, kind: exit }
edges:
${chainIds
  .slice(0, -1)
  .map((id, i) => `  - { from: ${id}, to: ${chainIds[i + 1]} }`)
  .join("\n")}
`);
// 12 nodes: entry, fanout, 8 branches, join, exit.
const branchIds = Array.from({ length: 8 }, (_, i) => `b${i}`);
const tinyFan = await tinyGraph(`id: fan
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - { id: split, kind: fanout, config: { join: merge } }
${branchIds.map((id) => `  - { id: ${id}, kind: noop }`).join("\n")}
  - { id: merge, kind: join }
  - { id: done, kind: exit }
edges:
  - { from: start, to: split }
${branchIds.map((id) => `  - { from: split, to: ${id} }\n  - { from: ${id}, to: merge }`).join("\n")}
  - { from: merge, to: done }
`);

const State = Annotation.Root({ value: Annotation<number>() });
const lgChainBuilder = new StateGraph(State);
let lgCalls = 0;
for (const id of chainIds) lgChainBuilder.addNode(id, () => (lgCalls++, {}));
const lgChain = (() => {
  const b = lgChainBuilder as unknown as { addEdge(a: string, b: string): unknown; compile(): { invoke(input: unknown): Promise<unknown> } };
  b.addEdge(START, chainIds[0] as string);
  for (let i = 0; i < chainIds.length - 1; i++) b.addEdge(chainIds[i] as string, chainIds[i + 1] as string);
  b.addEdge(chainIds.at(-1) as string, END);
  return b.compile();
})();
const lgFan = (() => {
  const builder = new StateGraph(State);
  for (const id of ["start", "split", ...branchIds, "merge", "done"]) builder.addNode(id, () => ({}));
  const b = builder as unknown as { addEdge(a: string | string[], b: string): unknown; compile(): { invoke(input: unknown): Promise<unknown> } };
  b.addEdge(START, "start");
  b.addEdge("start", "split");
  for (const id of branchIds) b.addEdge("split", id);
  b.addEdge(branchIds, "merge");
  b.addEdge("merge", "done");
  b.addEdge("done", END);
  return b.compile();
})();

// Sanity: every runner really runs every node.
const check = await runGraph(tinyChain, { input: 1 });
if (check.status !== "ok" || check.steps !== 10) throw new Error(`tinyllm chain did not run: ${check.status} ${check.steps}`);
const checkFan = await runGraph(tinyFan, { input: 1 });
if (checkFan.status !== "ok" || checkFan.steps !== 12) throw new Error(`tinyllm fan-out did not run: ${checkFan.status} ${checkFan.steps}`);
await lgChain.invoke({ value: 1 });
if (lgCalls !== 10) throw new Error(`langgraph chain ran ${lgCalls} nodes, expected 10`);

const settings = { warmup: smoke ? 5 : Math.max(50, Math.round(iterations / 3)), rounds, iterations };
const lgSettings = { warmup: smoke ? 2 : 30, rounds, iterations: smoke ? 5 : Math.max(20, Math.round(iterations / 10)) };
const rows: { name: string; runner: string; nodes: number; msPerRun: number; stepsPerS: number; usPerStep: number }[] = [];
async function row(name: string, runner: string, nodes: number, task: () => Promise<unknown>, s: typeof settings) {
  const ms = median(await measure(task, s));
  rows.push({ name, runner, nodes, msPerRun: ms, stepsPerS: (nodes / ms) * 1000, usPerStep: (ms * 1000) / nodes });
}
await row("chain-10", "tinyllm", 10, () => runGraph(tinyChain, { input: 1 }), settings);
await row("chain-10", "langgraph", 10, () => lgChain.invoke({ value: 1 }), lgSettings);
await row("fanout-8", "tinyllm", 12, () => runGraph(tinyFan, { input: 1 }), settings);
await row("fanout-8", "langgraph", 12, () => lgFan.invoke({ value: 1 }), lgSettings);

console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}executor overhead, tracing on; medians of ${rounds} rounds (tinyllm ${settings.iterations} runs/round, langgraph ${lgSettings.iterations} runs/round)`,
);
console.log("shape      runner      nodes   ms/run    node-steps/s   µs/step");
for (const r of rows) {
  console.log(
    `${r.name.padEnd(10)} ${r.runner.padEnd(10)} ${String(r.nodes).padStart(6)} ${r.msPerRun.toFixed(4).padStart(8)} ${Math.round(r.stepsPerS).toString().padStart(14)} ${r.usPerStep.toFixed(2).padStart(9)}`,
  );
}
const get = (name: string, runner: string) => rows.find((r) => r.name === name && r.runner === runner) as (typeof rows)[number];
const result = {
  tinyllm_steps_per_s: Math.round(get("chain-10", "tinyllm").stepsPerS),
  langgraph_steps_per_s: Math.round(get("chain-10", "langgraph").stepsPerS),
  ratio: Number((get("chain-10", "tinyllm").stepsPerS / get("chain-10", "langgraph").stepsPerS).toFixed(1)),
  tinyllm_us_per_step: Number(get("chain-10", "tinyllm").usPerStep.toFixed(2)),
  fanout_tinyllm_steps_per_s: Math.round(get("fanout-8", "tinyllm").stepsPerS),
  fanout_langgraph_steps_per_s: Math.round(get("fanout-8", "langgraph").stepsPerS),
  fanout_ratio: Number((get("fanout-8", "tinyllm").stepsPerS / get("fanout-8", "langgraph").stepsPerS).toFixed(1)),
  ...(smoke ? { smoke: true } : {}),
};
console.log(JSON.stringify(result));
