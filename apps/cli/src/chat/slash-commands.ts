import path from "node:path";
import type { MemoryScope } from "@tinyllm/core";
import { formatTrace } from "../format-trace";
import type { ChatController } from "./chat-controller";
import { storeCall } from "./cli-store-errors";

/** Where a slash command prints: `out` for its result, `note` for remarks (stderr in piped mode). */
export interface SlashIo {
  out(text: string): void;
  note(text: string): void;
}

interface SlashCommand {
  usage: string;
  help: string;
  run(chat: ChatController, args: string, io: SlashIo): Promise<"quit" | void>;
}

const commands: Record<string, SlashCommand> = {
  help: { usage: "/help", help: "this list", run: async (_chat, _args, io) => io.out(helpText()) },
  model: {
    usage: "/model [TIER MODEL]",
    help: "show the session's model overrides, or use MODEL for TIER's calls (T0–T3, or a tier of tinyllm.yaml); /model TIER - removes one",
    async run(chat, args, io) {
      const [tier, model, ...rest] = args.split(/\s+/).filter(Boolean);
      if (tier === undefined) {
        const session = await chat.ensureSession();
        const models = Object.entries(session.settings.models ?? {});
        io.out(models.length === 0 ? "no model overrides: the graph's tiers decide" : models.map(([t, m]) => `${t}: ${m}`).join("\n"));
        return;
      }
      if (model === undefined || rest.length > 0) return io.note("usage: /model TIER MODEL, e.g. /model T1 qwen2.5:3b");
      const tiers = Object.keys(chat.runtime.config.tiers);
      if (!tiers.includes(tier)) return io.note(`unknown tier '${tier}': use one of ${tiers.join(", ")}, e.g. /model T1 qwen2.5:3b`);
      await chat.ensureSession();
      const sessions = chat.runtime.sessionStore();
      const current = (await storeCall(() => sessions.get(chat.sessionId)))?.settings.models ?? {};
      const next = { ...current };
      if (model === "-") delete next[tier];
      else next[tier] = model;
      // An empty set of overrides is removed rather than kept as `{}`.
      await storeCall(() => sessions.updateSettings(chat.sessionId, { models: Object.keys(next).length > 0 ? next : undefined }));
      io.out(model === "-" ? `${tier}: back to the graph's model` : `${tier}: ${model}`);
    },
  },
  models: {
    usage: "/models",
    help: "the models the backend can serve",
    async run(chat, _args, io) {
      const backend = await chat.runtime.backend();
      const list = await backend.provider.listModels({ abortSignal: AbortSignal.timeout(15_000) });
      io.out([backend.description, ...list.map((m) => `  ${m.name}`), ...(list.length === 0 ? ["  no models"] : [])].join("\n"));
    },
  },
  graph: {
    usage: "/graph [FILE]",
    help: "show the session's graph, or talk to the graph in FILE from now on",
    async run(chat, args, io) {
      const file = args.trim();
      if (file === "") {
        io.out((await chat.currentGraph()) ?? "the bundled multi_domain.yaml");
        return;
      }
      const checked = await chat.runtime.checkGraph(path.resolve(file));
      if (!checked.ok) {
        const first = checked.problems.slice(0, 5).map((p) => `  ${p.message}`);
        return io.note([`${file} is not a valid graph:`, ...first].join("\n"));
      }
      await chat.setGraph(path.resolve(file));
      io.out(`graph: ${checked.loaded.graph.id} (${path.resolve(file)})`);
    },
  },
  tools: {
    usage: "/tools",
    help: "the tools graphs can call",
    async run(chat, _args, io) {
      const tools = chat.runtime.tools.describe();
      io.out(tools.length === 0 ? "no tools" : tools.map((t) => `${t.name}  ${t.description.split("\n")[0] ?? ""}`).join("\n"));
    },
  },
  memory: {
    usage: "/memory [QUERY]",
    help: "search your long-term memories (this user's and this session's), or list them",
    async run(chat, args, io) {
      const user = await chat.user();
      const scopes: { scope: MemoryScope; owner: string }[] = [
        { scope: "user", owner: user },
        { scope: "session", owner: chat.sessionId },
      ];
      const memories = chat.runtime.memoryStore();
      const query = args.trim();
      const found = await storeCall(() => (query === "" ? memories.list({ scopes, limit: 50 }) : memories.search(query, { scopes, k: 10 })));
      if (found.length === 0) return io.out(query === "" ? "no memories yet: /remember TEXT keeps one" : "no memories match");
      io.out(found.map((m) => `${m.id}  ${"score" in m ? `${(m.score as number).toFixed(3)}  ` : ""}${m.scope}  ${m.text.replace(/\s+/g, " ")}`).join("\n"));
    },
  },
  remember: {
    usage: "/remember TEXT",
    help: "keep TEXT as a long-term memory of yours",
    async run(chat, args, io) {
      const text = args.trim();
      if (text === "") return io.note("usage: /remember TEXT, e.g. /remember I prefer short answers");
      const user = await chat.user();
      const memory = await storeCall(() => chat.runtime.memoryStore().add({ text, scope: "user", owner: user, source: "cli" }));
      io.out(`remembered ${memory.id}`);
    },
  },
  forget: {
    usage: "/forget ID",
    help: "forget a long-term memory (/memory shows the ids)",
    async run(chat, args, io) {
      const id = args.trim();
      if (id === "") return io.note("usage: /forget ID (/memory shows the ids)");
      const forgotten = await storeCall(() => chat.runtime.memoryStore().forget(id));
      if (forgotten) io.out(`forgot ${id}`);
      else io.note(`no memory has the id '${id}' (/memory shows the ids)`);
    },
  },
  session: {
    usage: "/session",
    help: "this session's id, message count and summary",
    async run(chat, _args, io) {
      const session = await storeCall(() => chat.runtime.sessionStore().get(chat.sessionId));
      if (!session) return io.out(`session ${chat.sessionId} (nothing said yet)`);
      const lines = [`session ${session.id}`, `messages: ${session.messageCount}`];
      if (session.settings.user) lines.push(`user: ${session.settings.user}`);
      if (session.settings.graph) lines.push(`graph: ${session.settings.graph}`);
      lines.push(session.summary ? `summary (through message ${session.summary.throughSeq}): ${session.summary.text}` : "summary: none yet");
      io.out(lines.join("\n"));
    },
  },
  clear: {
    usage: "/clear",
    help: "forget this session's messages and summary (its settings stay)",
    async run(chat, _args, io) {
      const session = await storeCall(() => chat.runtime.sessionStore().get(chat.sessionId));
      if (session) await storeCall(() => chat.runtime.sessionStore().clear(chat.sessionId));
      io.out("cleared the conversation");
    },
  },
  trace: {
    usage: "/trace",
    help: "the span tree of the last answer",
    async run(chat, _args, io) {
      if (!chat.lastResult) return io.note("no answer yet: ask something first");
      io.out(formatTrace(chat.lastResult.trace));
    },
  },
  quit: { usage: "/quit", help: "leave (so does Ctrl-D)", run: async () => "quit" },
};

