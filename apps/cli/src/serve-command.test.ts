import { spawn } from "node:child_process";
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

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-serve-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tinyllm serve", () => {
  it("prints the address, the graphs and the backend, answers Ollama clients, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--provider", "llama", "--model-file", modelFile, "--threads", "1"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = stderr.match(/serving on (http:\/\/\S+)[\s\S]*backend: .+\n/);
        if (match) resolve(match[1]!);
      });
      void exit.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stderr).toContain("graphs: multi_domain:latest");
    expect(stderr).toMatch(/backend: embedded llama\.cpp/);
    const tags = (await (await fetch(`${url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((model) => model.name)).toEqual(["multi_domain:latest"]);
    const chat = (await (
      await fetch(`${url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content: "What is 2+2?" }], stream: false }),
      })
    ).json()) as { message: { content: string } };
    expect(chat.message.content).toBe("4");
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  }, 120_000);

  it("documents every option in --help and refuses unknown ones", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });
    const help = await run(["serve", "--help"]);
    expect(help.code).toBe(0);
    for (const option of [
      "--host",
      "--port",
      "--graph",
      "--model-file",
      "--provider",
      "--cors-origin",
      "--max-body-bytes",
      "--shutdown-grace",
      "TINYLLM_API_KEYS",
    ]) {
      expect(help.stdout).toContain(option);
    }
    expect(help.stdout).toContain("11435");
    const bad = await run(["serve", "--bogus"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--bogus");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const open = await run(["serve", "--host", "0.0.0.0", "--port", "0", "--model-file", modelFile]);
    expect(open.code).not.toBe(0);
    expect(open.stderr).toContain("TINYLLM_API_KEYS");
  }, 120_000);
});
