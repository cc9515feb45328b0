import { existsSync } from "node:fs";
import path from "node:path";
import type { BenchItem } from "./bench-item";
import { badRow, firstItems, parseJsonLines, readDataFile } from "./read-data-file";
import type { Suite } from "./suite";

/**
 * Routing: queries labelled with the domains they need (`{"query", "labels"}` per line, as
 * `benchmarks/routing/routing-set.jsonl`). The graph passes an item when its router gives exactly
 * the expected labels (a code-and-math query must take the compound route). A lone model does not
 * route, so this suite runs the graph alone.
 */
export const routingSuite: Suite = {
  name: "routing",
  description: "Routing set: labelled queries, scored by the router's labels",
  baselines: false,
  dataFile: "routing-set.jsonl",
  system: "You are a helpful assistant.",
  async load(dataDir, { limit } = {}) {
    const relative = existsSync(path.resolve(dataDir, "routing/routing-set.jsonl")) ? "routing/routing-set.jsonl" : "routing-set.jsonl";
    const { file, text } = await readDataFile(dataDir, relative, "routing");
    return firstItems(parseJsonLines(text, file), limit).map((row, index): BenchItem => {
      const { query, labels } = (row ?? {}) as Record<string, unknown>;
      if (typeof query !== "string" || !Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === "string"))
        throw badRow(file, `line ${index + 1}`, 'lacks query or labels (e.g. {"query": "…", "labels": ["code"]})');
      const sorted = [...(labels as string[])].sort();
      return { id: `routing/${index}`, suite: "routing", turns: [query], labels: sorted, category: sorted.join("+") };
    });
  },
  async score(item, _answers, { route, routeLabels }) {
    if (route === undefined) return { pass: null, score: null, scoredBy: "route: the graph has no router" };
    const given = new Set(routeLabels && routeLabels.length > 0 ? routeLabels : [route]);
    const wanted = item.labels ?? [];
    const pass = given.size === wanted.length && wanted.every((label) => given.has(label));
    return { pass, score: pass ? 1 : 0, scoredBy: "route" };
  },
};
