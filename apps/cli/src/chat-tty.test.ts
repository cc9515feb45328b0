import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Session } from "@tinyllm/core";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The interactive REPL, for real: `tinyllm chat` in a tmux pseudo-terminal, driven with
// send-keys and read back with capture-pane. Synchronisation is by polling the screen.

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
const socket = `tinyllm-chat-test-${process.pid}-${Date.now()}`;
let cwd: string;
let modelFile: string;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
}

const screen = (target: string) => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", target);

/** Polls the pane until `test` holds for its text; fails with the screen after `timeoutMs`. */
async function waitFor(target: string, test: (text: string) => boolean, what: string, timeoutMs = 90_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(target);
    if (test(text)) return text;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the screen:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The prompt is on the last line, waiting. */
const atPrompt = (text: string) => text.trimEnd().split("\n").at(-1)?.trim() === "›";

const count = (text: string, part: string) => text.split(part).length - 1;

const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

/** Starts `tinyllm chat ARGS` in a new tmux window; the shell says `EXITED n` when it ends. */
function startChat(name: string, args: string[]): string {
  const command = [
    `cd ${quote(cwd)} &&`,
    `env -i PATH=${quote(process.env.PATH ?? "")} HOME=${quote(cwd)} TERM=xterm-256color NO_COLOR=1 OLLAMA_HOST=http://127.0.0.1:9`,
    [process.execPath, bin, "chat", ...args].map(quote).join(" "),
    "; echo EXITED $?; sleep 600",
  ].join(" ");
  tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command);
  return name;
}

const haveTmux = (() => {
  try {
    execFileSync("tmux", ["-V"]);
    return true;
  } catch {
    return false;
  }
})();

describe("tinyllm chat in a terminal", () => {
  beforeAll(async () => {
    // .ci/run installs it; elsewhere: apt-get install tmux (the interactive mode is tested in a real terminal).
    if (!haveTmux) throw new Error("these tests need tmux on PATH: install it (apt-get install tmux)");
    modelFile = (await resolveTestModel()).path;
    cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-chat-tty-"));
  });

  afterAll(async () => {
    try {
      tmux("kill-server");
    } catch {
      // no server was started
    }
    await rm(cwd, { recursive: true, force: true });
  });

  it("should stream an answer, stop one with Ctrl-C, keep going, and leave with Ctrl-D", async () => {
    const target = startChat("repl", ["--provider", "llama", "--model-file", modelFile, "--threads", "1", "--seed", "3", "--max-tokens", "4000"]);
    const start = await waitFor(target, atPrompt, "the prompt");
    const sessionId = /session (\S+) \(resume it with/.exec(start)?.[1];
    expect(sessionId).toBeDefined();
    expect(start).toContain("type /help for commands");

    // Ctrl-C at an empty prompt says how to leave, and the program keeps running.
    tmux("send-keys", "-t", target, "C-c");
    await waitFor(target, (text) => text.includes("(press Ctrl-D or type /quit to exit)"), "the Ctrl-C hint");

    // An unknown slash command is a note, not an exit.
    tmux("send-keys", "-t", target, "-l", "/nope");
    tmux("send-keys", "-t", target, "Enter");
    await waitFor(target, (text) => text.includes("unknown command /nope"), "the unknown-command note");

    // A long answer: Ctrl-C once its text streams stops it and returns to the prompt.
    tmux("send-keys", "-t", target, "-l", "Once upon a time there was a dragon. Tell me the whole long story");
    tmux("send-keys", "-t", target, "Enter");
    const streaming = await waitFor(
      target,
      (text) => /route: \w+/.test(text) && (text.split(/route: \w+.*\n/)[1] ?? "").trim().length > 0,
      "streamed text after the route line",
    );
    tmux("send-keys", "-t", target, "C-c");
    // Either the stop notice, or (when the answer was done before the key arrived) a second hint.
    const stopped = await waitFor(target, (text) => text.includes("(answer stopped)") || count(text, "(press Ctrl-D") > 1, "the answer to stop");
    expect(streaming).toMatch(/route: \w+/);
    expect(stopped).toContain("(answer stopped)");
    await waitFor(target, atPrompt, "the prompt after the stop");

    // The program still takes messages.
    tmux("send-keys", "-t", target, "-l", "/session");
    tmux("send-keys", "-t", target, "Enter");
    await waitFor(target, (text) => /messages: \d+/.test(text), "/session's answer");

    // Ctrl-D leaves with exit 0.
    tmux("send-keys", "-t", target, "C-d");
    await waitFor(target, (text) => text.includes("EXITED"), "the program to exit");
    expect(screen(target)).toContain("EXITED 0");

    // The stopped message was kept.
    const shown = execFileSync(process.execPath, [bin, "sessions", "show", sessionId as string, "--json"], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd },
      encoding: "utf8",
    });
    const session = JSON.parse(shown) as Session;
    expect(session.messages[0]?.content).toBe("Once upon a time there was a dragon. Tell me the whole long story");
  });
});
