import type { Memory, MemoryInput, Session, SessionSettings } from "@tinyllm/core";
import type { Runtime } from "@tinyllm/runtime";
import { describe, expect, it } from "vitest";
import { ChatController } from "./chat/chat-controller";
import { isSlashCommand, runSlashCommand } from "./chat/slash-commands";

// The slash commands over a runtime whose stores are kept in memory: what they print and what
// they change. The built CLI runs them on the real stores in chat-piped.test.ts.

function fakeRuntime() {
  const sessions = new Map<string, Session>();
  const memories: Memory[] = [];
  const sessionStore = {
    get: async (id: string) => sessions.get(id),
    create: async ({ id = "new", settings = {} }: { id?: string; settings?: SessionSettings }) => {
      const session: Session = { id, title: "", createdAtMs: 1, updatedAtMs: 1, messageCount: 0, settings, messages: [] };
      sessions.set(id, session);
      return session;
    },
    updateSettings: async (id: string, settings: SessionSettings) => {
      const session = sessions.get(id) as Session;
      session.settings = { ...session.settings, ...settings };
      return session.settings;
    },
    clear: async (id: string) => {
      const session = sessions.get(id) as Session;
      session.messages = [];
      session.messageCount = 0;
    },
  };
  const memoryStore = {
    add: async (input: MemoryInput) => {
      const memory: Memory = { ...input, id: `m${memories.length + 1}`, createdAtMs: 1, updatedAtMs: 1 };
      memories.push(memory);
      return memory;
    },
    forget: async (id: string) => {
      const at = memories.findIndex((m) => m.id === id);
      if (at >= 0) memories.splice(at, 1);
      return at >= 0;
    },
    list: async ({ scopes }: { scopes: { scope: string; owner: string }[] }) =>
      memories.filter((m) => scopes.some((s) => s.scope === m.scope && s.owner === m.owner)),
    search: async (query: string) => memories.filter((m) => m.text.includes(query)).map((m) => ({ ...m, score: 0.5 })),
  };
  const runtime = {
    config: {},
    sessionStore: () => sessionStore,
    memoryStore: () => memoryStore,
    tools: { describe: () => [{ name: "calculator", description: "Evaluates arithmetic.\nMore.", parameters: {} }] },
    checkGraph: async () => ({ ok: false, problems: [{ message: "no such file" }] }),
  } as unknown as Runtime;
  return { runtime, sessions, memories };
}

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
    const { runtime, sessions } = fakeRuntime();
    const chat = new ChatController(runtime, { sessionId: "s1", user: "ana" });
    expect((await run(chat, "/model")).out).toContain("no model overrides");
    expect((await run(chat, "/model T1 qwen2.5:3b")).out).toBe("T1: qwen2.5:3b");
    expect(sessions.get("s1")?.settings).toEqual({ user: "ana", models: { T1: "qwen2.5:3b" } });
    expect((await run(chat, "/model")).out).toBe("T1: qwen2.5:3b");
    await run(chat, "/model T1 -");
    expect(sessions.get("s1")?.settings.models).toBeUndefined();
    expect((await run(chat, "/model T1")).notes).toContain("usage: /model TIER MODEL");
  });

  it("should remember, find and forget the user's memories", async () => {
    const { runtime, memories } = fakeRuntime();
    const chat = new ChatController(runtime, { sessionId: "s1", user: "ana" });
    expect((await run(chat, "/remember I like green tea")).out).toBe("remembered m1");
    expect(memories[0]).toMatchObject({ text: "I like green tea", scope: "user", owner: "ana", source: "cli" });
    expect((await run(chat, "/memory")).out).toBe("m1  user  I like green tea");
    expect((await run(chat, "/memory tea")).out).toBe("m1  0.500  user  I like green tea");
    expect((await run(chat, "/memory coffee")).out).toBe("no memories match");
    expect((await run(chat, "/forget m9")).notes).toContain("no memory has the id 'm9'");
    expect((await run(chat, "/forget m1")).out).toBe("forgot m1");
    expect((await run(chat, "/remember   ")).notes).toContain("usage: /remember TEXT");
  });

  it("should describe the session and clear it", async () => {
    const { runtime, sessions } = fakeRuntime();
    const chat = new ChatController(runtime, { sessionId: "s1" });
    expect((await run(chat, "/session")).out).toBe("session s1 (nothing said yet)");
    await chat.ensureSession();
    (sessions.get("s1") as Session).messageCount = 2;
    expect((await run(chat, "/session")).out).toBe("session s1\nmessages: 2\nsummary: none yet");
    expect((await run(chat, "/clear")).out).toBe("cleared the conversation");
    expect(sessions.get("s1")?.messageCount).toBe(0);
  });

  it("should list the tools, refuse a bad graph, and say when there is no trace yet", async () => {
    const chat = new ChatController(fakeRuntime().runtime, { sessionId: "s1" });
    expect((await run(chat, "/tools")).out).toBe("calculator  Evaluates arithmetic.");
    expect((await run(chat, "/graph missing.yaml")).notes).toMatch(/missing\.yaml is not a valid graph:\n {2}no such file/);
    expect((await run(chat, "/trace")).notes).toContain("no answer yet");
  });

  it("should explain an unknown command, list the commands, and quit", async () => {
    const chat = new ChatController(fakeRuntime().runtime, { sessionId: "s1" });
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
