import type { RunFinishInput, RunRecordVerdict, RunResult, SpanTokens } from "@tinyllm/core";

/**
 * What a run store keeps of how a run ended: the result's status, output, error and trace, the
 * route and verdict from its state (`state.route`, `state.verdict`), and the tokens of its spans.
 *
 * @internal
 */
export function runFinishOf(result: RunResult, endedAtMs: number): RunFinishInput {
  const end: RunFinishInput = { status: result.status, trace: result.trace, endedAtMs, durationMs: Math.max(0, result.durationMs) };
  if (result.output !== undefined) end.output = result.output;
  if (result.error) end.error = result.error;
  const route = result.state["route"];
  if (typeof route === "string") end.route = route;
  const verdict = verdictOf(result.state["verdict"]);
  if (verdict) end.verdict = verdict;
  const tokens = tokensOf(result);
  if (tokens) end.tokens = tokens;
  return end;
}

function verdictOf(value: unknown): RunRecordVerdict | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { pass, score, decidedBy } = value as Record<string, unknown>;
  if (typeof pass !== "boolean") return undefined;
  return {
    pass,
    score: typeof score === "number" && Number.isFinite(score) ? score : null,
    decidedBy: typeof decidedBy === "string" ? decidedBy : null,
  };
}

function tokensOf(result: RunResult): SpanTokens | undefined {
  let total: SpanTokens | undefined;
  for (const span of result.trace.spans) {
    if (!span.tokens) continue;
    total ??= { input: 0, output: 0 };
    total.input += span.tokens.input;
    total.output += span.tokens.output;
  }
  return total;
}
