import path from "node:path";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "@tinyllm/models/testing";
import { loadRubrics } from "./load-rubrics";
import { parseRubric } from "./parse-rubric";
import { createRubricSet } from "./rubric-set";
import { errorOf } from "@tinyllm/models/testing";

const repo = findRepoRoot({ from: import.meta.dirname }) ?? process.cwd();

describe("parseRubric", () => {
  it("fills defaults", () => {
    const rubric = parseRubric("id: r\ndimensions:\n  - { name: correctness, weight: 1, description: Right. }\n");
    expect(rubric).toMatchObject({ id: "r", threshold: 0.6, checks: { kind: "auto", minChars: 1, refusal: true } });
  });

  it("reports every problem with file:line:col", () => {
    const error = errorOf(() => parseRubric("id: r\nthreshold: 2\ndimensions:\n  - { name: Bad Name, weight: -1, description: x }\n", { file: "r.yaml" }));
    expect(error.code).toBe("GRADING_RUBRIC_INVALID");
    expect(error.message).toMatch(/r\.yaml:2:\d+: threshold/);
    expect(error.message).toMatch(/r\.yaml:4:\d+: dimensions\.0\.name/);
    expect(error.message).toMatch(/dimensions\.0\.weight/);
  });

  it("refuses duplicate dimensions, bad YAML and unknown keys", () => {
    expect(
      errorOf(() => parseRubric("id: r\ndimensions:\n  - { name: a, weight: 1, description: x }\n  - { name: a, weight: 1, description: y }\n")).message,
    ).toMatch(/listed twice/);
    expect(errorOf(() => parseRubric("id: [unclosed\n")).message).toMatch(/YAML does not parse/);
    expect(errorOf(() => parseRubric("id: r\ntreshold: 0.5\ndimensions:\n  - { name: a, weight: 1, description: x }\n")).message).toMatch(/treshold/);
  });
});

describe("rubric sets", () => {
  it("loads the repository's rubrics and picks one per route", async () => {
    const set = await loadRubrics({ dir: path.join(repo, "rubrics") });
    expect(set.forRoute("math").id).toBe("math");
    expect(set.forRoute("code_math").id).toBe("code_math");
    expect(set.forRoute("no-such-route").id).toBe("general");
    expect(set.forRoute(undefined).id).toBe("general");
  });

  it("refuses two rubrics for one route", () => {
    const a = parseRubric("id: a\nroutes: [x]\ndimensions:\n  - { name: c, weight: 1, description: d }\n");
    const b = parseRubric("id: b\nroutes: [x]\ndimensions:\n  - { name: c, weight: 1, description: d }\n");
    expect(errorOf(() => createRubricSet([a, b])).message).toMatch(/both grade route 'x'/);
  });

  it("says which folder it cannot read", async () => {
    await expect(loadRubrics({ dir: "/no/such/dir" })).rejects.toMatchObject({ code: "GRADING_INPUT_INVALID" });
  });
});
