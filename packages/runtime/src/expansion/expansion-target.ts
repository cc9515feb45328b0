import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { TinyLLMError, type GraphInput } from "@tinyllm/core";
import { graphFileSha256, lastAdoptedAtMs } from "@tinyllm/expansion";
import { parse } from "yaml";

/** A graph file as expansion reads it: its document, hash, model nodes, protected nodes and last adoptions. */
export interface ExpansionTarget {
  /** Absolute path of the graph file. */
  file: string;
  /** The document as the file parses. */
  graph: GraphInput;
  /** sha256 of the file's text now: adoption refuses to go on if it changes. */
  sha256: string;
  /** Its `model` nodes: those expansion can change. */
  modelNodes: string[];
  /** Nodes marked `protected: true`. */
  protectedNodes: Set<string>;
  /** When each node last had a change adopted (from the version store). */
  lastAdoptedAtMs: Map<string, number>;
}

/**
 * Reads a graph file for expansion.
 *
 * @throws TinyLLMError `GRAPH_NOT_FOUND` when the file does not exist, `EXPANSION_INPUT_INVALID`
 * when it is not a YAML or JSON graph document.
 */
export async function readExpansionTarget(file: string, cwd = process.cwd()): Promise<ExpansionTarget> {
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute))
    throw new TinyLLMError({
      code: "GRAPH_NOT_FOUND",
      message: `graph file not found: ${file}`,
      hint: "give the path of a graph YAML file, e.g. graphs/multi_domain.yaml",
    });
  let graph: GraphInput;
  try {
    graph = parse(await readFile(absolute, "utf8")) as GraphInput;
  } catch (error) {
    throw new TinyLLMError({
      code: "EXPANSION_INPUT_INVALID",
      message: `${file} does not parse as YAML: ${(error as Error).message}`,
      hint: `check it with: tinyllm graph validate ${file}`,
    });
  }
  if (!graph || typeof graph !== "object" || !Array.isArray(graph.nodes) || typeof graph.id !== "string")
    throw new TinyLLMError({
      code: "EXPANSION_INPUT_INVALID",
      message: `${file} is not a graph (it needs id, nodes and edges)`,
      hint: `check it with: tinyllm graph validate ${file}`,
    });
  const nodes = graph.nodes as { id: string; kind: string; protected?: boolean }[];
  return {
    file: absolute,
    graph,
    sha256: await graphFileSha256(absolute),
    modelNodes: nodes.filter((node) => node.kind === "model").map((node) => node.id),
    protectedNodes: new Set(nodes.filter((node) => node.protected === true).map((node) => node.id)),
    lastAdoptedAtMs: await lastAdoptedAtMs(absolute),
  };
}
