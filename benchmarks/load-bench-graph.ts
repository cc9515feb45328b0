/**
 * The one place benchmarks load a graph file with the real node kinds.
 *
 * The router and gate kinds are the real ones, so the graph checks (reachability through the
 * gate's `pass` and `retryTargets`, router labels) run as in the CLI. Model and tool nodes are
 * accepted with any config: no benchmark here runs them, and their configs are checked by the
 * packages' own tests.
 *
 * Once benchmarks depend on `@tinyllm/runtime`, this becomes
 * `(await createRuntime({ verdictStore: false })).loadGraph(file)`; callers keep using
 * {@link loadBenchGraph}.
 */
import { builtinNodeKinds, createNodeRegistry, loadGraphFile, type CompiledGraph, type NodeKind } from "@tinyllm/core";
import { createGateKind } from "@tinyllm/grading";
import { createRouterKind } from "@tinyllm/models";
import { z } from "zod";

const anyConfigKind = (kind: string): NodeKind => ({ kind, description: `${kind} (not run by benchmarks)`, configSchema: z.unknown(), create: () => () => undefined });

/** Loads and checks a graph file; throws with every problem listed when it is invalid. */
export async function loadBenchGraph(file: string): Promise<CompiledGraph> {
  const registry = createNodeRegistry([...builtinNodeKinds, createRouterKind(), createGateKind(), anyConfigKind("model"), anyConfigKind("tool")]);
  const loaded = await loadGraphFile(file, { registry });
  if (!loaded.ok) throw new Error(`${file}: the graph is invalid:\n${loaded.problems.map((p) => `  ${p.message}`).join("\n")}`);
  return loaded.graph;
}
