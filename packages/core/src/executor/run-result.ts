import type { TraceJSON } from "../trace/trace";

/** How a run ended. */
export type RunStatus = "ok" | "failed" | "timeout" | "cancelled";

/** A structured run error. */
export interface RunError {
  code: string;
  message: string;
  /** The node where it happened, when known. */
  nodeId?: string;
  /** What to do about it. */
  hint?: string;
}

/** What every run ends with. A run never throws. */
export interface RunResult {
  runId: string;
  graphId: string;
  status: RunStatus;
  /** The exit node's output (or `state.output` when the run did not reach an exit). */
  output: unknown;
  /** The final run state. */
  state: Record<string, unknown>;
  error?: RunError;
  /** Node steps taken. */
  steps: number;
  durationMs: number;
  trace: TraceJSON;
}

/** What a subgraph run returns to the node that started it. */
export interface SubgraphResult {
  status: RunStatus;
  output: unknown;
  state: Record<string, unknown>;
  error?: RunError;
}
