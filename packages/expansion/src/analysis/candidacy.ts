/** The candidacy rules and what a node brings to them. @internal */
export interface CandidacyInput {
  evaluations: number;
  failRate: number;
  /** When the node last had a change adopted; undefined when never. */
  lastExpandedAtMs: number | undefined;
  isProtected: boolean;
  minEvaluations: number;
  failRateAt: number;
  cooldownMs: number;
  nowMs: number;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/**
 * Whether a node is a candidate for expansion, and one reason per rule in plain words: enough
 * evaluations, a high enough fail rate, out of its cooldown, not protected.
 *
 * @internal
 */
export function candidacy(input: CandidacyInput): { candidate: boolean; reasons: string[] } {
  const { evaluations, failRate, lastExpandedAtMs: last, minEvaluations, failRateAt, cooldownMs, nowMs } = input;
  const reasons: string[] = [];
  const enough = evaluations >= minEvaluations;
  reasons.push(`${evaluations} evaluation${evaluations === 1 ? "" : "s"} (${enough ? "at least" : "fewer than"} ${minEvaluations})`);
  const failing = failRate >= failRateAt;
  reasons.push(`fail rate ${(failRate * 100).toFixed(1)}% (${failing ? "at least" : "under"} ${(failRateAt * 100).toFixed(0)}%)`);
  const cooling = last !== undefined && nowMs - last < cooldownMs;
  reasons.push(
    last === undefined
      ? "never expanded"
      : cooling
        ? `in its cooldown: a change was adopted ${minutes(nowMs - last)} ago (cooldown ${minutes(cooldownMs)})`
        : `out of its cooldown (last change ${minutes(nowMs - last)} ago)`,
  );
  reasons.push(input.isProtected ? "protected: the graph marks it protected: true" : "not protected");
  return { candidate: enough && failing && !cooling && !input.isProtected, reasons };
}
