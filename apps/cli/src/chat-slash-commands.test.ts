import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRuntime, type Runtime } from "@tinyllm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatController } from "./chat/chat-controller";
import { isSlashCommand, runSlashCommand } from "./chat/slash-commands";

// The slash commands over a real runtime with its SQLite stores in a temporary folder (no model
// is needed): what they print and what they change.
let dir: string;
let runtime: Runtime;
let n = 0;
/** A session id of its own for each test. */
const fresh = () => `s${++n}`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-slash-"));
  runtime = await createRuntime({ cwd: dir, env: {}, flags: { ollamaHost: "http://127.0.0.1:9" }, probeTimeoutMs: 300, verdictStore: false, runStore: false });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(chat: ChatController, line: string) {
  const out: string[] = [];
  const notes: string[] = [];
  const quit = await runSlashCommand(chat, line, { out: (text) => out.push(text), note: (text) => notes.push(text) });
  return { out: out.join("\n"), notes: notes.join("\n"), quit };
}

describe("chat slash commands", () => {
  it("should tell slash commands from messages, // sending a leading slash", () => {
    expect(isSlashCommand("/help")).toBe(true);
    expect(isSlashCommand("//etc/hosts is a file")).toBe(false);
    expect(isSlashCommand("what is 1/2")).toBe(false);
  });

  it("should show, set and remove the session's model overrides", async () => {
    const id = fresh();
    const chat = new ChatController(runtime, { sessionId: id, user: "ana" });
    expect((await run(chat, "/model")).out).toContain("no model overrides");
    expect((await run(chat, "/model T1 qwen2.5:3b")).out).toBe("T1: qwen2.5:3b");
    expect((await runtime.sessionStore().get(id))?.settings).toEqual({ user: "ana", models: { T1: "qwen2.5:3b" } });
    expect((await run(chat, "/model")).out).toBe("T1: qwen2.5:3b");
    await run(chat, "/model T1 -");
    expect((await runtime.sessionStore().get(id))?.settings.models).toBeUndefined();
    expect((await run(chat, "/model T1")).notes).toContain("usage: /model TIER MODEL");
    expect((await run(chat, "/model code qwen2.5:3b")).notes).toMatch(/unknown tier 'code': use one of T0, T1, T2, T3/);
  });

  it("should remember, find and forget the user's memories", async () => {
    const chat = new ChatController(runtime, { sessionId: fresh(), user: "ana" });
    const remembered = (await run(chat, "/remember I like green tea")).out;
    expect(remembered).toMatch(/^remembered \S+$/);
    const id = remembered.slice("remembered ".length);
    expect(await runtime.memoryStore().get(id)).toMatchObject({ text: "I like green tea", scope: "user", owner: "ana", source: "cli" });
    expect((await run(chat, "/memory")).out).toBe(`${id}  user  I like green tea`);
    expect((await run(chat, "/memory tea")).out).toMatch(new RegExp(`^${id}  [01]\\.\\d{3}  user  I like green tea$`));
    expect((await run(chat, "/memory coffee")).out).toBe("no memories match");
    expect((await run(chat, "/forget m9")).notes).toContain("no memory has the id 'm9'");
    expect((await run(chat, `/forget ${id}`)).out).toBe(`forgot ${id}`);
    expect(await runtime.memoryStore().get(id)).toBeUndefined();
    expect((await run(chat, "/remember   ")).notes).toContain("usage: /remember TEXT");
  });

  it("should describe the session and clear it", async () => {
    const id = fresh();
    const chat = new ChatController(runtime, { sessionId: id });
    expect((await run(chat, "/session")).out).toBe(`session ${id} (nothing said yet)`);
    await chat.ensureSession();
    await runtime.sessionStore().append(id, [
      { role: "user", content: "hello" },
      { role: "assistant", content: "hi there" },
    ]);
    expect((await run(chat, "/session")).out).toBe(`session ${id}\nmessages: 2\nsummary: none yet`);
    expect((await run(chat, "/clear")).out).toBe("cleared the conversation");
    expect((await runtime.sessionStore().get(id))?.messageCount).toBe(0);
  });

  it("should list the tools, refuse a bad graph, and say when there is no trace yet", async () => {
    const chat = new ChatController(runtime, { sessionId: fresh() });
    const tools = (await run(chat, "/tools")).out.split("\n");
    expect(tools.some((line) => /^calculator {2}\S/.test(line))).toBe(true);
    expect(tools.every((line) => !line.includes("\n"))).toBe(true);
    expect((await run(chat, "/graph missing.yaml")).notes).toMatch(/missing\.yaml is not a valid graph:\n {2}\S/);
    expect((await run(chat, "/trace")).notes).toContain("no answer yet");
  });

  it("should explain an unknown command, list the commands, and quit", async () => {
    const chat = new ChatController(runtime, { sessionId: fresh() });
    const unknown = await run(chat, "/memroy");
    expect(unknown.notes).toBe("unknown command /memroy (did you mean /memory?); /help lists the commands");
    expect(unknown.quit).toBeUndefined();
    const help = (await run(chat, "/help")).out;
    for (const name of ["/help", "/model", "/models", "/graph", "/tools", "/memory", "/remember", "/forget", "/session", "/clear", "/trace", "/quit"])
      expect(help).toContain(name);
    expect((await run(chat, "/quit")).quit).toBe("quit");
    expect((await run(chat, "/exit")).quit).toBe("quit");
  });
});
