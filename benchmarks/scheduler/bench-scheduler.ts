/**
 * Model placement: Ollama's scheduler, plain LRU, TinyLLM's policy (also with the router on a
 * CPU-only Ollama beside the GPU one) and Belady's offline optimum, replayed by the
 * discrete-event simulator of @tinyllm/models on request traces.
 *
 *   pnpm bench:scheduler [--rates 2,4,6] [--seed 1] [--pin model,model] [--offload-horizon ms] [--interactive-only] [--smoke]
 *   pnpm bench:scheduler --trace FILE --setup FILE [--pin model,model] [--cpu model] [--offload-horizon ms]
 *
 * The default traces come from the routing set (routing/routing-set.jsonl: 344 labelled
 * queries, one run each), expanded into the calls of graphs/multi_domain.yaml
 * (generate-trace.ts), at three arrival rates, on two set-ups: one 8 GB GPU, and two hosts
 * with 12 GB each. The simulation is deterministic: one run gives the figures. `--smoke`
 * replays the first 40 queries. Bad input exits with 2. Last line: one JSON object.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  createBeladyPolicy,
  createLruPolicy,
  createOllamaPolicy,
  createTinyLLMPolicy,
  parseSetup,
  parseTrace,
  PlacementInputError,
  simulatePlacement,
  tokensPerSecond,
  type PlacementPolicy,
  type PlacementSetup,
  type PlacementSummary,
  type TraceCall,
} from "@tinyllm/models";
import { smoke } from "../executor/stats";
import { expectedCallsPerRun, generateTrace, routeOf, tierModels, traceRates, type Route } from "./generate-trace";

const here = import.meta.dirname;

/** Bad input: a message and exit code 2, no stack trace. */
function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith("--")) usageError(`--${name} needs a value`);
  return value;
};
const readText = (file: string, what: string): string => {
  try {
    // A path is the caller's: `pnpm bench:scheduler` runs here, in benchmarks/, and pnpm keeps where it was called in INIT_CWD.
    return readFileSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), file), "utf8");
  } catch (error) {
    return usageError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
};

/** Q4_K_M models with the KV cache and buffers of a 4k context; load = 400 ms + 0.5 ms/MB (about 2 GB/s from an NVMe disk). */
const models: PlacementSetup["models"] = {
  [tierModels.T0]: { sizeMB: 600, loadMs: 700 },
  [tierModels.T1]: { sizeMB: 2400, loadMs: 1600 },
  [tierModels.T2]: { sizeMB: 5000, loadMs: 2900 },
  [tierModels.T3]: { sizeMB: 9000, loadMs: 4900 },
};
/**
 * System memory for models on a CPU-only Ollama beside each GPU one (tinyllm-cpu-router and tinyllm-cpu-offload only; the
 * other policies never place models there).
 */
const cpuRamMB = 4096;
/** The set-up with {@link cpuRamMB} on every host that has none. */
const withCpuRam = (setup: PlacementSetup): PlacementSetup => ({ ...setup, hosts: setup.hosts.map((h) => ({ ...h, ramMB: h.ramMB ?? cpuRamMB })) });
/** 512 MB of each card go to the driver and runtime. */
const setups: { name: string; setup: PlacementSetup; pinned: string[] }[] = [
  // No pin on 8 GB: T0 + T1 + T2 (8,000 MB) do not fit its 7,680 MB, and a pinned T0 costs T1 reloads (README).
  { name: "1×8GB", setup: { hosts: [{ name: "gpu0", vramMB: 8192, reservedMB: 512 }], models }, pinned: [] },
  {
    name: "2×12GB",
    setup: {
      hosts: [
        { name: "gpu0", vramMB: 12288, reservedMB: 512 },
        { name: "gpu1", vramMB: 12288, reservedMB: 512 },
      ],
      models,
    },
    pinned: [tierModels.T0, tierModels.T3],
  },
];

interface Scenario {
  setupName: string;
  load: string;
  trace: TraceCall[];
  setup: PlacementSetup;
  pinned: string[];
  prior: Record<string, number>;
  /** The set-up of tinyllm-cpu-router, with system memory for CPU models; absent: the row is left out. */
  cpuSetup?: PlacementSetup;
  /** The model tinyllm-cpu-router runs on the CPU (and pins). */
  cpuModel?: string;
}

