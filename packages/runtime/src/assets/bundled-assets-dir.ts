import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The folder with the graphs, prompts and rubrics that ship with the runtime: `dist/assets` in
 * the published package, the repository root when running from source.
 */
export function bundledAssetsDir(): string {
  if (cached) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "assets"), path.resolve(here, "..", "assets"), path.resolve(here, "..", "..", "..", "..")];
  cached = candidates.find((dir) => existsSync(path.join(dir, "graphs", "multi_domain.yaml"))) ?? candidates[0]!;
  return cached;
}

/** The default graph: `multi_domain.yaml` among the bundled assets. */
export function defaultGraphFile(): string {
  return path.join(bundledAssetsDir(), "graphs", "multi_domain.yaml");
}

/**
 * The `name` folder for a graph: the one beside the graph's folder (the repository layout:
 * `graphs/x.yaml` next to `prompts/` and `rubrics/`), else the bundled one.
 */
export function assetsFolderFor(graphFile: string | undefined, name: "prompts" | "rubrics"): string {
  if (graphFile) {
    const sibling = path.resolve(path.dirname(graphFile), "..", name);
    if (existsSync(sibling)) return sibling;
  }
  return path.join(bundledAssetsDir(), name);
}
