import { suggest } from "../suggest";
import type { GraphReporter } from "./graph-reporter";

/** Checks that the entry and every exit name a node; returns them as written. @internal */
export function checkEntryExits(
  rawGraph: Record<string, unknown>,
  writtenIds: ReadonlySet<string>,
  reporter: GraphReporter,
): { entry: string | undefined; exits: string[] } {
  const entry = typeof rawGraph.entry === "string" ? rawGraph.entry : undefined;
  const exits = Array.isArray(rawGraph.exits) ? rawGraph.exits.filter((e): e is string => typeof e === "string") : [];
  if (entry !== undefined && !writtenIds.has(entry)) {
    const close = suggest(entry, writtenIds);
    reporter.report({
      code: "unknown-entry",
      message: `entry '${entry}' is not a node${close ? `; did you mean '${close}'?` : ""}`,
      hint: "set entry to a node id",
      path: ["entry"],
    });
  }
  exits.forEach((exit, i) => {
    if (writtenIds.has(exit)) return;
    const close = suggest(exit, writtenIds);
    reporter.report({
      code: "unknown-exit",
      message: `exit '${exit}' is not a node${close ? `; did you mean '${close}'?` : ""}`,
      hint: "list node ids under exits",
      path: ["exits", i],
    });
  });
  return { entry, exits };
}
