import { describe, expect, it } from "vitest";
import { asksForJson, runJsonCheck } from "./json-check";

describe("runJsonCheck", () => {
  it("accepts JSON, fenced JSON and JSON inside prose", () => {
    expect(runJsonCheck('{"a": 1}')[0]?.outcome).toBe("pass");
    expect(runJsonCheck("```json\n[1, 2]\n```")[0]?.outcome).toBe("pass");
    expect(runJsonCheck('Here it is: {"name": "x"} hope it helps')[0]?.outcome).toBe("pass");
  });

  it("fails text that is not JSON, decisively", () => {
    expect(runJsonCheck("{name: 'x',}")[0]).toMatchObject({ outcome: "fail", decisive: true });
  });

  it("recognises requests for JSON", () => {
    expect(asksForJson("List three fruits as JSON")).toBe(true);
    expect(asksForJson("Return a JSON object with name and age")).toBe(true);
    expect(asksForJson("What is JSON?")).toBe(false);
    expect(asksForJson("What is the JSON format?")).toBe(false);
    expect(asksForJson("How do I output JSON in Python?")).toBe(false);
    expect(asksForJson("Give me the result in JSON format")).toBe(true);
  });
});
