/**
 * One graded answer, as callers hand it to {@link VerdictStore.append}.
 *
 * Only `nodeId`, `pass`, `score`, `decidedBy` and `query` are required. Fields that are not
 * listed here are ignored (not stored, not an error), so a caller may pass a wider object, such
 * as a {@link VerdictRecord} read from another store: its `id` and `queryHash` are recomputed.
 */
export interface VerdictRecordInput {
  /** When the verdict was made, in ms since the Unix epoch. Defaults to `Date.now()`. */
  createdAtMs?: number;
  /** The run the answer belongs to. */
  runId?: string;
  /** The graph that ran. */
  graphId?: string;
  /** The version of that graph. */
  graphVersion?: string;
  /** The gate node that graded the answer, or `"cli"` for one-off grading. */
  nodeId: string;
  /** The node that wrote the answer. */
  answeredBy?: string;
  /** The route the router chose. */
  route?: string;
  /** The model that wrote the answer. */
  model?: string;
  /** The provider that served that model. */
  provider?: string;
  /** The model tier. */
  tier?: string;
  /** 1 for the first answer to this query in the run, 2 for the first retry, and so on. */
  attempt?: number;
  /**
   * Whether the answer passed the gate; `null` when it could not be decided (only an LLM judge
   * could, and none was available or it failed). Undecided verdicts do not count in pass rates.
   */
  pass: boolean | null;
  /** The overall score, from 0 to 1; `null` when undecided. */
  score: number | null;
  /** The check that decided the verdict, e.g. `"rules.empty"`, `"math.reference"`, `"code.tests"`, `"judge"`. */
  decidedBy: string;
  /** The score per rubric dimension, each from 0 to 1. */
  scores?: Record<string, number>;
  /** The check results; stored as JSON, so they must be JSON-serialisable. */
  checks?: unknown[];
  /** The feedback given to the answering node. */
  feedback?: string;
  /** Time taken to produce the answer, in ms. */
  latencyMs?: number;
  /** Time taken to grade the answer, in ms. */
  gradingMs?: number;
  /** Prompt tokens used to produce the answer. */
  inputTokens?: number;
  /** Completion tokens used to produce the answer. */
  outputTokens?: number;
  /** The query text. The store computes `queryHash` from it. */
  query: string;
  /** The answer text. At most 64 KiB of UTF-8 is kept; see {@link VerdictRecord.answerTruncated}. */
  answer?: string;
  /** The rubric the answer was graded against. */
  rubric?: string;
}

/** A stored verdict, as {@link VerdictStore.append} returns it and {@link VerdictStore.list} reads it. */
export interface VerdictRecord extends VerdictRecordInput {
  /** Row id, unique within one store and increasing with each append. */
  id: number;
  /** When the verdict was made, in ms since the Unix epoch. */
  createdAtMs: number;
  /** SHA-256 of the UTF-8 query text, lower-case hex. Equal queries have equal hashes. */
  queryHash: string;
  /** True when `answer` was cut to 64 KiB of UTF-8; absent otherwise. */
  answerTruncated?: boolean;
}
