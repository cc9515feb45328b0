import { z } from "zod";
import { RECOMMENDED_CONFIDENCE_THRESHOLD } from "../router/index";
import { mergeAbortSignals, toTinyLLMError, type SpanHandle } from "@tinyllm/core";
import { decideRoute, fastLabelsFromRoutes } from "../router/decide-route";
import { trainFastClassifier, type FastClassifier } from "../router/fast-classifier";
import { generateObject } from "@tinyllm/core";
import type { ModelResolver, PrecedentIndex, PrecedentMatch } from "@tinyllm/core";
import { decideByPrecedent, precedentsAgainst } from "../router/decide-by-precedent";
import { detectQueryShapes, queryShapes, type QueryShape } from "../router/query-shapes";

/** One route of a router: its labels, training examples and priority. */
export const RouteSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "letters, digits, _ and -"),
  /** Labels the route stands for; default `[name]`. A compound route lists several. */
  labels: z.array(z.string().min(1)).min(1).optional(),
  description: z.string().optional(),
  /** Example queries the fast classifier learns from. */
  examples: z.array(z.string().min(1)).default([]),
  /** Breaks ties between equally specific routes; higher wins. */
  priority: z.int().default(0),
});

/** Router settings, as written in a `router` node's config. */
export const RouterConfigSchema = z.strictObject({
  /** Tier or model of the LLM router. Default `T0`. */
  tier: z.string().default("T0"),
  model: z.string().optional(),
  /** Fast-path confidence at or above which the LLM is not asked. Default 0.8, the threshold the routing benchmark recommends. */
  threshold: z.number().min(0).max(1).default(RECOMMENDED_CONFIDENCE_THRESHOLD),
  /** Most labels a query gets. Default 2. */
  maxLabels: z.int().min(1).max(8).default(2),
  /** `auto`: LLM only below the threshold; `never`: fast path only; `always`: LLM only. */
  llm: z.enum(["auto", "never", "always"]).default("auto"),
  routes: z.array(RouteSchema).min(2, "a router needs at least two routes"),
  /** Route taken when nothing fits. */
  default: z.string(),
  /** Template of the text to classify. Default `{{ input }}`. */
  query: z.string().default("{{ input }}"),
  /** LLM call time limit. Default 30 s. */
  llmTimeoutMs: z.int().min(1).default(30_000),
  /**
   * Shapes that decide labels with certainty on the fast path: when a query has one of a rule's
   * shapes (`code-fence`, `stack-trace`, `function-signature`, `bare-expression`), the labels
   * chosen must include the rule's labels, and the fast path decides without asking the LLM.
   */
  rules: z
    .array(
      z.strictObject({
        when: z.array(z.enum(queryShapes)).min(1),
        labels: z.array(z.string().min(1)).min(1),
      }),
    )
    .default([]),
  /** Routing by precedent: how past graded runs of near queries are consulted, when the runtime keeps them. */
  precedents: z
    .strictObject({
      /** Consult precedents at all. Default true. */
      use: z.boolean().default(true),
      /** How many nearest precedents are looked at. Default 5. */
      k: z.int().min(1).max(50).default(5),
      /** Precedents less similar than this (0 to 1) are ignored. Default 0.5. */
      minSimilarity: z.number().min(0).max(1).default(0.5),
      /** How many passing precedents must agree to decide a route. Default 2. */
      minAgree: z.int().min(1).default(2),
    })
    .default({ use: true, k: 5, minSimilarity: 0.5, minAgree: 2 }),
});

/** Parsed router settings. */
export type RouterConfig = z.output<typeof RouterConfigSchema>;

/** How a query was routed. */
export interface RouteResult {
  route: string;
  /** The chosen labels only. */
  labels: string[];
  /** Confidence per label. */
  confidences: Record<string, number>;
  /** Confidence of the decision. */
  confidence: number;
  /**
   * Which path decided: the fast classifier, past graded runs of near queries (`precedent`),
   * or the LLM router.
   */
  decidedBy: "fast" | "precedent" | "llm";
  /** Why the LLM was not used or failed, when it was wanted. */
  llmError?: { code: string; message: string };
  /**
   * When precedents were consulted: `decided` (they chose the route), `vetoed` (near runs failed
   * on the fast path's route, so the LLM was asked), or `undecided`; with how many passing
   * precedents backed their route and their net share of the similarity.
   */
  precedent?: { outcome: "decided" | "vetoed" | "undecided"; support: number; confidence: number };
  /** The shapes of the query whose rules decided labels on the fast path (see the config's `rules`). */
  rule?: QueryShape[];
}

