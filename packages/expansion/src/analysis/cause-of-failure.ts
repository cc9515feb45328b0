import type { FailureCause } from "./failure-cause";

/** One stored check result, as the gate writes it (`name`, `outcome`, `details`). */
export interface StoredCheck {
  name?: string;
  outcome?: string;
  details?: Record<string, unknown>;
}

/** Judge dimensions that point to a query the node should not have had. */
const offTopic = new Set(["relevance"]);
/** Judge dimensions that point to a task larger than the model manages. */
const tooLarge = new Set(["completeness", "depth", "reasoning"]);
/** Judge dimensions that point to instructions not followed. */
const unclear = new Set(["clarity", "format", "instruction_following", "code_quality"]);

/**
 * Why one failed answer failed, in the {@link FailureCause} vocabulary:
 *
 * - a failed deterministic computation check (`math.reference`, `math.calculator`,
 *   `math.arithmetic`, `code.tests`, `code.run`): `tool_missing`, a tool computes what the
 *   model got wrong;
 * - a failed rule check (`rules.*`, `json.*`, a format): `instruction_unclear`;
 * - an error that says the context was too small: `context_overflow`;
 * - a judge's failure: by its lowest dimension, `relevance` → `domain_mismatch`,
 *   `completeness`/`depth`/`reasoning` → `task_complexity`, `clarity`/format →
 *   `instruction_unclear`;
 * - anything else: `model_limitation`.
 */
export function causeOfFailure(input: { decidedBy: string; checks: readonly StoredCheck[]; scores?: Record<string, number>; feedback?: string }): FailureCause {
  const failed = input.checks.filter((check) => check.outcome === "fail").map((check) => check.name ?? "");
  const names = failed.length > 0 ? failed : [input.decidedBy];
  const text = `${input.feedback ?? ""} ${names.join(" ")}`.toLowerCase();
  if (/context (window|overflow|size|length)|too long for the model|CONTEXT_OVERFLOW/i.test(text)) return "context_overflow";
  if (names.some((name) => /^(math\.(reference|calculator|arithmetic)|code\.(tests|run))/.test(name))) return "tool_missing";
  if (names.some((name) => /^(rules\.|json\.|format)/.test(name))) return "instruction_unclear";
  if (names.some((name) => name.startsWith("judge")) && input.scores) {
    const lowest = Object.entries(input.scores).sort((a, b) => a[1] - b[1])[0];
    if (lowest) {
      if (offTopic.has(lowest[0])) return "domain_mismatch";
      if (tooLarge.has(lowest[0])) return "task_complexity";
      if (unclear.has(lowest[0])) return "instruction_unclear";
    }
  }
  return "model_limitation";
}
