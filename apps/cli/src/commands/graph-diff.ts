import { styleText } from "node:util";
import type { GraphStructureDiff } from "@tinyllm/expansion";
import { printJson } from "../output";
import { versionCall } from "./graph-version-errors";

/** Options of `tinyllm graph diff`. */
export interface GraphDiffOptions {
  json?: boolean;
}

/**
 * `tinyllm graph diff FILE A B`: the unified diff of two versions on stdout (coloured on a
 * terminal), and what changed node by node on stderr; `--json` prints both as one object.
 */
export async function graphDiff(file: string, from: string, to: string, options: GraphDiffOptions): Promise<number> {
  const { diffGraphVersions } = await import("@tinyllm/expansion");
  const diff = await versionCall(() => diffGraphVersions(file, from, to));
  if (options.json) {
    printJson(diff);
    return 0;
  }
  if (diff.identical) {
    process.stderr.write(`${from} and ${to} of ${file} are identical\n`);
    return 0;
  }
  process.stdout.write(colourDiff(diff.unified, process.stdout));
  if (diff.summary) process.stderr.write(formatSummary(diff.summary));
  return 0;
}

/** The structural summary in a few lines: nodes and edges added, removed and changed. */
export function formatSummary(summary: GraphStructureDiff): string {
  const edge = (e: { from: string; to: string; on?: string }) => `${e.from} → ${e.to}${e.on ? ` (on ${e.on})` : ""}`;
  const lines = [
    ...summary.nodesAdded.map((id) => `node added: ${id}`),
    ...summary.nodesRemoved.map((id) => `node removed: ${id}`),
    ...summary.nodesChanged.map((node) => `node changed: ${node.id} (${node.keys.join(", ")})`),
    ...summary.edgesAdded.map((e) => `edge added: ${edge(e)}`),
    ...summary.edgesRemoved.map((e) => `edge removed: ${edge(e)}`),
    ...(summary.fieldsChanged.length > 0 ? [`fields changed: ${summary.fieldsChanged.join(", ")}`] : []),
  ];
  return lines.length > 0 ? `\n${lines.join("\n")}\n` : "";
}

function colourDiff(unified: string, stream: NodeJS.WriteStream): string {
  if (!stream.isTTY || process.env.NO_COLOR || process.env.TERM === "dumb") return unified;
  return unified
    .split("\n")
    .map((line) =>
      line.startsWith("+++") || line.startsWith("---") || line.startsWith("===")
        ? styleText("bold", line)
        : line.startsWith("+")
          ? styleText("green", line)
          : line.startsWith("-")
            ? styleText("red", line)
            : line.startsWith("@@")
              ? styleText("cyan", line)
              : line,
    )
    .join("\n");
}
