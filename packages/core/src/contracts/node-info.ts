/**
 * The `node-info` events the built-in node kinds stream, typed by name. Use {@link nodeInfoOf}
 * to read one from a run event without casts.
 *
 * @module
 */
import type { RunEvent } from "../events/run-event";

/** `route`: the router's decision. */
export interface RouteInfo {
  /** The node the run goes to next. */
  route: string;
  /** The labels the query got (several for a compound query). */
  labels: string[];
  /** Confidence per label, 0 to 1. */
  confidences: Record<string, number>;
  /** `fast` (the fast classifier), `precedent` (past graded runs of near queries) or `llm` (the router model). */
  decidedBy: "fast" | "precedent" | "llm";
  /** When precedents were consulted: how many passing ones backed the route, and what they did. */
  precedent?: { support: number; confidence: number; outcome: "decided" | "vetoed" | "undecided" };
  /** Set when the router model failed and the fast path's decision was kept: why it failed. */
  llmError?: string;
  [key: string]: unknown;
}

/** `verdict`: a gate graded an answer. */
export interface VerdictInfo {
  /** 1 for the first answer, 2 after the first retry… */
  attempt: number;
  /** `true` pass, `false` fail, `null` undecided (only a judge could decide, and none did). */
  pass: boolean | null;
  score: number | null;
  /** The check that decided, e.g. `math.reference` or `judge`; null when undecided. */
  decidedBy: string | null;
  /** What the gate does next. */
  action: "pass" | "retry" | "escalate" | "fallback" | "exhausted";
  /** The node the run goes to next. */
  next: string;
  /** The node whose answer was graded. */
  answeredBy?: string;
  /** The tier of an escalation. */
  tier?: string;
  /** `name:outcome` of every check, space-separated. */
  checks: string;
  feedback?: string;
  [key: string]: unknown;
}

/** `revision-failed`: a revision could not be answered as asked; the node answered on its own tier. */
export interface RevisionFailedInfo {
  tier?: string;
  code: string;
  message: string;
  [key: string]: unknown;
}

/** `verdict-store-error`: a verdict could not be recorded (the run goes on). */
export interface VerdictStoreErrorInfo {
  code: string;
  message: string;
  [key: string]: unknown;
}

/** `tools-trimmed`: tools left out of a specialist's prompt because the model's context is too small. */
export interface ToolsTrimmedInfo {
  /** The tools the model was offered. */
  kept: string[];
  /** The tools left out. */
  dropped: string[];
  /** The model's context size, in tokens. */
  contextTokens: number;
  [key: string]: unknown;
}

/** Payloads of the built-in `node-info` events, by name. */
export interface NodeInfoPayloads {
  route: RouteInfo;
  verdict: VerdictInfo;
  "revision-failed": RevisionFailedInfo;
  "verdict-store-error": VerdictStoreErrorInfo;
  "tools-trimmed": ToolsTrimmedInfo;
}

/** A built-in `node-info` name. */
export type NodeInfoName = keyof NodeInfoPayloads;

/**
 * The payload of `event` when it is a `node-info` event called `name`, else undefined.
 *
 * @example
 * ```ts
 * for await (const event of stream) {
 *   const route = nodeInfoOf(event, "route");
 *   if (route) console.log(route.route, route.decidedBy);
 * }
 * ```
 */
export function nodeInfoOf<TName extends NodeInfoName>(event: RunEvent, name: TName): NodeInfoPayloads[TName] | undefined {
  if (event.type !== "node-info" || event.name !== name) return undefined;
  return event.data as NodeInfoPayloads[TName];
}
