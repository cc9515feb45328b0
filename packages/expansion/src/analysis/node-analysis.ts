import type { FailureCause } from "./failure-cause";

/** One graded answer of a node, as analysis hands it to the strategies. */
export interface AnswerExample {
  query: string;
  answer?: string;
  /** The reference answer, when the gate had one. */
  reference?: string;
  /** The gate's feedback to the node. */
  feedback?: string;
  /** Names of the checks that failed (e.g. `math.reference`, `code.tests`, `judge`). */
  failedChecks: string[];
  route?: string;
  pass: boolean;
  /** The verdict's id in the verdict store. */
  verdictId: number;
  createdAtMs: number;
}

/** A group of similar queries of one node, found from their wording. */
export interface QueryCluster {
  /** A short name made of the cluster's most telling words, e.g. `"percent-discount"`. */
  label: string;
  /** Its most telling words, most telling first. */
  keywords: string[];
  /** The queries in it. */
  queries: string[];
  /** How many of its answers failed. */
  failures: number;
}

/** What the verdict store says about one specialist node (the node that wrote the answers). */
export interface NodeAnalysis {
  /** The specialist node (verdicts' `answeredBy`). */
  nodeId: string;
  /** Its routes, most frequent first. */
  routes: string[];
  /** Decided verdicts (undecided ones are not counted). */
  evaluations: number;
  failures: number;
  /** failures / evaluations; 0 when there are none. */
  failRate: number;
  /** Wilson 95% interval of the fail rate. */
  failRateInterval: { low: number; high: number };
  /** How often each check failed, most frequent first. */
  failedChecks: { check: string; count: number }[];
  /** Failures per cause (every cause present, zero when none). */
  causes: Record<FailureCause, number>;
  /** The most frequent cause among failures, when there are any. */
  topCause?: FailureCause;
  /** The node's queries grouped by wording. */
  clusters: QueryCluster[];
  latencyMs: { mean: number; p95: number };
  tokens: { meanInput: number; meanOutput: number };
  /** When the node last had a change adopted, from the version store; absent when never. */
  lastExpandedAtMs?: number;
  /** Whether the node is a candidate for expansion now. */
  candidate: boolean;
  /** Why it is or is not a candidate, one reason per rule, in plain words. */
  reasons: string[];
  /** Its failed answers, newest first (capped). */
  failing: AnswerExample[];
  /** Its passed answers, newest first (capped). */
  passing: AnswerExample[];
}