/** What {@link HybridRouter.route} takes besides the query. */
export interface RouteOptions {
  abortSignal?: AbortSignal;
  span?: SpanHandle;
  resolveModel?: ModelResolver;
  /** Past graded runs to consult (see the config's `precedents`); searched in {@link routerScope}. */
  precedents?: PrecedentIndex;
}

/**
 * The scope a router's precedents are kept under: its sorted route names, so every router with
 * the same routes shares them and no router consults precedents of routes it does not have.
 */
export function routerScope(config: Pick<RouterConfig, "routes">): string {
  return `routes:${config.routes
    .map((r) => r.name)
    .sort()
    .join(",")}`;
}

/** A trained hybrid router. */
export interface HybridRouter {
  readonly config: RouterConfig;
  readonly classifier: FastClassifier;
  /** The scope of its precedents, {@link routerScope}. */
  readonly scope: string;
  /**
   * Routes one query. The fast classifier decides when confident, unless near precedents failed
   * on its route; below the threshold, agreeing passing precedents decide, else the LLM. Never
   * throws but for an abort: an LLM or precedent-index failure falls back to the fast decision.
   */
  route(query: string, options?: RouteOptions): Promise<RouteResult>;
}

/** Problems of a router config beyond its schema (unknown default, labels of no route…). */
export function routerConfigProblems(config: RouterConfig): { message: string; path: (string | number)[] }[] {
  const problems: { message: string; path: (string | number)[] }[] = [];
  const names = new Set<string>();
  config.routes.forEach((route, i) => {
    if (names.has(route.name)) problems.push({ message: `route '${route.name}' is listed twice`, path: ["routes", i, "name"] });
    names.add(route.name);
  });
  if (!names.has(config.default))
    problems.push({ message: `default route '${config.default}' is not one of the routes (${[...names].join(", ")})`, path: ["default"] });
  const labels = fastLabelsFromRoutes(config.routes);
  const known = new Set(labels.map((label) => label.name));
  config.rules.forEach((rule, i) => {
    rule.labels.forEach((label, j) => {
      if (!known.has(label))
        problems.push({ message: `rule label '${label}' is not a label of any route (${[...known].join(", ")})`, path: ["rules", i, "labels", j] });
    });
  });
  if (labels.length < 2) problems.push({ message: "the routes need at least two distinct labels", path: ["routes"] });
  for (const label of labels) {
    if (label.examples.length === 0 && !label.description)
      problems.push({ message: `label '${label.name}' has no examples and no description to learn from`, path: ["routes"] });
  }
  return problems;
}

/**
 * Trains the fast classifier from the routes' examples (no model call) and returns a router
 * that decides on the fast path when its confidence clears `threshold`, and asks the LLM
 * (schema-constrained JSON) otherwise.
 */
