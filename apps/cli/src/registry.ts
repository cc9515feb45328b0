import path from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { NodeRegistry } from "@tinyllm/core";
import type { ModelResolver } from "@tinyllm/models";
import type { ToolRegistry } from "@tinyllm/tools";
import type { GateKindOptions } from "@tinyllm/grading";

/** Where the graphs and prompts bundled with the CLI are. */
export function assetsDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
}

/** The default graph: the bundled `multi_domain.yaml`. */
export function defaultGraphFile(): string {
  return path.join(assetsDir(), "graphs", "multi_domain.yaml");
}

/**
 * The `name` folder for a graph: the one beside the graph's folder (the repository layout), else
 * the one bundled with the CLI.
 */
function assetsFolderFor(graphFile: string | undefined, name: "prompts" | "rubrics"): string {
  if (graphFile) {
    const sibling = path.resolve(path.dirname(graphFile), "..", name);
    if (existsSync(sibling)) return sibling;
  }
  return path.join(assetsDir(), name);
}

/**
 * The prompts folder for a graph: the configured one, else `prompts/` beside the graph's
 * folder (the repository layout), else the prompts bundled with the CLI.
 */
export function promptsDirFor(graphFile: string | undefined, configured: string | undefined): string {
  return configured || assetsFolderFor(graphFile, "prompts");
}

/**
 * The rubrics folder for a graph: `rubrics/` beside the graph's folder (the repository layout),
 * else the rubrics bundled with the CLI.
 */
export function rubricsDirFor(graphFile: string | undefined): string {
  return assetsFolderFor(graphFile, "rubrics");
}

/** Options of {@link createRegistry}. */
export interface CreateRegistryOptions {
  /** Resolves tiers to models; without it model nodes fail when run (fine for validation). */
  resolveModel?: ModelResolver;
  /** The prompts folder for `model` nodes. */
  promptsDir?: string;
  /** Tools for `tool` nodes and for specialists' `tools`. Default: the CLI's tools with no search. */
  tools?: ToolRegistry;
  /** Rubrics, judge, sandboxes and the verdict sink for `gate` nodes. Default: the rubrics of `rubricsDir`, no judge, no recording. */
  grading?: GateKindOptions;
  /** The rubrics folder for `gate` nodes when `grading` is not given. Default: the rubrics bundled with the CLI. */
  rubricsDir?: string;
}

/** The node kinds the CLI knows: the core built-ins, `router`, `model`, `tool` and `gate`. */
export async function createRegistry({ resolveModel, promptsDir, tools, grading, rubricsDir }: CreateRegistryOptions = {}): Promise<NodeRegistry> {
  const [{ createNodeRegistry, builtinNodeKinds, TinyLLMError }, models, toolsPackage, gradingPackage] = await Promise.all([import("@tinyllm/core"), import("@tinyllm/models"), import("@tinyllm/tools"), import("@tinyllm/grading")]);
  const toolRegistry = tools ?? (await (await import("./cli-tools")).createCliTools()).tools;
  const prompts = promptsDir && existsSync(promptsDir) ? await models.loadPrompts({ dir: promptsDir }) : new Map();
  const noBackend: ModelResolver = () => {
    throw new TinyLLMError({ code: "NO_PROVIDER", message: "no model provider was set up for this command", hint: "use `tinyllm run`, which picks a provider" });
  };
  return createNodeRegistry([
    ...builtinNodeKinds,
    models.createRouterKind(resolveModel ? { resolveModel } : {}),
    models.createModelKind({ resolveModel: resolveModel ?? noBackend, prompts, tools: toolRegistry }),
    toolsPackage.createToolKind({ tools: toolRegistry }),
    gradingPackage.createGateKind(grading ?? { rubrics: await gradingPackage.loadRubrics({ dir: rubricsDir ?? rubricsDirFor(undefined) }) }),
  ]);
}
