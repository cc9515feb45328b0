import { compileTemplate, defineNodeKind, type NodeKind } from "@tinyllm/core";
import { createHybridRouter, RouterConfigSchema, routerConfigProblems, type RouterConfig } from "./hybrid-router";
import type { ModelResolver, PrecedentIndex } from "@tinyllm/core";

/** Options of {@link createRouterKind}. */
export interface RouterKindOptions {
  /** Resolves the router's tier or model. Without it the router uses its fast path only. */
  resolveModel?: ModelResolver;
  /**
   * Past graded runs the router consults (routing by precedent, see the config's `precedents`).
   * The runtime passes its precedent index and records every gated run in it.
   */
  precedents?: PrecedentIndex;
}

/**
 * The `router` node kind: multi-label classification of the query into the graph's routes.
 * A fast classifier trained from the routes' examples when the graph loads decides when
 * confident; otherwise agreeing precedents (past graded runs of near queries) decide, or the LLM
 * router answers with schema-constrained JSON. Writes `route`,
 * `labels`, `confidences`, `confidence` and `decidedBy`; route with edge conditions such as
 * `route == "code"`. The node's span records the decision.
 */
export function createRouterKind({ resolveModel, precedents }: RouterKindOptions = {}): NodeKind<RouterConfig> {
  return defineNodeKind({
    kind: "router",
    description: "Routes the query to one of the graph's routes (fast classifier, LLM when unsure).",
    configSchema: RouterConfigSchema,
    writes: () => ["route", "labels", "confidences", "confidence", "decidedBy"],
    reads: (config) => {
      const t = compileTemplate(config.query);
      return t.ok ? t.template.fields : [];
    },
    check: (config) => {
      const problems = routerConfigProblems(config).map((p) => ({ ...p, hint: "fix the router's routes" }));
      const t = compileTemplate(config.query);
      if (!t.ok) problems.push({ message: `query template does not parse: ${t.error.message}`, path: ["query"], hint: "e.g. {{ input }}" });
      return problems;
    },
    create: (config) => {
      const router = createHybridRouter(config, { ...(resolveModel ? { resolveModel } : {}), ...(precedents ? { precedents } : {}) });
      const query = compileTemplate(config.query);
      if (!query.ok) throw new Error(query.error.message);
      return async (state, context) => {
        const text = String(query.template.render(state) ?? "");
        const result = await router.route(text, { abortSignal: context.abortSignal, span: context.span });
        const decision = {
          route: result.route,
          labels: result.labels,
          confidences: result.confidences,
          decidedBy: result.decidedBy,
          ...(result.llmError ? { llmError: result.llmError.message } : {}),
          ...(result.precedent ? { precedent: result.precedent } : {}),
          ...(result.rule ? { rule: result.rule } : {}),
        };
        context.span.setAttributes(decision);
        context.emit({ type: "node-info", name: "route", data: decision });
        return {
          patch: { route: result.route, labels: result.labels, confidences: result.confidences, confidence: result.confidence, decidedBy: result.decidedBy },
        };
      };
    },
  });
}
