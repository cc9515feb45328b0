import type { CompiledGraph, RunEvent } from "@tinyllm/core";
import type { CallPriority, FleetProvider } from "@tinyllm/models";
import { resolveModelRef, type ModelsConfig } from "@tinyllm/models";

/**
 * A run's event listener that, when a router decides, tells the fleet which model the run
 * calls next: the model of the node the decision leads to (through conditional edges from the
 * router, then at most two plain edges to a model node). The scheduler can then load it while
 * the run is still busy. @internal
 */
export function announcer(
  fleet: FleetProvider,
  graph: CompiledGraph,
  runId: string,
  priority: CallPriority,
  config: Pick<ModelsConfig, "tiers" | "llama">,
): (event: RunEvent) => void {
  return (event) => {
    if (event.type !== "node-info" || event.name !== "route") return;
    const decision = event.data;
    for (const edge of graph.edges) {
      if (edge.from !== event.nodeId || edge.on !== "success" || !edge.condition?.evaluate(decision)) continue;
      const model = nextModel(graph, edge.to, config);
      if (model) fleet.announce({ run: runId, model, priority });
    }
  };
}

function nextModel(graph: CompiledGraph, nodeId: string, config: Pick<ModelsConfig, "tiers" | "llama">, hops = 0): string | undefined {
  const node = graph.nodes.get(nodeId);
  if (!node) return undefined;
  if (node.kind === "model") {
    const { tier, model } = (node.config ?? {}) as { tier?: unknown; model?: unknown };
    try {
      return resolveModelRef(typeof model === "string" ? model : typeof tier === "string" ? tier : "T1", "ollama", config).model;
    } catch {
      return undefined;
    }
  }
  if (hops >= 2) return undefined;
  const plain = graph.edges.filter((edge) => edge.from === nodeId && edge.on === "success" && !edge.condition);
  return plain.length === 1 ? nextModel(graph, (plain[0] as { to: string }).to, config, hops + 1) : undefined;
}
