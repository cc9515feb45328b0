import { describe, expect, it } from "vitest";
import { causeOfFailure, type StoredCheck } from "./cause-of-failure";

const failed = (name: string, message = "", details?: Record<string, unknown>): StoredCheck => ({
  name,
  outcome: "fail",
  message,
  ...(details ? { details } : {}),
});
const passed = (name: string): StoredCheck => ({ name, outcome: "pass", message: "" });

describe("causeOfFailure", () => {
  it("reads the gate's real check names", () => {
    const cases: [string, string][] = [
      ["math.reference", "tool_missing"],
      ["math.calculator", "tool_missing"],
      ["math.arithmetic", "tool_missing"],
      ["code.tests", "tool_missing"],
      ["code.run", "tool_missing"],
      ["rules.length", "instruction_unclear"],
      ["rules.has_code", "instruction_unclear"],
      ["rules.refusal", "instruction_unclear"],
      ["json.valid", "instruction_unclear"],
      ["rules.empty", "model_limitation"],
      ["rules.error_text", "model_limitation"],
    ];
    for (const [name, cause] of cases)
      expect([name, causeOfFailure({ decidedBy: name, checks: [passed("rules.empty"), failed(name)] })]).toEqual([name, cause]);
    // No stored checks: the check that decided.
    expect(causeOfFailure({ decidedBy: "math.calculator", checks: [] })).toBe("tool_missing");
  });

  it("reads the judge's lowest dimension, in the rubrics' names", () => {
    const judge = (scores: Record<string, number>) => causeOfFailure({ decidedBy: "judge", checks: [failed("judge")], scores });
    expect(judge({ correctness: 0.6, relevance: 0.1, clarity: 0.8 })).toBe("domain_mismatch");
    expect(judge({ correctness: 0.6, completeness: 0.2 })).toBe("task_complexity");
    expect(judge({ correctness: 0.6, reasoning: 0.2 })).toBe("task_complexity");
    expect(judge({ correctness: 0.6, explanation: 0.2 })).toBe("task_complexity");
    expect(judge({ correctness: 0.6, clarity: 0.2 })).toBe("instruction_unclear");
    expect(judge({ correctness: 0.6, code_quality: 0.2 })).toBe("instruction_unclear");
    expect(judge({ correctness: 0.1, relevance: 0.8 })).toBe("model_limitation");
    expect(judge({ safety: 0, correctness: 0.5 })).toBe("model_limitation");
    // A tie between correctness and a telling dimension: the telling one.
    expect(judge({ correctness: 0.2, relevance: 0.2 })).toBe("domain_mismatch");
    expect(causeOfFailure({ decidedBy: "judge", checks: [failed("judge")] })).toBe("model_limitation");
  });

  it("finds the context window in the feedback or a failed check's message or excerpt", () => {
    expect(causeOfFailure({ decidedBy: "judge", checks: [failed("judge")], feedback: "The prompt exceeds the context window of the model." })).toBe(
      "context_overflow",
    );
    expect(
      causeOfFailure({
        decidedBy: "rules.error_text",
        checks: [failed("rules.error_text", "the answer is error text", { excerpt: "error: CONTEXT_OVERFLOW" })],
      }),
    ).toBe("context_overflow");
    expect(causeOfFailure({ decidedBy: "rules.empty", checks: [failed("rules.empty")], feedback: "Answer the question." })).toBe("model_limitation");
  });
});
