import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let dir: string;
let modelFile: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" };
  delete env.NODE_OPTIONS;
  delete env.TINYLLM_MODEL_FILE;
  delete env.TINYLLM_VERDICTS;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-record-cli-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tinyllm run --record / --replay", () => {
  it("replays a recorded run with no model file, answer for answer", async () => {
    const recorded = await cli(["run", "Tell me a story about a red kite", "--model-file", modelFile, "--record", "tape.db", "--seed", "4", "--json"]);
    expect(recorded.code).toBe(0);
    const replayed = await cli(["run", "Tell me a story about a red kite", "--replay", "tape.db", "--seed", "4", "--json"]);
    expect(replayed.code).toBe(0);
    const first = JSON.parse(recorded.stdout) as { output: unknown };
    const second = JSON.parse(replayed.stdout) as { output: unknown };
    expect(typeof first.output).toBe("string");
    expect(second.output).toEqual(first.output);
  }, 240_000);

  it("says what to do on a replay miss, a missing cassette and conflicting flags", async () => {
    const miss = await cli(["run", "A question never recorded", "--replay", "tape.db"]);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toMatch(/has no stream call/);
    expect(miss.stderr).toMatch(/--replay-miss live/);
    const missing = await cli(["run", "Hello", "--replay", "nowhere.db"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no cassette at/);
    const both = await cli(["run", "Hello", "--record", "a.db", "--replay", "b.db"]);
    expect(both.code).toBe(2);
    for (const result of [miss, missing, both]) expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 120_000);
});
