import { randomUUID } from "node:crypto";
import path from "node:path";
import { CliError } from "../cli-error";
import { ChatController } from "../chat/chat-controller";
import { storeCall } from "../chat/cli-store-errors";
import { parseSessionId, parseWholeNumber } from "../chat/parse-flags";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import { printGraphProblems } from "../print-problems";
import { parseDeadline, parseSeed } from "./run";

/** Options of `tinyllm chat`. */
export interface ChatOptions extends ModelFlags {
  session?: string;
  user?: string;
  seed?: string;
  maxTokens?: string;
  deadline?: string;
  json?: boolean;
}

/**
 * `tinyllm chat`: a conversation that persists. On a terminal, a prompt with streamed answers and
 * slash commands; piped, one message per line with plain (or `--json`) answers.
 */
export async function chat(options: ChatOptions): Promise<number> {
  const sessionId = options.session !== undefined ? parseSessionId(options.session) : randomUUID();
  if (options.user !== undefined && options.user.trim() === "") throw new CliError("--user is empty", 2, "e.g. --user alice");
  const seed = parseSeed(options.seed);
  const maxTokens = parseWholeNumber("--max-tokens", options.maxTokens, { max: 1_000_000 });
  const deadlineMs = parseDeadline(options.deadline);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !options.json;
  return withRuntime(options, { verdicts: true }, async (runtime) => {
    const { defaultGraphFile } = await import("@tinyllm/runtime");
    const existing = await storeCall(() => runtime.sessionStore().get(sessionId));
    const graphFlag = options.graph !== undefined ? path.resolve(options.graph) : undefined;
    const graph = graphFlag ?? existing?.settings.graph ?? runtime.config.graph ?? defaultGraphFile();
    const checked = await runtime.checkGraph(graph);
    if (!checked.ok) return printGraphProblems(checked.file, checked.problems, options);
    if (checked.loaded.graph.nodeList.some((node) => node.kind === "model")) await runtime.backend().catch(rethrowForPeople);
    const controller = new ChatController(runtime, {
      sessionId,
      ...(graphFlag !== undefined ? { graph: graphFlag } : {}),
      ...(options.user !== undefined ? { user: options.user } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    });
    if (!options.json) {
      process.stderr.write(`using ${(await runtime.backend().catch(() => undefined))?.description ?? "no model provider"}\n`);
      process.stderr.write(
        existing
          ? `resuming session ${sessionId} (${existing.messageCount} message${existing.messageCount === 1 ? "" : "s"})\n`
          : `session ${sessionId} (resume it with: tinyllm chat --session ${sessionId})\n`,
      );
      if (interactive) process.stderr.write("type /help for commands; Ctrl-C stops an answer, Ctrl-D leaves\n");
    }
    if (interactive) {
      const { replChat } = await import("../chat/repl-chat");
      return replChat(controller);
    }
    const { pipedChat } = await import("../chat/piped-chat");
    return pipedChat(controller, { json: options.json === true });
  });
}

function rethrowForPeople(error: unknown): never {
  const failure = error as { message?: string; hint?: string };
  throw new CliError(failure.message ?? String(error), 1, failure.hint);
}
