import type { LoadedGraph, Runtime } from "@tinyllm/runtime";
import { serverError } from "./http/server-error";

/** The graphs a server answers for, by id. A client names one as its model: `ID` or `ID:latest`. */
export interface ServedGraphs {
  /** Graph ids in the order they were given. */
  readonly ids: readonly string[];
  /** When the graphs were loaded (ms since the epoch): the `modified_at` and `created` clients see. */
  readonly loadedAtMs: number;
  /** The graph a model name means, or undefined. */
  find(model: string): LoadedGraph | undefined;
  /** The graph a model name means; throws `SERVER_MODEL_NOT_FOUND` naming the served ones. */
  get(model: string): LoadedGraph;
  /** The first graph, used when a request names none. */
  readonly first: LoadedGraph;
}

/** The graph id a model name refers to: `multi_domain:latest` → `multi_domain`. */
export function graphIdOf(model: string): string {
  const trimmed = model.trim();
  return trimmed.endsWith(":latest") ? trimmed.slice(0, -":latest".length) : trimmed;
}

/** Loads every graph file given (default: the configured graph, else the bundled multi_domain). Two graphs with one id are refused. */
export async function loadServedGraphs(runtime: Runtime, files: readonly string[]): Promise<ServedGraphs> {
  const loaded: LoadedGraph[] = [];
  for (const file of files) loaded.push(await runtime.loadGraph(file));
  if (loaded.length === 0) throw serverError("SERVER_BAD_REQUEST", "no graph to serve", "pass --graph FILE");
  const byId = new Map<string, LoadedGraph>();
  for (const graph of loaded) {
    const id = graph.graph.id;
    if (byId.has(id))
      throw serverError(
        "SERVER_BAD_REQUEST",
        `two graphs have the id '${id}' (${byId.get(id)!.file ?? "in code"} and ${graph.file ?? "in code"})`,
        "give each graph its own id",
      );
    byId.set(id, graph);
  }
  const find = (model: string) => byId.get(graphIdOf(model));
  return {
    ids: [...byId.keys()],
    loadedAtMs: Date.now(),
    first: loaded[0]!,
    find,
    get(model) {
      const graph = find(model);
      if (!graph)
        throw serverError(
          "SERVER_MODEL_NOT_FOUND",
          `model '${model}' not found`,
          `this server serves ${[...byId.keys()].map((id) => `'${id}'`).join(", ")}; list them with GET /api/tags or /v1/models`,
        );
      return graph;
    },
  };
}
