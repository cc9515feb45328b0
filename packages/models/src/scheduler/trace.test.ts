import { describe, expect, it } from "vitest";
import { PlacementInputError, parseSetup, parseTrace } from "./trace";

const setup = parseSetup(JSON.stringify({ hosts: [{ name: "gpu0", vramMB: 8192 }], models: { a: { sizeMB: 500, loadMs: 700 } } }));

describe("parseTrace", () => {
  it("should read calls, skip blank lines and turn numeric runs into strings", () => {
    const text =
      '{"t": 0, "run": 1, "model": "a", "priority": "interactive", "tokens": 20}\n\n{"t": 5, "run": "r2", "model": "a", "priority": "batch", "tokens": 0}\n';
    expect(parseTrace(text, { setup })).toEqual([
      { t: 0, run: "1", model: "a", priority: "interactive", tokens: 20 },
      { t: 5, run: "r2", model: "a", priority: "batch", tokens: 0 },
    ]);
  });

  it.each([
    ["not json", "not valid JSON"],
    ['{"t": -1, "run": "r", "model": "a", "priority": "batch", "tokens": 1}', '"t" must be a number'],
    ['{"t": 1, "run": "r", "model": "a", "priority": "urgent", "tokens": 1}', '"priority" must be "interactive" or "batch", got "urgent"'],
    ['{"t": 1, "run": "r", "model": "a", "priority": "batch"}', '"tokens" must be a number'],
    ['{"t": 1, "run": "r", "model": "zz", "priority": "batch", "tokens": 1}', 'model "zz" is not in the set-up'],
    ['{"t": 0, "run": "r", "model": "a", "priority": "batch", "tokens": 1}', "before the previous line's 10"],
  ])("should name the line of a bad call: %s", (line, message) => {
    const text = `{"t": 10, "run": "r", "model": "a", "priority": "batch", "tokens": 1}\n${line}\n`;
    let error: unknown;
    try {
      parseTrace(text, { source: "my.jsonl", setup });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlacementInputError);
    expect((error as PlacementInputError).line).toBe(2);
    expect((error as Error).message).toContain("my.jsonl:2: ");
    expect((error as Error).message).toContain(message);
  });
});

describe("parseSetup", () => {
  it("should keep the optional fields", () => {
    const parsed = parseSetup(
      JSON.stringify({ hosts: [{ name: "g", vramMB: 100, reservedMB: 10 }], models: { m: { sizeMB: 50, loadMs: 5, tokensPerSecond: 9, parallel: 2 } } }),
    );
    expect(parsed).toEqual({ hosts: [{ name: "g", vramMB: 100, reservedMB: 10 }], models: { m: { sizeMB: 50, loadMs: 5, tokensPerSecond: 9, parallel: 2 } } });
  });

  it.each([
    ["{", "not valid JSON"],
    ['{"hosts": [], "models": {"m": {"sizeMB": 1, "loadMs": 1}}}', '"hosts" must be a non-empty array'],
    ['{"hosts": [{"name": "g", "vramMB": 100}], "models": {"m": {"sizeMB": 0, "loadMs": 1}}}', 'models["m"].sizeMB must be a number > 0'],
    ['{"hosts": [{"name": "g", "vramMB": 100}, {"name": "g", "vramMB": 100}], "models": {"m": {"sizeMB": 1, "loadMs": 1}}}', 'hosts[1].name "g" is used twice'],
  ])("should name the bad field: %s", (text, message) => {
    expect(() => parseSetup(text, { source: "setup.json" })).toThrow(`setup.json: ${message}`);
  });
});
