/**
 * The one place benchmarks load a graph file: through `@tinyllm/runtime`, with every node kind
 * the CLI has, so a graph that loads here loads there.
 */
import type { CompiledGraph } from "@tinyllm/core";
import { createRuntime } from "@tinyllm/runtime";

/** Loads and checks a graph file; throws `GRAPH_INVALID` with every problem listed when it is invalid. */
export async function loadBenchGraph(file: string): Promise<CompiledGraph> {
  const runtime = await createRuntime({ verdictStore: false, env: {} });
  try {
    return (await runtime.loadGraph(file)).graph;
  } finally {
    await runtime.close();
  }
}
