import readline from "node:readline";
import type { ChatController } from "./chat-controller";
import { chatErrorText, dim } from "./print-chat";
import { isSlashCommand, runSlashCommand } from "./slash-commands";

const prompt = "› ";

/**
 * The interactive `tinyllm chat`: a prompt, streamed answers with the route and verdict lines,
 * slash commands. Ctrl-C stops the answer being written and returns to the prompt; at the
 * prompt it clears the line or says how to leave; Ctrl-D (or `/quit`) leaves with exit 0.
 */
export function replChat(chat: ChatController): Promise<number> {
  const { stdout, stderr } = process;
  const rl = readline.createInterface({ input: process.stdin, output: stdout, terminal: true, prompt, historySize: 500 });
  const pending: string[] = [];
  let answering: AbortController | undefined;
  let closed = false;

  const note = (text: string) => stderr.write(`${dim(text, stderr)}\n`);
  const io = { out: (text: string) => stdout.write(`${text}\n`), note };

  const handle = async (line: string): Promise<"quit" | void> => {
    if (isSlashCommand(line)) return runSlashCommand(chat, line, io);
    const message = line.startsWith("//") ? line.slice(1) : line;
    const controller = new AbortController();
    answering = controller;
    let atLineStart = true;
    const write = (text: string) => {
      if (text === "") return;
      stdout.write(text);
      atLineStart = text.endsWith("\n");
    };
    const newline = () => {
      if (!atLineStart) write("\n");
    };
    try {
      const { turn, streamed } = await chat.send(message, {
        abortSignal: controller.signal,
        onToken: write,
        onLine: ({ line: text }) => {
          newline();
          note(text);
        },
      });
      if (!streamed) write(turn.answer);
      newline();
      const { result } = turn;
      if (controller.signal.aborted || result.status === "cancelled") note("(answer stopped)");
      else if (result.status !== "ok") {
        stderr.write(`run ${result.status}: ${result.error?.message ?? ""}\n`);
        if (result.error?.hint) stderr.write(`  → ${result.error.hint}\n`);
      }
    } catch (error) {
      newline();
      if (controller.signal.aborted) note("(answer stopped)");
      else throw error;
    } finally {
      answering = undefined;
    }
  };

  return new Promise<number>((resolve) => {
    let busy = false;
    const finish = () => {
      rl.close();
      resolve(0);
    };
    const drain = async () => {
      if (busy) return;
      busy = true;
      while (pending.length > 0 && !closed) {
        const line = pending.shift() as string;
        let quit: "quit" | void = undefined;
        try {
          quit = await handle(line);
        } catch (error) {
          stderr.write(`${chatErrorText(error)}\n`);
        }
        if (quit === "quit") {
          closed = true;
          finish();
          return;
        }
      }
      busy = false;
      if (!closed) rl.prompt();
    };

    rl.on("line", (raw) => {
      const line = raw.trim();
      if (line === "") {
        if (!busy) rl.prompt();
        return;
      }
      pending.push(line);
      void drain();
    });
    rl.on("SIGINT", () => {
      if (answering) {
        answering.abort();
        return;
      }
      if (rl.line !== "") {
        rl.write(null, { ctrl: true, name: "u" });
        return;
      }
      stdout.write("\n");
      note("(press Ctrl-D or type /quit to exit)");
      rl.prompt();
    });
    rl.on("close", () => {
      if (closed) return;
      closed = true;
      answering?.abort();
      stdout.write("\n");
      resolve(0);
    });
    rl.prompt();
  });
}
