import { z } from "zod";
import { defineNodeKind } from "../node-kind/node-kind";

/**
 * `fanout`: runs every outgoing edge whose condition holds as a parallel branch, each on its
 * own copy of the state, until the branches reach the `join` node.
 */
export const fanoutKind = defineNodeKind({
  kind: "fanout",
  description: "Runs its outgoing edges as parallel branches up to a join node.",
  configSchema: z.strictObject({
    /** The join node where the branches meet. */
    join: z.string().min(1),
    /** Branches running at once. */
    maxConcurrency: z.int().min(1).max(1024).optional(),
  }),
  fanout: (config) => ({ join: config.join, ...(config.maxConcurrency !== undefined ? { maxConcurrency: config.maxConcurrency } : {}) }),
  check: (config, context) => {
    const kind = context.nodeKinds.get(config.join);
    if (kind === undefined) return [{ message: `join '${config.join}' is not a node`, hint: "name a node of kind join", path: ["join"] }];
    if (kind !== "join") return [{ message: `join '${config.join}' is a '${kind}' node, not a join`, hint: "name a node of kind join", path: ["join"] }];
    return [];
  },
  create: () => () => undefined,
});
