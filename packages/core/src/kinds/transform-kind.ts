import { z } from "zod";
import { contextFree } from "../node-kind/context-free";
import { defineNodeKind } from "../node-kind/node-kind";
import type { Template } from "../template/compile-template";
import { templateFields, templateProblems, tryTemplate } from "./template-config";

const field = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier");

/**
 * `transform`: sets state fields. String values are templates over the state
 * (`"{{ input | upper }}"`); other values are copied as they are.
 */
export const transformKind = defineNodeKind({
  kind: "transform",
  description: "Sets state fields from templates over the state.",
  configSchema: z.strictObject({
    /** Field → template or literal value. */
    set: z.record(field, z.unknown()).refine((v) => Object.keys(v).length > 0, "set at least one field"),
  }),
  writes: (config) => Object.keys(config.set),
  reads: (config) => Object.values(config.set).flatMap((v) => (typeof v === "string" ? templateFields(v) : [])),
  check: (config) => Object.entries(config.set).flatMap(([key, v]) => (typeof v === "string" ? templateProblems(v, ["set", key]) : [])),
  create: (config) => {
    const entries: [string, Template | undefined, unknown][] = Object.entries(config.set).map(([key, value]) => [
      key,
      typeof value === "string" ? tryTemplate(value) : undefined,
      value,
    ]);
    return contextFree((state) => {
      const patch: Record<string, unknown> = {};
      for (const [key, template, value] of entries) patch[key] = template ? template.render(state) : value;
      return { patch };
    });
  },
});
