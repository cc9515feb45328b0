/**
 * Turning a multi-label classification into one route, and route configurations into
 * classifier labels.
 *
 * @module
 */
import type { FastClassification, FastLabelSpec } from "./fast-classifier";

/** A route as {@link decideRoute} sees it: the labels it stands for. */
export interface RouteLabels {
  /** Route name, returned as {@link RouteDecision.route}. */
  name: string;
  /**
   * The labels the route stands for; a compound route lists several (`code_math` →
   * `["code", "math"]`). A route with no labels is never chosen (except as the default).
   */
  labels: readonly string[];
  /** Breaks ties between equally specific routes; higher wins. Default 0. */
  priority?: number;
}

/** The route {@link decideRoute} picked. */
export interface RouteDecision {
  /** The chosen route name. */
  route: string;
  /** The labels of the chosen route (empty for the default route). */
  labels: string[];
  /** True when no route fitted and `defaultRoute` was returned. */
  isDefault: boolean;
}

/**
 * Picks the route for a classification. A route fits when all its labels are among the
 * chosen `labels`. Among fitting routes the most specific wins (the most labels), then the
 * highest `priority`, then the highest mean score of its labels, then the first declared.
 * When nothing fits, `defaultRoute` is returned.
 *
 * @example
 * ```ts
 * const routes = [
 *   { name: "code", labels: ["code"] },
 *   { name: "math", labels: ["math"] },
 *   { name: "code_math", labels: ["code", "math"] },
 *   { name: "general", labels: ["general"] },
 * ];
 * decideRoute(classifier.classify("fibonacci in rust"), routes, "general").route; // "code_math"
 * ```
 */
export function decideRoute(
  classification: Pick<FastClassification, "scores" | "labels">,
  routes: readonly RouteLabels[],
  defaultRoute: string,
): RouteDecision {
  const chosen = new Set(classification.labels);
  let best: { route: RouteLabels; size: number; priority: number; score: number } | undefined;
  for (const route of routes) {
    const labels = [...new Set(route.labels)];
    if (labels.length === 0 || !labels.every((l) => chosen.has(l))) continue;
    const candidate = {
      route,
      size: labels.length,
      priority: route.priority ?? 0,
      score: labels.reduce((sum, l) => sum + (classification.scores[l] ?? 0), 0) / labels.length,
    };
    if (
      !best ||
      candidate.size > best.size ||
      (candidate.size === best.size && (candidate.priority > best.priority || (candidate.priority === best.priority && candidate.score > best.score)))
    ) {
      best = candidate;
    }
  }
  if (!best) return { route: defaultRoute, labels: [], isDefault: true };
  return { route: best.route.name, labels: [...best.route.labels], isDefault: false };
}

/** A route with training text, as written in a graph file. */
export interface TrainableRoute {
  name: string;
  /** The labels the route stands for; default `[name]`. */
  labels?: readonly string[];
  description?: string;
  examples?: readonly string[];
}

/**
 * Converts routes with examples into classifier labels: every label collects the examples
 * and descriptions of every route that stands for it, so the examples of a compound route
 * (`labels: [code, math]`) become multi-label examples. Labels come out in order of first
 * appearance.
 *
 * @example
 * ```ts
 * const classifier = trainFastClassifier({ labels: fastLabelsFromRoutes(config.routes) });
 * ```
 */
export function fastLabelsFromRoutes(routes: readonly TrainableRoute[]): FastLabelSpec[] {
  const byName = new Map<string, { examples: string[]; descriptions: string[] }>();
  for (const route of routes) {
    const labels = route.labels && route.labels.length > 0 ? route.labels : [route.name];
    for (const label of labels) {
      const entry = byName.get(label) ?? { examples: [], descriptions: [] };
      entry.examples.push(...(route.examples ?? []));
      if (route.description?.trim()) entry.descriptions.push(route.description.trim());
      byName.set(label, entry);
    }
  }
  return [...byName].map(([name, { examples, descriptions }]) => {
    const spec: FastLabelSpec = { name, examples };
    if (descriptions.length > 0) spec.description = descriptions.join("\n");
    return spec;
  });
}
