import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Session, SessionInfo } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let cwd: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No TINYLLM_* variables: the stores are the temp folder's .tinyllm/.
  const env = { PATH: process.env.PATH ?? "", HOME: cwd, OLLAMA_HOST: "http://127.0.0.1:9" };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("tinyllm sessions", () => {
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-sessions-"));
    // Two conversations written through the runtime, as `tinyllm chat` writes them.
    const { createRuntime } = await import("@tinyllm/runtime");
    const runtime = await createRuntime({ cwd, env: {}, verdictStore: false, runStore: false });
    try {
      const sessions = runtime.sessionStore();
      await sessions.create({ id: "trip", settings: { user: "ana" } });
      await sessions.append("trip", [
        { role: "user", content: "Plan a weekend in Lisbon" },
        { role: "assistant", content: "Day one: Alfama and the castle." },
      ]);
      await sessions.create({ id: "math" });
      await sessions.append("math", [{ role: "user", content: "What is 2+2?" }]);
    } finally {
      await runtime.close();
    }
  });

  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("should list the sessions, most recently updated first", async () => {
    const text = await cli(["sessions", "list"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^math .*1 message /m);
    expect(text.stdout).toMatch(/^trip .*2 messages .*Plan a weekend/m);
    const json = await cli(["sessions", "list", "--json"]);
    const { sessions } = JSON.parse(json.stdout) as { sessions: SessionInfo[] };
    expect(sessions.map((s) => s.id)).toEqual(["math", "trip"]);
    const one = JSON.parse((await cli(["sessions", "list", "--limit", "1", "--json"])).stdout) as { sessions: SessionInfo[] };
    expect(one.sessions).toHaveLength(1);
  });

  it("should show a session's settings and messages", async () => {
    const text = await cli(["sessions", "show", "trip"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("user: ana");
    expect(text.stdout).toContain("[1] user:\nPlan a weekend in Lisbon");
    expect(text.stdout).toContain("[2] assistant:\nDay one: Alfama and the castle.");
    const session = JSON.parse((await cli(["sessions", "show", "trip", "--json"])).stdout) as Session;
    expect(session.messages.map((m) => [m.seq, m.role, m.content])).toEqual([
      [1, "user", "Plan a weekend in Lisbon"],
      [2, "assistant", "Day one: Alfama and the castle."],
    ]);
  });

  it("should export a session as Markdown or JSON", async () => {
    const markdown = await cli(["sessions", "export", "trip"]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain("Plan a weekend in Lisbon");
    expect(markdown.stdout).toContain("Day one: Alfama and the castle.");
    expect(markdown.stdout).toMatch(/^#/m);
    for (const args of [["--format", "json"], ["--json"]]) {
      const json = await cli(["sessions", "export", "trip", ...args]);
      expect(json.code).toBe(0);
      expect(JSON.stringify(JSON.parse(json.stdout))).toContain("Day one: Alfama and the castle.");
    }
  });

  it("should delete a session, then not find it (exit 2)", async () => {
    const deleted = await cli(["sessions", "delete", "math"]);
    expect(deleted.code).toBe(0);
    const again = await cli(["sessions", "delete", "math", "--json"]);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: "SESSION_NOT_FOUND" } });
  });

  it.each([
    ["an unknown id", ["sessions", "show", "nope"], "no session has the id 'nope'"],
    ["a malformed id", ["sessions", "show", "a b"], "is not a session id"],
    ["an unknown export id", ["sessions", "export", "nope"], "no session has the id"],
    ["a bad --limit", ["sessions", "list", "--limit", "0"], "--limit must be a whole number"],
    ["an unknown format", ["sessions", "export", "trip", "--format", "pdf"], "pdf"],
  ])("should explain %s and exit 2", async (_name, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    noStack(result.stderr);
  });
});