const pinFlag = arg("pin");
const interactiveOnly = process.argv.includes("--interactive-only");
/** The `offloadHorizonMs` of the offload rows: a model larger than the GPU shares it rather than evict a model expected back within it. */
const offloadHorizonMs = Number(arg("offload-horizon") ?? 30_000);
if (!Number.isInteger(offloadHorizonMs) || offloadHorizonMs <= 0) usageError("--offload-horizon must be a whole number of ms > 0, like 30000");
const ownTrace = arg("trace");
const ownSetup = arg("setup");
const scenarios: Scenario[] = [];
if (ownTrace !== undefined || ownSetup !== undefined) {
  if (ownTrace === undefined || ownSetup === undefined) usageError("--trace and --setup go together: a JSONL trace and a JSON set-up");
  try {
    const setup = parseSetup(readText(ownSetup, "set-up"), { source: ownSetup });
    const trace = parseTrace(readText(ownTrace, "trace"), { source: ownTrace, setup });
    if (trace.length === 0) usageError(`${ownTrace}: the trace has no calls`);
    const pinned = (pinFlag ?? "").split(",").filter((m) => m !== "");
    for (const model of pinned) if (!Object.hasOwn(setup.models, model)) usageError(`--pin ${model}: not a model of ${ownSetup}`);
    // With system memory on a host and --cpu MODEL, the CPU-router row runs too.
    const cpuModel = arg("cpu");
    if (cpuModel !== undefined && !Object.hasOwn(setup.models, cpuModel)) usageError(`--cpu ${cpuModel}: not a model of ${ownSetup}`);
    if (cpuModel !== undefined && !setup.hosts.some((h) => (h.ramMB ?? 0) > 0)) usageError(`--cpu needs a host with "ramMB" in ${ownSetup}`);
    const cpuSizeMB = cpuModel === undefined ? 0 : (setup.models[cpuModel]?.sizeMB ?? 0);
    if (cpuModel !== undefined && !setup.hosts.some((h) => (h.ramMB ?? 0) >= cpuSizeMB))
      usageError(`--cpu ${cpuModel} needs ${cpuSizeMB} MB, more than any host's "ramMB" in ${ownSetup}`);
    scenarios.push({
      setupName: path.basename(ownSetup),
      load: path.basename(ownTrace),
      trace,
      setup,
      pinned,
      prior: {},
      ...(cpuModel !== undefined ? { cpuSetup: setup, cpuModel } : {}),
    });
  } catch (error) {
    if (error instanceof PlacementInputError) usageError(error.message);
    throw error;
  }
} else {
  const rates = (arg("rates") ?? "2,4,6").split(",").map(Number);
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) usageError(`--rates must be runs per minute > 0, like 2,4,6`);
  const seed = Number(arg("seed") ?? 1);
  if (!Number.isInteger(seed)) usageError("--seed must be an integer");
  const routingSet = path.join(here, "../routing/routing-set.jsonl");
  const routes: Route[] = readText(routingSet, "routing set")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => routeOf((JSON.parse(line) as { labels: string[] }).labels))
    .slice(0, smoke ? 40 : undefined);
  const pins = pinFlag?.split(",").filter((m) => m !== "");
  for (const model of pins ?? []) if (!Object.hasOwn(models, model)) usageError(`--pin ${model}: not one of ${Object.keys(models).join(", ")}`);
  for (const { name, setup, pinned: setupPins } of setups) {
    const pinned = pins ?? setupPins;
    const capacityMB = Math.min(...setup.hosts.map((h) => h.vramMB - (h.reservedMB ?? 0)));
    const nominalMs = (model: string, tokens: number) => (tokens / tokensPerSecond(setup.models[model] as PlacementSetup["models"][string], capacityMB)) * 1000;
    for (const rate of rates) {
      scenarios.push({
        setupName: name,
        load: `${rate} runs/min`,
        // --interactive-only: the same trace without its batch runs (a relaxation: no schedule of the full trace waits less).
        trace: generateTrace({ routes, runsPerMinute: rate, seed, nominalMs }).filter((call) => !interactiveOnly || call.priority === "interactive"),
        setup,
        pinned,
        prior: expectedCallsPerRun(routes),
        cpuSetup: withCpuRam(setup),
        cpuModel: tierModels.T0,
      });
    }
  }
}

