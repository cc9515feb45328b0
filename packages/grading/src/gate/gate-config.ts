import { z } from "zod";

const field = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a state field name");
const nodeId = z.string().min(1);

/** One step of a gate's failure policy. */
export const GateStepSchema = z.union([
  z.strictObject({ retry: z.int().min(1).max(10) }).describe("re-run the node that wrote the answer, with the verdict's feedback, this many times"),
  z.strictObject({ escalate: z.string().min(1) }).describe("re-run the node that wrote the answer on this tier, with the feedback"),
  z.strictObject({ fallback: nodeId }).describe("send the query to this node"),
]);

/** Config of a `gate` node. */
export const GateNodeConfigSchema = z.strictObject({
  /** Where passing answers go. */
  pass: nodeId,
  /** What to do when an answer fails, tried in order (each retry counts). Default: deliver the answer marked as failed. */
  onFail: z.array(GateStepSchema).max(20).default([]),
  /** After the last step fails: `deliver` the last answer to `pass` marked as failed (default), or `error` to fail the run. */
  exhausted: z.enum(["deliver", "error"]).default("deliver"),
  /** Nodes the gate may send an answer back to (retry and escalate need their answering node listed here). */
  retryTargets: z.array(nodeId).default([]),
  /** State field holding the answer. Default `output`. */
  answer: field.default("output"),
  /** State field holding the query. Default `input`. */
  query: field.default("input"),
  /** State field holding the route (picks the rubric). Default `route`. */
  route: field.default("route"),
  /** State field holding a reference answer, when there is one. */
  reference: field.optional(),
  /** A rubric id to use instead of the route's. */
  rubric: z.string().min(1).optional(),
  /** The judge. Default tier `T3`; `enabled: false` grades with the cheap checks only. */
  judge: z.strictObject({ tier: z.string().min(1).default("T3"), enabled: z.boolean().default(true) }).default({ tier: "T3", enabled: true }),
  /** State field receiving the verdict. Default `verdict`. */
  into: field.default("verdict"),
});

/** Parsed config of a `gate` node. */
export type GateNodeConfig = z.output<typeof GateNodeConfigSchema>;
/** One parsed {@link GateStepSchema}. */
export type GateStep = z.output<typeof GateStepSchema>;
