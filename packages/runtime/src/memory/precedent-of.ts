import { compileTemplate, type CompiledGraph, type Precedent, type RunResult } from "@tinyllm/core";
import { routerScope, type RouterConfig } from "@tinyllm/models";

/**
 * The precedent a finished run leaves, or `undefined` when it leaves none: the graph must have a
 * router, the run must have taken a route (`state.route`) and been graded with a decided verdict
 * (`state.verdict.pass` true or false). The query is the text the router classified, rendered
 * again from the final state with the router's `query` template.
 * @internal
 */
export function precedentOf(graph: CompiledGraph, result: RunResult): Precedent | undefined {
  const router = graph.nodeList.find((node) => node.kind === "router");
  if (!router) return undefined;
  const route = result.state["route"];
  const verdict = result.state["verdict"] as { pass?: unknown; score?: unknown } | undefined;
  if (typeof route !== "string" || typeof verdict?.pass !== "boolean") return undefined;
  const config = router.config as RouterConfig;
  const template = compileTemplate(config.query ?? "{{ input }}");
  if (!template.ok) return undefined;
  const query = String(template.template.render(result.state) ?? "").trim();
  if (query === "") return undefined;
  const score = typeof verdict.score === "number" && Number.isFinite(verdict.score) && verdict.score >= 0 && verdict.score <= 1 ? verdict.score : null;
  return { query, route, pass: verdict.pass, score, scope: routerScope(config) };
}