const policyNames = ["ollama", "lru", "tinyllm", "tinyllm-batched", "tinyllm-offload", "tinyllm-cpu-router", "tinyllm-cpu-offload", "belady"] as const;
/** TinyLLM with loads first: a call for a model that needs the whole host waits 20 s for company. */
const batchedDelayMs = 20_000;
type PolicyName = (typeof policyNames)[number];
type CpuRow = "tinyllm-cpu-router" | "tinyllm-cpu-offload";
type Summaries = Record<Exclude<PolicyName, CpuRow>, PlacementSummary> & Partial<Record<CpuRow, PlacementSummary>>;
const results: { scenario: Scenario; summaries: Summaries }[] = [];
for (const scenario of scenarios) {
  const { trace, setup, cpuSetup, cpuModel } = scenario;
  const cpu = cpuSetup && cpuModel !== undefined ? { setup: cpuSetup, model: cpuModel } : undefined;
  const run = (policy: PlacementPolicy, on = setup) => simulatePlacement({ trace, setup: on, policy }).summary;
  const summaries: Summaries = {
    ollama: run(createOllamaPolicy()),
    lru: run(createLruPolicy()),
    tinyllm: run(createTinyLLMPolicy({ pinned: scenario.pinned, expectedCallsPerRun: scenario.prior })),
    "tinyllm-batched": run(createTinyLLMPolicy({ pinned: scenario.pinned, expectedCallsPerRun: scenario.prior, wholeHostDelayMs: batchedDelayMs })),
    "tinyllm-offload": run(createTinyLLMPolicy({ pinned: scenario.pinned, expectedCallsPerRun: scenario.prior, offloadHorizonMs })),
    ...(cpu
      ? {
          "tinyllm-cpu-router": run(
            createTinyLLMPolicy({ pinned: [...new Set([...scenario.pinned, cpu.model])], cpuModels: [cpu.model], expectedCallsPerRun: scenario.prior }),
            cpu.setup,
          ),
          "tinyllm-cpu-offload": run(
            createTinyLLMPolicy({
              pinned: [...new Set([...scenario.pinned, cpu.model])],
              cpuModels: [cpu.model],
              expectedCallsPerRun: scenario.prior,
              offloadHorizonMs,
            }),
            cpu.setup,
          ),
        }
      : {}),
    belady: run(createBeladyPolicy({ trace })),
  };
  results.push({ scenario, summaries });
}

const s = (ms: number) => (ms / 1000).toFixed(1);
process.stdout.write(
  `Model placement, simulated (deterministic). Rates from the model sizes: ${Object.entries(models)
    .map(
      ([name, m]) =>
        `${name} ${m.sizeMB} MB, load ${m.loadMs} ms, ${tokensPerSecond(m, 7680).toFixed(1)} tok/s on 8 GB / ${tokensPerSecond(m, 11776).toFixed(1)} on 12 GB`,
    )
    .join("; ")}.\n` +
    `Runs: first answer fails ${traceRates.firstFailRate * 100}%, retry fails ${traceRates.retryFailRate * 100}% (T2 for ${Math.round(traceRates.firstFailRate * traceRates.retryFailRate * 100)}% of runs), judge ${Object.entries(
      traceRates.judgeRate,
    )
      .map(([r, v]) => `${r} ${v * 100}%`)
      .join(", ")}; ${traceRates.interactiveShare * 100}% of runs interactive.${smoke ? " SMOKE: 40 queries." : ""}\n\n`,
);
for (const { scenario, summaries } of results) {
  const first = summaries.ollama;
  process.stdout.write(
    `## ${scenario.setupName}, ${scenario.load}: ${scenario.trace.length} calls (${first.interactiveCalls} interactive, ${first.batchCalls} batch)\n\n`,
  );
  process.stdout.write(
    "| policy | loads | load time s | interactive wait p50 s | interactive wait p95 s | interactive run p95 s | batch wait p95 s | batch tok/s |\n|---|---|---|---|---|---|---|---|\n",
  );
  for (const name of policyNames) {
    const r = summaries[name];
    if (!r) continue;
    process.stdout.write(
      `| ${name} | ${r.loads} | ${s(r.totalLoadMs)} | ${s(r.interactiveWaitP50Ms)} | ${s(r.interactiveWaitP95Ms)} | ${s(r.interactiveRunP95Ms)} | ${s(r.batchWaitP95Ms)} | ${r.batchTokensPerSecond.toFixed(1)} |\n`,
    );
  }
  const { ollama, belady } = summaries;
  process.stdout.write("\n");
  for (const name of ["tinyllm", "tinyllm-batched", "tinyllm-offload", "tinyllm-cpu-router", "tinyllm-cpu-offload"] as const) {
    const tiny = summaries[name];
    if (!tiny) continue;
    const fewer = ollama.loads > 0 ? 1 - tiny.loads / ollama.loads : 0;
    const overBelady = belady.loads > 0 ? tiny.loads / belady.loads - 1 : 0;
    const p95Share = ollama.interactiveWaitP95Ms > 0 ? tiny.interactiveWaitP95Ms / ollama.interactiveWaitP95Ms : 0;
    process.stdout.write(
      `${name} vs Ollama: ${(fewer * 100).toFixed(0)}% fewer loads (target ≥ 30%: ${fewer >= 0.3 ? "met" : "NOT met"}); ` +
        `${Math.abs(overBelady * 100).toFixed(0)}% ${overBelady >= 0 ? "more" : "fewer"} loads than Belady (target within 10%: ${tiny.loads <= belady.loads * 1.1 ? "met" : "NOT met"}); ` +
        `interactive p95 wait ${(p95Share * 100).toFixed(0)}% of Ollama's (target ≤ 50%: ${tiny.interactiveWaitP95Ms <= ollama.interactiveWaitP95Ms / 2 ? "met" : "NOT met"}).\n`,
    );
  }
  process.stdout.write("\n");
}

