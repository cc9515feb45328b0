import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A small graph with comments and a specialist node, as a graph file's text. @internal */
export const TEST_GRAPH = `# A test graph: one specialist.
id: calc
version: 1.0.0 # raised by each adoption
entry: start
exits: [done]
nodes:
  - id: start
    kind: entry
  # The specialist that cannot compute.
  - id: math
    kind: model
    config:
      prompt: math
      tier: T0
  - id: done
    kind: exit
edges:
  - { from: start, to: math }
  - { from: math, to: done }
`;

/** Writes `text` as `g.yaml` in a new temporary folder and returns its path. @internal */
export async function tempGraph(text = TEST_GRAPH, name = "g.yaml"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tinyllm-versions-"));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}
