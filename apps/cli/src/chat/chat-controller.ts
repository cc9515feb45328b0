import type { RunResult, SessionSettings } from "@tinyllm/core";
import type { ChatTurn, Runtime } from "@tinyllm/runtime";
import { storeCall } from "./cli-store-errors";
import { describeRunEvent, type RunEventLine } from "./format-run-events";

/** What a chat was started with (`tinyllm chat` flags). */
export interface ChatSettings {
  /** The session to resume or create. */
  sessionId: string;
  /** `--graph`: overrides the session's graph. */
  graph?: string;
  /** `--user`: whose long-term memories are recalled. */
  user?: string;
  seed?: number;
  maxTokens?: number;
  deadlineMs?: number;
}

/** Callbacks a turn streams to. */
export interface TurnCallbacks {
  onToken(text: string): void;
  onLine(line: RunEventLine): void;
  abortSignal?: AbortSignal;
}

/** How a turn ended. */
export interface TurnOutcome {
  turn: ChatTurn;
  route?: string;
  verdict?: RunEventLine["verdict"];
  /** Tokens were streamed. */
  streamed: boolean;
}

/**
 * One conversation of `tinyllm chat`, over the runtime: sends messages with {@link Runtime.chat}
 * and keeps what the slash commands need (the session id, the user, the last run).
 */
export class ChatController {
  /** The last run's result, for `/trace`. */
  lastResult: RunResult | undefined;
  private graph: string | undefined;

  constructor(
    readonly runtime: Runtime,
    private readonly settings: ChatSettings,
  ) {
    this.graph = settings.graph;
  }

  get sessionId(): string {
    return this.settings.sessionId;
  }

  /** The user whose memories are recalled: `--user`, else the session's, else `default`. */
  async user(): Promise<string> {
    if (this.settings.user !== undefined) return this.settings.user;
    const session = await storeCall(() => this.runtime.sessionStore().get(this.sessionId));
    return session?.settings.user ?? "default";
  }

  /** The session, created (with the chat's user) when it does not exist yet. */
  async ensureSession() {
    const sessions = this.runtime.sessionStore();
    return storeCall(async () => {
      const found = await sessions.get(this.sessionId);
      if (found) return found;
      const settings: SessionSettings = {
        ...(this.graph !== undefined ? { graph: this.graph } : {}),
        ...(this.settings.user !== undefined ? { user: this.settings.user } : {}),
      };
      return sessions.create({ id: this.sessionId, settings });
    });
  }

  /** Uses `graph` for the next turns (and keeps it in the session's settings). */
  async setGraph(graph: string): Promise<void> {
    await this.ensureSession();
    await storeCall(() => this.runtime.sessionStore().updateSettings(this.sessionId, { graph }));
    this.graph = graph;
  }

  /** The graph the next turn runs: `--graph` or `/graph`, else the session's, else the configured one. */
  async currentGraph(): Promise<string | undefined> {
    if (this.graph !== undefined) return this.graph;
    const session = await storeCall(() => this.runtime.sessionStore().get(this.sessionId));
    return session?.settings.graph ?? this.runtime.config.graph;
  }

  /** Sends one message and streams the answer. */
  async send(message: string, { onToken, onLine, abortSignal }: TurnCallbacks): Promise<TurnOutcome> {
    let streamed = false;
    let route: string | undefined;
    let verdict: RunEventLine["verdict"];
    const { seed, maxTokens, deadlineMs, user } = this.settings;
    const sampling = { ...(seed !== undefined ? { seed } : {}), ...(maxTokens !== undefined ? { maxTokens } : {}) };
    const turn = await this.runtime.chat(message, {
      session: this.sessionId,
      source: "cli",
      ...(this.graph !== undefined ? { graph: this.graph } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(abortSignal ? { abortSignal } : {}),
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      ...(Object.keys(sampling).length > 0 ? { sampling } : {}),
      onEvent: (event) => {
        if (event.type === "token-delta") {
          streamed = true;
          onToken(event.text);
          return;
        }
        const line = describeRunEvent(event);
        if (!line) return;
        if (line.route !== undefined) route = line.route;
        if (line.verdict) verdict = line.verdict;
        onLine(line);
      },
    });
    this.lastResult = turn.result;
    return { turn, streamed, ...(route !== undefined ? { route } : {}), ...(verdict ? { verdict } : {}) };
  }
}
