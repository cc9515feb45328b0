import readline from "node:readline";
import type { ChatController, TurnOutcome } from "./chat-controller";
import { chatErrorText } from "./print-chat";
import { isSlashCommand, runSlashCommand } from "./slash-commands";

/**
 * `tinyllm chat` with stdin not a terminal: each line is a message or a slash command, answers
 * go to stdout plainly (one JSON object per answer with `json`), everything else to stderr. EOF
 * and `/quit` end it. Resolves the exit code: 0, or 1 when a message could not be answered.
 */
export async function pipedChat(chat: ChatController, { json }: { json: boolean }): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const lines = readline.createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  let exitCode = 0;
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === "") continue;
      if (isSlashCommand(line)) {
        const said: string[] = [];
        const io = json ? { out: (text: string) => said.push(text), note: (text: string) => said.push(text) } : slashIo;
        let quit: "quit" | void;
        try {
          quit = await runSlashCommand(chat, line, io);
        } catch (error) {
          process.stderr.write(`${chatErrorText(error)}\n`);
          continue;
        }
        if (json && said.length > 0) process.stdout.write(`${JSON.stringify({ command: line.split(/\s/)[0], output: said.join("\n") })}\n`);
        if (quit === "quit") break;
        continue;
      }
      const message = line.startsWith("//") ? line.slice(1) : line;
      let outcome: TurnOutcome;
      let streamedText = "";
      try {
        outcome = await chat.send(message, {
          abortSignal: controller.signal,
          onToken: (text) => {
            if (json) return;
            streamedText += text;
            process.stdout.write(text);
          },
          onLine: ({ line: text }) => {
            if (!json) process.stderr.write(`${text}\n`);
          },
        });
      } catch (error) {
        if (streamedText !== "") process.stdout.write("\n");
        process.stderr.write(`${chatErrorText(error)}\n`);
        exitCode = 1;
        if (controller.signal.aborted) break;
        continue;
      }
      const { turn, route, verdict } = outcome;
      const { result } = turn;
      if (json) {
        process.stdout.write(
          `${JSON.stringify({
            sessionId: turn.sessionId,
            runId: result.runId,
            status: result.status,
            answer: turn.answer,
            ...(route !== undefined ? { route } : {}),
            ...(verdict ? { verdict } : {}),
            ...(result.error
              ? { error: { code: result.error.code, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) } }
              : {}),
          })}\n`,
        );
      } else {
        if (streamedText === "" && turn.answer !== "") process.stdout.write(turn.answer);
        if (streamedText !== "" || turn.answer !== "") process.stdout.write("\n");
        if (result.status !== "ok") {
          process.stderr.write(`run ${result.status}: ${result.error?.message ?? ""}\n`);
          if (result.error?.hint) process.stderr.write(`  → ${result.error.hint}\n`);
        }
      }
      if (result.status !== "ok") exitCode = 1;
      if (controller.signal.aborted) break;
    }
  } finally {
    process.removeListener("SIGINT", onSigint);
    lines.close();
  }
  return controller.signal.aborted ? 130 : exitCode;
}

const slashIo = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  note: (text: string) => process.stderr.write(`${text}\n`),
};
