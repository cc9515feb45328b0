import { compileTemplate, type CompiledGraph, type Precedent, type RunResult, type Template } from "@tinyllm/core";
import { routerScope, type RouterConfig } from "@tinyllm/models";

/** What a graph's router needs to turn a run into a precedent, worked out once per graph (`null`: no router). */
const routerOf = new WeakMap<CompiledGraph, { query: Template; scope: string } | null>();

function routerFor(graph: CompiledGraph): { query: Template; scope: string } | null {
  let found = routerOf.get(graph);
  if (found === undefined) {
    const config = graph.nodeList.find((node) => node.kind === "router")?.config as RouterConfig | undefined;
    const query = config ? compileTemplate(config.query) : undefined;
    found = config && query?.ok ? { query: query.template, scope: routerScope(config) } : null;
    routerOf.set(graph, found);
  }
  return found;
}

/**
 * The precedent a finished run leaves, or `undefined` when it leaves none: the graph must have a
 * router, the run must have taken a route (`state.route`) and been graded with a decided verdict
 * (`state.verdict.pass` true or false). The query is the text the router classified, rendered
 * again from the final state with the router's `query` template.
 * @internal
 */
export function precedentOf(graph: CompiledGraph, result: RunResult): Precedent | undefined {
  const router = routerFor(graph);
  if (!router) return undefined;
  const route = result.state["route"];
  const verdict = result.state["verdict"] as { pass?: unknown; score?: unknown } | undefined;
  if (typeof route !== "string" || typeof verdict?.pass !== "boolean") return undefined;
  const query = String(router.query.render(result.state) ?? "").trim();
  if (query === "") return undefined;
  const score = typeof verdict.score === "number" && Number.isFinite(verdict.score) && verdict.score >= 0 && verdict.score <= 1 ? verdict.score : null;
  return { query, route, pass: verdict.pass, score, scope: router.scope };
}
