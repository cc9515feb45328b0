import type { CompiledGraph, RunEvent } from "@tinyllm/core";
import type { CallPriority, FleetProvider } from "@tinyllm/models";
import { modelNodeRef, resolveModelRef, type ModelsConfig, type Prompt } from "@tinyllm/models";

/**
 * A run's event listener that, when a router decides, tells the fleet which model the run
 * calls next: the model of the node the decision leads to (through conditional edges from the
 * router, then at most two plain edges to a model node). The scheduler can then load it while
 * the run is still busy. A model node's model is the one it will ask for: its own, else its
 * prompt's (`promptOf`), else its tier. @internal
 */
export function announcer(
  fleet: FleetProvider,
  graph: CompiledGraph,
  runId: string,
  priority: CallPriority,
  config: Pick<ModelsConfig, "tiers" | "llama">,
  promptOf: (id: string) => Pick<Prompt, "model" | "tier"> | undefined = () => undefined,
): (event: RunEvent) => void {
  return (event) => {
    if (event.type !== "node-info" || event.name !== "route") return;
    const decision = event.data;
    for (const edge of graph.edges) {
      if (edge.from !== event.nodeId || edge.on !== "success" || !edge.condition?.evaluate(decision)) continue;
      const model = nextModel(graph, edge.to, config, promptOf);
      if (model) fleet.announce({ run: runId, model, priority });
    }
  };
}

function nextModel(
  graph: CompiledGraph,
  nodeId: string,
  config: Pick<ModelsConfig, "tiers" | "llama">,
  promptOf: (id: string) => Pick<Prompt, "model" | "tier"> | undefined,
  hops = 0,
): string | undefined {
  const node = graph.nodes.get(nodeId);
  if (!node) return undefined;
  if (node.kind === "model") {
    const ref = modelNodeRef(...nodeRefOf(node.config, promptOf));
    try {
      return resolveModelRef("model" in ref ? ref.model : ref.tier, "ollama", config).model;
    } catch {
      return undefined;
    }
  }
  if (hops >= 2) return undefined;
  const plain = graph.edges.filter((edge) => edge.from === nodeId && edge.on === "success" && !edge.condition);
  return plain.length === 1 ? nextModel(graph, (plain[0] as { to: string }).to, config, promptOf, hops + 1) : undefined;
}

/** A model node's `model` and `tier` settings, and its prompt: what {@link modelNodeRef} reads. @internal */
export function nodeRefOf(
  nodeConfig: unknown,
  promptOf: (id: string) => Pick<Prompt, "model" | "tier"> | undefined,
): [{ model?: string; tier?: string }, Pick<Prompt, "model" | "tier"> | undefined] {
  const { tier, model, prompt } = (nodeConfig ?? {}) as { tier?: unknown; model?: unknown; prompt?: unknown };
  return [
    { ...(typeof model === "string" ? { model } : {}), ...(typeof tier === "string" ? { tier } : {}) },
    typeof prompt === "string" ? promptOf(prompt) : undefined,
  ];
}
