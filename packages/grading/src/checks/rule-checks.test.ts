import { describe, expect, it } from "vitest";
import { defaultRubric } from "../rubric/default-rubric";
import { runRuleChecks } from "./rule-checks";

const checks = defaultRubric.checks;
const decisive = (answer: string, query = "Explain closures.", kind: "math" | "code" | "json" | "none" = "none") =>
  runRuleChecks({ query, answer, kind, checks }).find((c) => c.decisive);

describe("runRuleChecks", () => {
  it("fails empty and whitespace answers", () => {
    expect(decisive("")?.name).toBe("rules.empty");
    expect(decisive(" \n\t ")?.name).toBe("rules.empty");
  });

  it("fails refusals but not answers that mention inability in passing", () => {
    expect(decisive("I'm sorry, but I can't help with that.")?.name).toBe("rules.refusal");
    expect(decisive("As an AI language model, I cannot browse the internet.")?.name).toBe("rules.refusal");
    expect(decisive("A closure captures variables. You can't change that binding later.")).toBeUndefined();
    expect(decisive("I'm sorry, but I can't attend the meeting on Friday. Best, Sam", "Write a polite email declining a meeting")).toBeUndefined();
    expect(decisive("I must decline your offer, Mr. Bond.", "Write a villain's reply")).toBeUndefined();
    expect(decisive("Sorry, I can't help with that.")?.name).toBe("rules.refusal");
    expect(decisive("I must decline this request.")?.name).toBe("rules.refusal");
  });

  it("fails error text, unless the question is about an error", () => {
    expect(decisive('Traceback (most recent call last):\n  File "x.py", line 1\nZeroDivisionError: division by zero')?.name).toBe("rules.error_text");
    expect(decisive("MODEL_UNAVAILABLE: could not reach Ollama")?.name).toBe("rules.error_text");
    expect(decisive("Error: 404 means Not Found: the server has nothing at that address.", "What does a 404 mean?")).toBeUndefined();
    expect(decisive("Traceback (most recent call last):\n...\nZeroDivisionError", "Why does my script raise this error?")).toBeUndefined();
  });

  it("fails a request for code answered without code", () => {
    expect(decisive("Once upon a time there was a frog.", "Write a Python function to check if a number is prime", "code")?.name).toBe("rules.has_code");
    expect(decisive("```python\ndef f(): pass\n```", "Write a Python function to check if a number is prime", "code")).toBeUndefined();
    expect(decisive("A closure is a function with its scope.", "Explain closures in JavaScript", "code")).toBeUndefined();
  });

  it("enforces the rubric's length limits", () => {
    expect(runRuleChecks({ query: "q", answer: "x".repeat(20), kind: "none", checks: { ...checks, maxChars: 10 } }).find((c) => c.decisive)?.name).toBe(
      "rules.length",
    );
    expect(runRuleChecks({ query: "q", answer: "ok", kind: "none", checks: { ...checks, minChars: 5 } }).find((c) => c.decisive)?.name).toBe("rules.length");
  });
});
