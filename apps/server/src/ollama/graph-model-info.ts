import { createHash } from "node:crypto";
import type { LoadedGraph } from "@tinyllm/runtime";

/** The `details` object Ollama clients read, for a graph. */
export function graphDescription(loaded: LoadedGraph) {
  return {
    parent_model: "",
    format: "tinyllm-graph",
    family: "tinyllm-graph",
    families: ["tinyllm-graph"],
    parameter_size: `${loaded.graph.nodeList.length} nodes`,
    quantization_level: "",
  };
}

/** A stable digest of a graph: its id and version. */
export function graphDigest(loaded: LoadedGraph): string {
  return createHash("sha256").update(`${loaded.graph.id}\0${loaded.graph.version}`).digest("hex");
}
