/**
 * Tool latency: the hardened calculator against a bare mathjs `evaluate` on the same
 * expressions, and the isolated-vm code executor's cold and warm (pooled) start against
 * node:vm (no isolation) for a trivial snippet. Same process, warm-up first, medians.
 *
 *   pnpm bench:tools [--rounds 7] [--iterations 2000] [--smoke]
 *
 * Node must run with --no-node-snapshot (the script sets it). `--smoke`: 1 round of 100
 * calculator calls, 2 cold and 10 warm executor runs per isolation mode. Last line: one JSON object.
 */
import vm from "node:vm";
import { evaluate as bareEvaluate } from "mathjs";
import { createCodeExecutor, evaluateExpression } from "@tinyllm/tools";
import { median, sizeFlag, smoke } from "../executor/stats";

const rounds = sizeFlag("rounds", 7, 1);
const iterations = sizeFlag("iterations", 2000, 100);

const expressions = [
  "2+2",
  "1000*(1+0.05)^10",
  "sqrt(16)*3",
  "sin(pi/4)^2 + cos(pi/4)^2",
  "(17 * 23 - 4) / 7",
  "log(1000, 10) + log(e^2)",
  "2^10 - 3^5",
  "12.5% * 80",
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function timeEach(fn: (expression: string) => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const expression = expressions[i % expressions.length] as string;
    const start = performance.now();
    fn(expression);
    samples.push(performance.now() - start);
  }
  return samples;
}

// Calculator: per-call latency, pooled over rounds after a warm-up.
for (let i = 0; i < (smoke ? 50 : 500); i++) {
  evaluateExpression(expressions[i % expressions.length] as string);
  bareEvaluate((expressions[i % expressions.length] as string).replace("12.5% * 80", "12.5 / 100 * 80"));
}
const calc: number[] = [];
const bare: number[] = [];
for (let r = 0; r < rounds; r++) {
  calc.push(...timeEach((e) => evaluateExpression(e)));
  bare.push(...timeEach((e) => bareEvaluate(e.replace("12.5% * 80", "12.5 / 100 * 80"))));
}

// Code executor: cold = a new executor's first run (isolate, and in process mode the child
// Node process, created); warm = a pooled isolate with a fresh context. Both isolation modes.
const snippet = "1 + 1";
async function executorTimes(isolation: "process" | "in-process") {
  const cold: number[] = [];
  for (let r = 0; r < (smoke ? 2 : Math.max(5, rounds)); r++) {
    const executor = createCodeExecutor({ poolSize: 1, isolation });
    const start = performance.now();
    const result = await executor.run(snippet);
    cold.push(performance.now() - start);
    if (!result.ok) throw new Error(`executor failed: ${JSON.stringify(result)}`);
    await executor.dispose();
  }
  const executor = createCodeExecutor({ poolSize: 2, isolation });
  await executor.warmUp();
  for (let i = 0; i < (smoke ? 5 : 50); i++) await executor.run(snippet);
  const warm: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < (smoke ? 10 : 100); i++) {
      const start = performance.now();
      await executor.run(snippet);
      warm.push(performance.now() - start);
    }
  }
  await executor.dispose();
  return { cold, warm };
}
const processMode = await executorTimes("process");
const inProcess = await executorTimes("in-process");
const nodeVm: number[] = [];
for (let i = 0; i < (smoke ? 50 : 700); i++) {
  const start = performance.now();
  vm.runInNewContext(snippet, {}, { timeout: 1000 });
  nodeVm.push(performance.now() - start);
}

const r3 = (n: number) => Number(n.toFixed(3));
const result = {
  calculator_p50_ms: r3(median(calc)),
  calculator_p99_ms: r3(percentile(calc, 99)),
  bare_mathjs_p50_ms: r3(median(bare)),
  bare_mathjs_p99_ms: r3(percentile(bare, 99)),
  executor_cold_p50_ms: r3(median(processMode.cold)),
  executor_warm_p50_ms: r3(median(processMode.warm)),
  executor_warm_p99_ms: r3(percentile(processMode.warm, 99)),
  in_process_cold_p50_ms: r3(median(inProcess.cold)),
  in_process_warm_p50_ms: r3(median(inProcess.warm)),
  in_process_warm_p99_ms: r3(percentile(inProcess.warm, 99)),
  node_vm_new_context_p50_ms: r3(median(nodeVm)),
  ...(smoke ? { smoke: true } : {}),
};
console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}calculator: p50 ${result.calculator_p50_ms} ms, p99 ${result.calculator_p99_ms} ms over ${calc.length} calls (bare mathjs evaluate: p50 ${result.bare_mathjs_p50_ms} ms, p99 ${result.bare_mathjs_p99_ms} ms)`,
);
console.log(
  `code executor, process isolation (default): cold p50 ${result.executor_cold_p50_ms} ms, warm p50 ${result.executor_warm_p50_ms} ms, p99 ${result.executor_warm_p99_ms} ms`,
);
console.log(
  `code executor, in-process isolation: cold p50 ${result.in_process_cold_p50_ms} ms, warm p50 ${result.in_process_warm_p50_ms} ms, p99 ${result.in_process_warm_p99_ms} ms`,
);
console.log(`node:vm new context (no isolation, for reference): p50 ${result.node_vm_new_context_p50_ms} ms`);
console.log(JSON.stringify(result));
