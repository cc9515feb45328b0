import { z } from "zod";
import { defineNodeKind } from "../node-kind/node-kind";

const nodeId = z.string().min(1);

/**
 * `branch`: chooses the next node by the first case whose `when` condition holds, else
 * `default`. Its cases are its edges; do not add success edges to it in `edges`.
 */
export const branchKind = defineNodeKind({
  kind: "branch",
  description: "Chooses the next node by the first matching case, else the default.",
  configSchema: z.strictObject({
    cases: z.array(z.strictObject({ when: z.string().min(1), to: nodeId })).min(1, "add at least one case"),
    default: nodeId.optional(),
  }),
  edges: (config) => [
    ...config.cases.map((c, i) => ({ to: c.to, condition: c.when, path: ["cases", i] as (string | number)[] })),
    ...(config.default !== undefined ? [{ to: config.default, path: ["default"] as (string | number)[] }] : []),
  ],
  create: () => () => undefined,
});