// The default trace and set-up: the first set-up (the 8 GB GPU) at its middle rate (or the one given).
const onFirstSetup = results.filter((r) => r.scenario.setupName === results[0]?.scenario.setupName);
const main = onFirstSetup[Math.floor((onFirstSetup.length - 1) / 2)] as (typeof results)[number];
const round = (ms: number) => Math.round(ms);
process.stdout.write(
  `${JSON.stringify({
    bench: "scheduler",
    smoke,
    setup: main.scenario.setupName,
    load: main.scenario.load,
    calls: main.scenario.trace.length,
    loads_ollama: main.summaries.ollama.loads,
    loads_lru: main.summaries.lru.loads,
    loads_tinyllm: main.summaries.tinyllm.loads,
    loads_belady: main.summaries.belady.loads,
    loads_tinyllm_batched: main.summaries["tinyllm-batched"].loads,
    load_ms_ollama: round(main.summaries.ollama.totalLoadMs),
    load_ms_tinyllm: round(main.summaries.tinyllm.totalLoadMs),
    p50_wait_interactive_ms_ollama: round(main.summaries.ollama.interactiveWaitP50Ms),
    p50_wait_interactive_ms_tinyllm: round(main.summaries.tinyllm.interactiveWaitP50Ms),
    p95_wait_interactive_ms_ollama: round(main.summaries.ollama.interactiveWaitP95Ms),
    p95_wait_interactive_ms_lru: round(main.summaries.lru.interactiveWaitP95Ms),
    p95_wait_interactive_ms_tinyllm: round(main.summaries.tinyllm.interactiveWaitP95Ms),
    p95_wait_interactive_ms_belady: round(main.summaries.belady.interactiveWaitP95Ms),
    p95_wait_interactive_ms_tinyllm_batched: round(main.summaries["tinyllm-batched"].interactiveWaitP95Ms),
    offload_horizon_ms: offloadHorizonMs,
    loads_tinyllm_offload: main.summaries["tinyllm-offload"].loads,
    p95_wait_interactive_ms_tinyllm_offload: round(main.summaries["tinyllm-offload"].interactiveWaitP95Ms),
    p95_run_interactive_ms_tinyllm_offload: round(main.summaries["tinyllm-offload"].interactiveRunP95Ms),
    ...(main.summaries["tinyllm-cpu-router"]
      ? {
          loads_tinyllm_cpu_router: main.summaries["tinyllm-cpu-router"].loads,
          p95_wait_interactive_ms_tinyllm_cpu_router: round(main.summaries["tinyllm-cpu-router"].interactiveWaitP95Ms),
          p95_run_interactive_ms_tinyllm_cpu_router: round(main.summaries["tinyllm-cpu-router"].interactiveRunP95Ms),
        }
      : {}),
    ...(main.summaries["tinyllm-cpu-offload"]
      ? {
          loads_tinyllm_cpu_offload: main.summaries["tinyllm-cpu-offload"].loads,
          p95_wait_interactive_ms_tinyllm_cpu_offload: round(main.summaries["tinyllm-cpu-offload"].interactiveWaitP95Ms),
          p95_run_interactive_ms_tinyllm_cpu_offload: round(main.summaries["tinyllm-cpu-offload"].interactiveRunP95Ms),
        }
      : {}),
    p95_run_interactive_ms_ollama: round(main.summaries.ollama.interactiveRunP95Ms),
    p95_run_interactive_ms_tinyllm: round(main.summaries.tinyllm.interactiveRunP95Ms),
    batch_tokens_per_s_ollama: Number(main.summaries.ollama.batchTokensPerSecond.toFixed(1)),
    batch_tokens_per_s_tinyllm: Number(main.summaries.tinyllm.batchTokensPerSecond.toFixed(1)),
  })}\n`,
);
