import type { FailureCause } from "./failure-cause";

/** One stored check result, as the gate writes it (`name`, `outcome`, `message`, `details`). */
export interface StoredCheck {
  name?: string;
  outcome?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** Failed deterministic computations that a tool (the calculator, a code runner) would have got right. */
const computed = /^(math\.(reference|calculator|arithmetic)|code\.(tests|run))$/;
/** Failed format and instruction checks. */
const format = /^(rules\.(length|has_code|refusal)|json\.)/;
/** Words of a model or gate error about the context window. */
const overflow = /context (window|overflow|size|length)|too long for the (model|context)|exceeds? the context|CONTEXT_OVERFLOW/i;

/** The cause each judge dimension points to when it is the lowest (the rubrics' dimension names). */
const byDimension: Record<string, FailureCause> = {
  relevance: "domain_mismatch",
  completeness: "task_complexity",
  depth: "task_complexity",
  reasoning: "task_complexity",
  explanation: "task_complexity",
  clarity: "instruction_unclear",
  format: "instruction_unclear",
  instruction_following: "instruction_unclear",
  code_quality: "instruction_unclear",
};

/** The cause the judge's lowest dimensions point to: of tied lowest ones, a telling one before `model_limitation`. */
function causeOfScores(scores: Record<string, number>): FailureCause {
  const entries = Object.entries(scores).filter(([, value]) => Number.isFinite(value));
  if (entries.length === 0) return "model_limitation";
  const lowest = Math.min(...entries.map(([, value]) => value));
  const causes = entries
    .filter(([, value]) => value === lowest)
    .map(([dimension]) => byDimension[dimension] ?? "model_limitation")
    .sort();
  return causes.find((cause) => cause !== "model_limitation") ?? "model_limitation";
}

/**
 * Why one failed answer failed, in the {@link FailureCause} vocabulary. The failed checks are
 * read first (the gate's `decidedBy` when none is stored):
 *
 * - the feedback, a failed check's message or an error speaks of the context window:
 *   `context_overflow`;
 * - a failed computation check, `math.reference`, `math.calculator`, `math.arithmetic` (a number
 *   that does not match the reference or the recomputed expression), `code.tests` or `code.run`
 *   (code that fails its tests or stops with an error): `tool_missing`, a tool computes or runs
 *   what the model got wrong;
 * - a failed format check, `rules.length`, `rules.has_code`, `rules.refusal`, `json.*`:
 *   `instruction_unclear`;
 * - the judge: by its lowest dimension (ties favour a telling one): `relevance` →
 *   `domain_mismatch`; `completeness`, `depth`, `reasoning`, `explanation` → `task_complexity`;
 *   `clarity`, `format`, `instruction_following`, `code_quality` → `instruction_unclear`;
 *   `correctness`, `efficiency`, `safety` and others → `model_limitation`;
 * - anything else (an empty answer, error text instead of an answer): `model_limitation`.
 *
 * @example
 * ```ts
 * causeOfFailure({ decidedBy: "math.calculator", checks: [{ name: "math.calculator", outcome: "fail" }] }); // "tool_missing"
 * causeOfFailure({ decidedBy: "judge", checks: [], scores: { correctness: 0.5, relevance: 0.1 } }); // "domain_mismatch"
 * ```
 */
export function causeOfFailure(input: { decidedBy: string; checks: readonly StoredCheck[]; scores?: Record<string, number>; feedback?: string }): FailureCause {
  const failedChecks = input.checks.filter((check) => check.outcome === "fail");
  const names = failedChecks.length > 0 ? failedChecks.map((check) => check.name ?? "") : [input.decidedBy];
  const text = [
    input.feedback ?? "",
    ...failedChecks.map((check) => `${check.message ?? ""} ${typeof check.details?.excerpt === "string" ? check.details.excerpt : ""}`),
  ].join(" ");
  if (overflow.test(text)) return "context_overflow";
  if (names.some((name) => computed.test(name))) return "tool_missing";
  if (names.some((name) => format.test(name))) return "instruction_unclear";
  if (names.some((name) => name.startsWith("judge")) && input.scores) return causeOfScores(input.scores);
  return "model_limitation";
}
