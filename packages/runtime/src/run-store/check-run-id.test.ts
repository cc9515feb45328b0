import { describe, expect, it } from "vitest";
import { checkRunId } from "./check-run-id";

const pattern = /^[A-Za-z0-9_.:-]{1,128}$/;

describe("checkRunId", () => {
  it("takes exactly the ids of 1 to 128 letters, digits, '_', '.', ':' and '-'", () => {
    const ids = [
      "run_2f9c41",
      "a",
      "A.b:c-d_e",
      "x".repeat(128),
      "x".repeat(129),
      "",
      "a b",
      "a/b",
      "é",
      "a;b",
      "[x]",
      "run@1",
      "09:59",
      "`",
      "{",
      "~",
      "/",
      "@",
    ];
    for (let code = 0; code < 200; code++) ids.push(`a${String.fromCharCode(code)}`);
    for (const id of ids) {
      if (pattern.test(id)) expect(checkRunId(id)).toBe(id);
      else expect(() => checkRunId(id)).toThrow(/Invalid runId/);
    }
  });

  it("refuses what is not a string", () => {
    expect(() => checkRunId(42)).toThrow(/Invalid runId number/);
  });
});
