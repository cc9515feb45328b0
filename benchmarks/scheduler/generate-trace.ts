/**
 * Default traces for the scheduler benchmark: the routing set's queries, routed by their labels,
 * expanded into the model calls a run of graphs/multi_domain.yaml makes, with Poisson arrivals.
 * Seeded (mulberry32): a seed always gives the same trace.
 */
import type { CallPriority, TraceCall } from "@tinyllm/models";
import { seededRandom } from "../memory/conversation-generator";

/** The four tiers' models (packages/models/src/config/default-tiers.ts). */
export const tierModels = { T0: "qwen2.5:0.5b", T1: "qwen2.5:3b", T2: "qwen2.5:7b", T3: "qwen2.5:14b" } as const;

export type Route = "code" | "math" | "general" | "code_math";

/**
 * The rates the expansion uses, per graded answer: the first answer fails the gate with
 * `firstFailRate` and goes back to its specialist (T1) once; that retry fails with
 * `retryFailRate` and the run escalates to T2 (0.25 × 0.6 = 15% of runs). The cheap checks
 * (rules, the math final number, the code run) cannot decide and the T3 judge is asked with
 * `judgeRate[route]`.
 */
export const traceRates = {
  firstFailRate: 0.25,
  retryFailRate: 0.6,
  judgeRate: { general: 0.4, code: 0.1, math: 0.1, code_math: 0.1 } as Record<Route, number>,
  interactiveShare: 0.6,
};

/** Tokens generated per call: [min, max] uniform. The router answers `{"route": …}`; the judge a short verdict. */
export const tokenRanges: Record<"router" | Route | "judge", [number, number]> = {
  router: [16, 32],
  code: [200, 500],
  math: [150, 350],
  general: [150, 450],
  code_math: [250, 550],
  judge: [80, 160],
};

/** The route of a labelled query: both code and math is the compound route. */
export function routeOf(labels: readonly string[]): Route {
  if (labels.includes("code") && labels.includes("math")) return "code_math";
  const [label] = labels;
  return label === "code" || label === "math" ? label : "general";
}

/** Expected calls per run of each model, from the rates and the routes' shares: the TinyLLM policy's prior. */
export function expectedCallsPerRun(routes: readonly Route[]): Record<string, number> {
  const { firstFailRate: f, retryFailRate: r, judgeRate } = traceRates;
  const answers = 1 + f + f * r;
  const judge = routes.reduce((sum, route) => sum + judgeRate[route] * answers, 0) / Math.max(1, routes.length);
  return { [tierModels.T0]: 1, [tierModels.T1]: 1 + f, [tierModels.T2]: f * r, [tierModels.T3]: judge };
}

/**
 * One run per query, in a seeded shuffled order, arriving as a Poisson process of
 * `runsPerMinute`. A call's `t` is its run's arrival plus the nominal time of the calls before
 * it (`nominalMs`); the simulator releases it later when the previous call finishes later.
 */
export function generateTrace({
  routes,
  runsPerMinute,
  seed,
  nominalMs,
}: {
  routes: readonly Route[];
  runsPerMinute: number;
  seed: number;
  nominalMs: (model: string, tokens: number) => number;
}): TraceCall[] {
  const random = seededRandom(seed);
  const between = ([min, max]: [number, number]) => Math.round(min + random() * (max - min));
  const order = routes.map((route, i) => ({ route, i, key: random() })).sort((a, b) => a.key - b.key);
  const calls: TraceCall[] = [];
  let arrivalMs = 0;
  for (const { route, i } of order) {
    arrivalMs += (-Math.log(1 - random()) / runsPerMinute) * 60_000;
    const priority: CallPriority = random() < traceRates.interactiveShare ? "interactive" : "batch";
    const run = `q${i}`;
    let t = arrivalMs;
    const add = (model: string, tokens: number) => {
      calls.push({ t: Math.round(t), run, model, priority, tokens });
      t += nominalMs(model, tokens);
    };
    add(tierModels.T0, between(tokenRanges.router));
    const answer = (model: string) => {
      add(model, between(tokenRanges[route]));
      if (random() < traceRates.judgeRate[route]) add(tierModels.T3, between(tokenRanges.judge));
    };
    answer(tierModels.T1);
    if (random() < traceRates.firstFailRate) {
      answer(tierModels.T1);
      if (random() < traceRates.retryFailRate) answer(tierModels.T2);
    }
  }
  return calls.sort((a, b) => a.t - b.t);
}
