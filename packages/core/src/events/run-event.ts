import type { RunResult } from "../executor/run-result";

/** Fields every event carries. */
interface EventBase {
  runId: string;
  /** Milliseconds since the run started. */
  timeMs: number;
}

/** The run began. */
export interface RunStartEvent extends EventBase {
  type: "run-start";
  graphId: string;
  input: unknown;
}
/** A node began an attempt. */
export interface NodeStartEvent extends EventBase {
  type: "node-start";
  nodeId: string;
  kind: string;
  spanId: string;
  attempt: number;
}
/** A node attempt failed with a retriable error and will be tried again after `delayMs`. */
export interface NodeRetryEvent extends EventBase {
  type: "node-retry";
  nodeId: string;
  attempt: number;
  delayMs: number;
  error: { code: string; message: string };
}
/** A node finished. */
export interface NodeEndEvent extends EventBase {
  type: "node-end";
  nodeId: string;
  kind: string;
  spanId: string;
  status: "ok" | "error";
  durationMs: number;
  error?: { code: string; message: string };
}
/** A piece of generated text. */
export interface TokenDeltaEvent extends EventBase {
  type: "token-delta";
  nodeId: string;
  text: string;
}
/** A node called a tool. */
export interface ToolCallEvent extends EventBase {
  type: "tool-call";
  nodeId: string;
  callId: string;
  toolName: string;
  input: unknown;
}
/** A tool call returned. */
export interface ToolResultEvent extends EventBase {
  type: "tool-result";
  nodeId: string;
  callId: string;
  toolName: string;
  output?: unknown;
  error?: { code: string; message: string };
  durationMs: number;
}
/** A node reported a decision or fact worth streaming (e.g. the route it chose). */
export interface NodeInfoEvent extends EventBase {
  type: "node-info";
  nodeId: string;
  name: string;
  data: Record<string, unknown>;
}
/** The run ended. */
export interface RunEndEvent extends EventBase {
  type: "run-end";
  result: RunResult;
}

/** Everything a run streams, a tagged union on `type`. */
export type RunEvent =
  RunStartEvent | NodeStartEvent | NodeRetryEvent | NodeEndEvent | TokenDeltaEvent | ToolCallEvent | ToolResultEvent | NodeInfoEvent | RunEndEvent;

/** Events a node may emit itself through its context. */
export type NodeEmittedEvent =
  | { type: "token-delta"; text: string }
  | { type: "tool-call"; callId: string; toolName: string; input: unknown }
  | { type: "tool-result"; callId: string; toolName: string; output?: unknown; error?: { code: string; message: string }; durationMs: number }
  | { type: "node-info"; name: string; data: Record<string, unknown> };
