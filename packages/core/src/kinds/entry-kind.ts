import { z } from "zod";
import { contextFree } from "../node-kind/context-free";
import { defineNodeKind } from "../node-kind/node-kind";

/** `entry`: where a run starts. Passes the state through. */
export const entryKind = defineNodeKind({
  kind: "entry",
  description: "Where a run starts; passes the state through.",
  configSchema: z.strictObject({}),
  create: () => contextFree(() => undefined),
});