const aliases: Record<string, string> = { exit: "quit", q: "quit", "?": "help", h: "help" };

/** Whether a line is a slash command (`//text` sends `/text` as a message). */
export function isSlashCommand(line: string): boolean {
  return line.startsWith("/") && !line.startsWith("//");
}

/** Runs a slash command line; unknown commands get a helpful note. Resolves `"quit"` for `/quit`. */
export async function runSlashCommand(chat: ChatController, line: string, io: SlashIo): Promise<"quit" | void> {
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
  const name = (match?.[1] ?? "").toLowerCase();
  const command = commands[aliases[name] ?? name];
  if (!command) {
    const near = Object.keys(commands).find((known) => known.startsWith(name.slice(0, 2)) && name.length > 0);
    io.note(`unknown command /${name}${near ? ` (did you mean /${near}?)` : ""}; /help lists the commands`);
    return undefined;
  }
  return (await command.run(chat, match?.[2] ?? "", io)) === "quit" ? "quit" : undefined;
}

function helpText(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length));
  return [
    ...Object.values(commands).map((c) => `${c.usage.padEnd(width)}  ${c.help}`),
    "",
    "Anything else is sent as a message (start it with // to send a leading /).",
    "Ctrl-C stops an answer; Ctrl-D or /quit leaves.",
  ].join("\n");
}