export function createHybridRouter(config: RouterConfig, defaults: { resolveModel?: ModelResolver; precedents?: PrecedentIndex } = {}): HybridRouter {
  const classifier = trainFastClassifier({ labels: fastLabelsFromRoutes(config.routes) });
  const routes = config.routes.map((r) => ({ name: r.name, labels: r.labels ?? [r.name], priority: r.priority }));
  const labelNames = [...classifier.labelNames];
  const descriptions = new Map<string, string[]>();
  for (const r of config.routes) {
    for (const label of r.labels ?? [r.name]) {
      const lines = descriptions.get(label) ?? [];
      if (r.description && (r.labels ?? [r.name]).length === 1) lines.push(r.description.trim().split("\n")[0] ?? "");
      descriptions.set(label, lines);
    }
  }
  const schema = z.strictObject({
    labels: z
      .array(z.enum(labelNames as [string, ...string[]]))
      .min(1)
      .max(config.maxLabels),
  });
  const system = [
    "You are a router. Pick the labels that describe the user's query. Labels:",
    ...labelNames.map((l) => `- ${l}: ${(descriptions.get(l) ?? []).join(" ") || l}`),
    `Give one label, or up to ${config.maxLabels} when the query clearly needs several. Answer only with JSON like {"labels": ["${labelNames[0]}"]}.`,
  ].join("\n");

  const scope = routerScope(config);
  const routeLabels = new Map(routes.map((r) => [r.name, r.labels]));
  const precedentSettings = config.precedents;
  const nearestPrecedents = async (index: PrecedentIndex | undefined, query: string): Promise<PrecedentMatch[] | undefined> => {
    if (!index || !precedentSettings.use || config.llm === "always") return undefined;
    try {
      return await index.nearest(query, precedentSettings.k, { scope });
    } catch {
      // A precedent index that cannot be read never stops routing: the query is routed as if it had none.
      return undefined;
    }
  };

  return {
    config,
    classifier,
    scope,
    async route(query, { abortSignal, span, resolveModel = defaults.resolveModel, precedents = defaults.precedents } = {}) {
      const shapes = config.rules.length > 0 ? detectQueryShapes(query) : [];
      const firing = shapes.length > 0 ? config.rules.filter((rule) => rule.when.some((shape) => shapes.includes(shape))) : [];
      const required = [...new Set(firing.flatMap((rule) => rule.labels))];
      const rule = firing.length > 0 ? shapes.filter((shape) => firing.some((r) => r.when.includes(shape))) : undefined;
      const fast = required.length > 0 ? classifier.classify(query, { require: required }) : classifier.classify(query);
      const fastLabels = fast.labels.slice(0, config.maxLabels);
      const fastRoute = decideRoute({ scores: fast.scores, labels: fastLabels }, routes, config.default).route;
      let precedent: RouteResult["precedent"];
      const fastDecision = (): RouteResult => ({
        route: fastRoute,
        labels: fastLabels,
        confidences: roundAll(fast.scores),
        confidence: round(fast.confidence),
        decidedBy: "fast",
        ...(rule ? { rule } : {}),
        ...(precedent ? { precedent } : {}),
      });
      const confident = config.llm !== "always" && (rule !== undefined || fast.confidence >= config.threshold);
      const matches = await nearestPrecedents(precedents, query);
      if (matches && matches.length > 0) {
        const options = { minSimilarity: precedentSettings.minSimilarity, minAgree: precedentSettings.minAgree };
        const decision = decideByPrecedent(matches, options);
        const known = decision && routeLabels.has(decision.route) ? decision : undefined;
        if (confident && precedentsAgainst(matches, fastRoute, options) && known?.route !== fastRoute) {
          precedent = { outcome: "vetoed", support: known?.support ?? 0, confidence: round(known?.confidence ?? 0) };
        } else if (!confident && known) {
          const labels = routeLabels.get(known.route) ?? [known.route];
          const confidences: Record<string, number> = {};
          for (const l of labelNames) confidences[l] = labels.includes(l) ? round(known.confidence) : 0;
          return {
            route: known.route,
            labels: [...labels],
            confidences,
            confidence: round(known.confidence),
            decidedBy: "precedent",
            precedent: { outcome: "decided", support: known.support, confidence: round(known.confidence) },
          };
        } else if (!confident) {
          precedent = { outcome: "undecided", support: known?.support ?? 0, confidence: round(known?.confidence ?? 0) };
        }
      }
      if (abortSignal?.aborted) throw abortSignal.reason;
      if (config.llm === "never" || (confident && precedent?.outcome !== "vetoed")) return fastDecision();
      if (!resolveModel) return { ...fastDecision(), llmError: { code: "NO_PROVIDER", message: "no model provider to ask" } };
      let child: SpanHandle | undefined;
      try {
        const resolved = resolveModel({ tier: config.tier, ...(config.model ? { model: config.model } : {}) });
        child = span?.startChild({ kind: "model", name: resolved.model, input: query, attributes: { purpose: "route", provider: resolved.provider.id } });
        const timeout = AbortSignal.timeout(config.llmTimeoutMs);
        const { object, result } = await generateObject({
          provider: resolved.provider,
          model: resolved.model,
          schema,
          system,
          messages: [{ role: "user", content: query }],
          temperature: 0,
          seed: 42,
          maxTokens: 64,
          abortSignal: mergeAbortSignals(abortSignal, timeout),
        });
        child?.end({ output: object, tokens: { input: result.usage.inputTokens, output: result.usage.outputTokens } });
        const chosen = [...new Set(object.labels)];
        const confidences: Record<string, number> = {};
        for (const l of labelNames) confidences[l] = chosen.includes(l) ? 1 : 0;
        return {
          route: decideRoute({ scores: confidences, labels: chosen }, routes, config.default).route,
          labels: chosen,
          confidences,
          confidence: 1,
          decidedBy: "llm",
          ...(precedent ? { precedent } : {}),
        };
      } catch (thrown) {
        const error = toTinyLLMError(thrown);
        child?.end({ error: { code: error.code, message: error.message } });
        if (abortSignal?.aborted) throw thrown;
        return { ...fastDecision(), llmError: { code: error.code, message: error.message } };
      }
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function roundAll(scores: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(scores)) out[k] = round(v);
  return out;
}
