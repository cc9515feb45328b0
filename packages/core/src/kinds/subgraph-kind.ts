import { z } from "zod";
import { CoreErrorCode } from "../error/error-codes";
import { TinyLLMError } from "../error/tinyllm-error";
import { defineNodeKind } from "../node-kind/node-kind";
import { templateFields, templateProblems, tryTemplate } from "./template-config";

/**
 * `subgraph`: runs another graph file as one node. Its input is a template over this run's
 * state; its output lands in `output` (or the field named by `into`).
 */
export const subgraphKind = defineNodeKind({
  kind: "subgraph",
  description: "Runs another graph as one node.",
  configSchema: z.strictObject({
    /** Path of the graph file, relative to this graph's file. */
    graph: z.string().min(1),
    /** Template for the subgraph's input. Default `{{ input }}`. */
    input: z.string().default("{{ input }}"),
    /** Field that receives the subgraph's output. Default `output`. */
    into: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier")
      .default("output"),
  }),
  subgraph: (config) => ({ graph: config.graph }),
  writes: (config) => [config.into],
  reads: (config) => templateFields(config.input),
  check: (config) => templateProblems(config.input, ["input"]),
  create: (config, context) => {
    const graph = context.subgraph;
    const input = tryTemplate(config.input);
    if (!graph || !input) throw new Error("the subgraph was not loaded");
    return async (state, ctx) => {
      const result = await ctx.runSubgraph(graph, { input: input.render(state) });
      if (result.status !== "ok") {
        throw new TinyLLMError({
          code: result.error?.code ?? CoreErrorCode.NodeFailed,
          message: `subgraph '${graph.id}' ${result.status}: ${result.error?.message ?? "no detail"}`,
          ...(result.error?.hint ? { hint: result.error.hint } : {}),
        });
      }
      return { patch: { [config.into]: result.output } };
    };
  },
});
