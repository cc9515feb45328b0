import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openVerdictStore } from "@tinyllm/grading";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
let modelFile: string;
let dir: string;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-shutdown-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `tinyllm-server` from source in a child process; resolves with its URL once it listens. */
async function startChild(
  graceMs: number,
): Promise<{ child: ChildProcess; url: string; stderr: () => string; said: (pattern: RegExp) => Promise<void>; exit: Promise<number | null> }> {
  // The child runs in a temp folder (its .tinyllm/ stores go there), so tsx is named by path.
  const tsx = pathToFileURL(path.resolve(here, "../node_modules/tsx/dist/loader.mjs")).href;
  const args = ["--conditions=@tinyllm/source", "--import", tsx, path.join(here, "main.ts")];
  args.push("--port", "0", "--provider", "llama", "--model-file", modelFile, "--threads", "1", "--shutdown-grace", String(graceMs));
  const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = stderr.match(/serving on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    });
    void exit.then((code) => reject(new Error(`the server exited with ${code} before listening:\n${stderr}`)));
  });
  // Resolves once the server's stderr matches `pattern`.
  const said = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      if (pattern.test(stderr)) return resolve();
      const onData = () => {
        if (!pattern.test(stderr)) return;
        child.stderr!.off("data", onData);
        resolve();
      };
      child.stderr!.on("data", onData);
    });
  return { child, url, stderr: () => stderr, said, exit };
}

/** Streams a story through /api/chat; calls `onFirst` at the first chunk; resolves with every line. */
async function streamStory(url: string, onFirst: () => void): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${url}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content: "Tell me a long story about a dragon." }] }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let first = true;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (first && text.includes("\n")) {
      first = false;
      onFirst();
    }
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("shutdown", () => {
  it("on SIGTERM mid-stream lets the run finish, refuses new requests, commits the verdicts and exits 0", async () => {
    const server = await startChild(60_000);
    let refused: Promise<number> | undefined;
    const lines = await streamStory(server.url, () => {
      server.child.kill("SIGTERM");
      // Once the server says it is stopping, a new request is refused.
      refused = server.said(/SIGTERM: finishing runs in progress/).then(() =>
        fetch(`${server.url}/api/tags`).then(
          (response) => response.status,
          () => 0,
        ),
      );
    });
    expect(lines.at(-1)).toMatchObject({ done: true });
    expect(["stop", "length"]).toContain(lines.at(-1)!.done_reason);
    expect(lines.some((line) => "error" in line)).toBe(false);
    // Either the listener had already closed (connection refused) or the server said it is going away.
    expect([0, 503]).toContain(await refused);
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toMatch(/SIGTERM: finishing runs in progress/);
    expect(server.stderr()).toMatch(/stopped: 1 run\(s\) finished, 0 cancelled/);
    const store = openVerdictStore({ path: path.join(dir, ".tinyllm", "verdicts.db") });
    try {
      expect(store.stats({ groupBy: "node", graphId: "multi_domain" }).length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 180_000);

  it("past the grace period cancels the run and ends the client's stream cleanly, then exits 0", async () => {
    const server = await startChild(0);
    const lines = await streamStory(server.url, () => server.child.kill("SIGTERM"));
    const last = lines.at(-1)!;
    expect(last.error).toMatch(/shutting down/);
    expect(lines.slice(0, -1).every((line) => line.done === false)).toBe(true);
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toMatch(/stopped: 0 run\(s\) finished, 1 cancelled/);
  }, 180_000);
});
