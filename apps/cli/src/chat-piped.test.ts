import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Session } from "@tinyllm/core";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let cwd: string;
let modelFile: string;

/** Runs the built CLI with `input` piped to its stdin (not a terminal), in the private temp folder. */
function cli(args: string[], input = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // No TINYLLM_* variables: sessions and memories are the temp folder's .tinyllm/.
  const env = { PATH: process.env.PATH ?? "", HOME: cwd, OLLAMA_HOST: "http://127.0.0.1:9" };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

const model = () => ["--provider", "llama", "--model-file", modelFile, "--threads", "1", "--seed", "7"];

describe("tinyllm chat, piped", () => {
  beforeAll(async () => {
    modelFile = (await resolveTestModel()).path;
    cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-chat-"));
  });

  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  let sessionId: string;

  it("should answer each line on stdout and exit 0 on /quit", async () => {
    const result = await cli(["chat", ...model()], "Tell me a story about a cat\n/quit\nnot sent\n");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().length).toBeGreaterThan(0);
    expect(result.stdout).not.toContain("›");
    // ANSI colour codes: none when piped.
    expect(result.stdout + result.stderr).not.toContain("\u001b[");
    expect(result.stderr).toMatch(/route: \w+/);
    const match = /session (\S+) \(resume it with: tinyllm chat --session \1\)/.exec(result.stderr);
    expect(match).not.toBeNull();
    sessionId = match?.[1] as string;
    const session = JSON.parse((await cli(["sessions", "show", sessionId, "--json"])).stdout) as Session;
    // `not sent` came after /quit.
    expect(session.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(session.messages[0]?.content).toBe("Tell me a story about a cat");
  });

  it("should resume with --session and print one JSON object per answer with --json", async () => {
    const result = await cli(["chat", "--session", sessionId, "--json", ...model()], "What is the capital of France?\n");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0] as string) as { sessionId: string; runId: string; status: string; answer: string; route?: string };
    expect(answer).toMatchObject({ sessionId, status: "ok" });
    expect(answer.runId).toMatch(/\S/);
    expect(answer.answer.length).toBeGreaterThan(0);
    expect(answer.route).toBe("general");
    // A second process sees every message of both.
    const session = JSON.parse((await cli(["sessions", "show", sessionId, "--json"])).stdout) as Session;
    expect(session.messages.map((m) => m.content)).toEqual([
      "Tell me a story about a cat",
      expect.any(String),
      "What is the capital of France?",
      answer.answer,
    ]);
  });

  it("should run slash commands, explain unknown ones and go on, and exit 0 at EOF", async () => {
    const input = ["/nope", "/remember I drink my tea without sugar", "/memory tea", "/session", "/help", ""].join("\n");
    const result = await cli(["chat", "--session", sessionId, "--user", "ana", ...model()], input);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("unknown command /nope");
    expect(result.stderr).toContain("/help lists the commands");
    expect(result.stdout).toMatch(/^remembered \S+$/m);
    expect(result.stdout).toMatch(/\d\.\d{3} {2}user {2}I drink my tea without sugar/);
    expect(result.stdout).toContain(`session ${sessionId}`);
    expect(result.stdout).toContain("messages: 4");
    expect(result.stdout).toContain("/remember TEXT");
    const memories = JSON.parse((await cli(["memory", "list", "--scope", "user", "--owner", "ana", "--json"])).stdout) as { memories: { text: string }[] };
    expect(memories.memories.map((m) => m.text)).toEqual(["I drink my tea without sugar"]);
  });

  it("should clear the conversation with /clear and keep the session", async () => {
    const result = await cli(["chat", "--session", sessionId, ...model()], "/clear\n/session\n");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("messages: 0");
    const session = JSON.parse((await cli(["sessions", "show", sessionId, "--json"])).stdout) as Session;
    expect(session.messages).toEqual([]);
  });

  it.each([
    ["a malformed --session", ["--session", "not an id"], "is not a session id"],
    ["a bad --seed", ["--seed", "-1"], "--seed must be a whole number"],
    ["a bad --max-tokens", ["--max-tokens", "0"], "--max-tokens must be a whole number"],
  ])("should refuse %s with exit 2", async (_name, args, message) => {
    const result = await cli(["chat", ...model(), ...args], "hi\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
