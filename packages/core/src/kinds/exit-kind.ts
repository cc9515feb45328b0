import { z } from "zod";
import { contextFree } from "../node-kind/context-free";
import { defineNodeKind } from "../node-kind/node-kind";
import { templateFields, templateProblems, tryTemplate } from "./template-config";

/** `exit`: where a run ends. May set `output` from a template. */
export const exitKind = defineNodeKind({
  kind: "exit",
  description: "Where a run ends; optionally sets `output` from a template.",
  configSchema: z.strictObject({
    /** Template for the run's output, e.g. `{{ answer }}`. Default: `output` as it is. */
    output: z.string().optional(),
  }),
  writes: () => ["output"],
  reads: (config) => (config.output ? templateFields(config.output) : []),
  check: (config) => (config.output ? templateProblems(config.output, ["output"]) : []),
  create: (config) => {
    const template = config.output ? tryTemplate(config.output) : undefined;
    if (!template) return contextFree(() => undefined);
    return contextFree((state) => ({ patch: { output: template.render(state) } }));
  },
});
