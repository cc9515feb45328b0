/** State field a gate writes to ask a `model` node for a revised answer. */
export const REVISION_FIELD = "revision";

/** State field a `model` node writes with facts about the answer it gave. */
export const ANSWER_META_FIELD = "answerMeta";

/**
 * A request to revise an answer, written to {@link REVISION_FIELD} (e.g. by a quality gate). The
 * `model` node whose id is `node` shows the feedback and its previous answer to the model, and
 * uses `tier` when given; every other node ignores it.
 */
export interface Revision {
  node: string;
  /** What to fix. */
  feedback: string;
  /** The answer that failed. */
  previousAnswer?: string;
  /** Tier to answer on (escalation). */
  tier?: string;
  /** The attempt this revision will be (2 for the first retry). */
  attempt?: number;
}

/** What a `model` node writes to {@link ANSWER_META_FIELD}. */
export interface AnswerMeta {
  /** The node that answered. */
  node: string;
  /** The model (or, when a tool answered the query directly, the tool) that produced the answer. */
  model: string;
  provider?: string;
  tier?: string;
  /** Time from the node's start to the full answer. */
  latencyMs: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** Reads a revision meant for `nodeId` from state (the {@link REVISION_FIELD} value), if there is one. */
export function revisionFor(value: unknown, nodeId: string): Revision | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const revision = value as Partial<Revision>;
  if (revision.node !== nodeId || typeof revision.feedback !== "string") return undefined;
  return revision as Revision;
}
