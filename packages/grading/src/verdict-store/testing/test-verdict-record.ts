import type { VerdictRecordInput } from "../verdict-record";

/**
 * A deterministic verdict record for tests: the same `(graphId, seq)` always gives the same
 * record, so a test can check what another process stored. Records vary in size (every fifth
 * answer is over 64 KiB and gets truncated) and carry non-ASCII text.
 *
 * @internal
 */
export function testVerdictRecord(graphId: string, seq: number): VerdictRecordInput {
  const answerChars = seq % 5 === 4 ? 70_000 : (seq * 397) % 4000;
  return {
    createdAtMs: 1_700_000_000_000 + seq,
    runId: `run-${Math.floor(seq / 10)}`,
    graphId,
    nodeId: seq % 3 === 0 ? "gate-code" : "gate",
    answeredBy: `writer-${seq % 4}`,
    model: "qwen2.5-0.5b",
    attempt: 1 + (seq % 2),
    pass: seq % 3 !== 1,
    score: (seq % 101) / 100,
    decidedBy: seq % 2 === 0 ? "judge" : "rules.empty",
    scores: { correctness: (seq % 11) / 10, clarity: 0.5 },
    checks: [{ name: "rules.empty", pass: true, seq }],
    feedback: `feedback ${seq} – “ok”`,
    latencyMs: seq * 1.5,
    gradingMs: seq % 7,
    inputTokens: seq,
    outputTokens: seq * 2,
    query: `query ${graphId} #${seq} ✓`,
    answer: `answer ${seq} é`.padEnd(answerChars, "xyz€"),
  };
}
