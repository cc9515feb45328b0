import { z } from "zod";
import { defineNodeKind } from "../node-kind/node-kind";

/**
 * `join`: where a fan-out's branches meet. `all` needs every branch to succeed (the first
 * failure cancels the rest); `any` waits for all and needs one success; `first` takes the
 * first success and cancels the rest. Branch writes are merged into the state, and a summary
 * of each branch is written to `into` (default `branches`).
 */
export const joinKind = defineNodeKind({
  kind: "join",
  description: "Where a fan-out's branches meet (all / any / first).",
  configSchema: z.strictObject({
    mode: z.enum(["all", "any", "first"]).default("all"),
    into: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier")
      .default("branches"),
  }),
  join: (config) => ({ mode: config.mode, into: config.into }),
  writes: (config) => [config.into],
  create: () => () => undefined,
});
