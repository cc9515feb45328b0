import path from "node:path";
import {
  CONVERSATION_FIELD,
  MemoryErrorCode,
  TinyLLMError,
  toTinyLLMError,
  type MemoryStore,
  type ModelResolver,
  type Precedent,
  type PrecedentIndex,
  type PromptFitter,
  type SessionStore,
} from "@tinyllm/core";
import {
  createMemoryKind,
  createPromptFitter,
  createRememberTool,
  defaultMemoryStorePath,
  defaultPrecedentIndexPath,
  defaultSessionStorePath,
  learnFromExchange,
  MEMORY_OWNERS_FIELD,
  openMemoryStore,
  openPrecedentIndex,
  openSessionStore,
  prepareConversation,
  providerEmbedder,
  type MemoryOwners,
  type RememberTool,
  type SqlitePrecedentIndex,
} from "@tinyllm/memory";
import type { NodeKind } from "@tinyllm/core";
import type { ResolvedConfig } from "../config/resolved-config";
import { currentRunOwners } from "./run-owners";

/** Where the runtime keeps sessions and memories: a SQLite file, `true` for the default, `false` for none. */
export interface RuntimeMemoryOptions {
  sessionStore?: string | boolean;
  memoryStore?: string | boolean;
  precedentIndex?: string | boolean;
}

/** What {@link createRuntimeMemory} needs from the runtime. */
export interface RuntimeMemoryContext {
  cwd: string;
  env: Record<string, string | undefined>;
  config: ResolvedConfig;
  options: RuntimeMemoryOptions;
  resolveModel: ModelResolver;
  /** Chooses the model backend; rejects when there is none. */
  backendReady: () => Promise<unknown>;
  warn: (message: string) => void;
}

/**
 * The runtime's memory: the session, long-term memory and precedent stores (opened on first
 * use), the prompt fitter the model nodes use, the `memory` node kind, the `remember` tool, and
 * the preparation of a chat turn. Failures to open the long-term or precedent store warn once
 * and leave the graph running without them; the session store is what `chat` needs, so its
 * failure is an error.
 * @internal
 */
export function createRuntimeMemory(context: RuntimeMemoryContext) {
  const { cwd, env, config, options, resolveModel, warn } = context;
  const file = (option: string | boolean | undefined, fallback: string) => (typeof option === "string" ? path.resolve(cwd, option) : fallback);
  let sessions: SessionStore | undefined;
  let memories: MemoryStore | undefined;
  let memoriesTried = false;

  const sessionStore = (): SessionStore => {
    if (sessions) return sessions;
    if (options.sessionStore === false) {
      throw new TinyLLMError({
        code: MemoryErrorCode.MemoryStoreFailed,
        message: "this runtime keeps no sessions (sessionStore: false)",
        hint: "create the runtime without sessionStore: false to chat",
      });
    }
    const opened: SessionStore = openSessionStore({ path: file(options.sessionStore, defaultSessionStorePath({ cwd, env })) });
    sessions = opened;
    return opened;
  };

  const embedder = () => {
    const model = config.memory.embedModel;
    if (!model) return undefined;
    const resolved = (() => {
      try {
        return resolveModel({ model });
      } catch {
        return undefined;
      }
    })();
    return resolved ? providerEmbedder({ provider: resolved.provider, model: resolved.model }) : undefined;
  };

  /** The long-term store, or `undefined` when memories are off or the file cannot be opened (a warning says why). */
  const memoryStoreIfAny = (): MemoryStore | undefined => {
    if (memoriesTried || options.memoryStore === false) return memories;
    memoriesTried = true;
    try {
      const chosen = embedder();
      memories = openMemoryStore({ path: file(options.memoryStore, defaultMemoryStorePath({ cwd, env })), ...(chosen ? { embedder: chosen } : {}) });
    } catch (error) {
      warn(`long-term memory is off: ${toTinyLLMError(error).message}`);
    }
    return memories;
  };

  const memoryStore = (): MemoryStore => {
    if (options.memoryStore === false) {
      throw new TinyLLMError({
        code: MemoryErrorCode.MemoryStoreFailed,
        message: "this runtime keeps no long-term memory (memoryStore: false)",
        hint: "create the runtime without memoryStore: false",
      });
    }
    if (memories) return memories;
    const chosen = embedder();
    const opened: MemoryStore = openMemoryStore({
      path: file(options.memoryStore, defaultMemoryStorePath({ cwd, env })),
      ...(chosen ? { embedder: chosen } : {}),
    });
    memories = opened;
    memoriesTried = true;
    return opened;
  };

  let precedentFile: SqlitePrecedentIndex | undefined;
  let precedentsTried = false;
  /** The precedent index, or `undefined` when it is off or cannot be opened (a warning says why). */
  const precedentIndexIfAny = (): SqlitePrecedentIndex | undefined => {
    if (precedentsTried || options.precedentIndex === false) return precedentFile;
    precedentsTried = true;
    try {
      precedentFile = openPrecedentIndex({ path: file(options.precedentIndex, defaultPrecedentIndexPath({ cwd, env })) });
    } catch (error) {
      warn(`routing by precedent is off: ${toTinyLLMError(error).message}`);
    }
    return precedentFile;
  };
  let precedentWriteWarned = false;
  /** What routers consult: the precedent index, opened on the first search; with none, no precedents. */
  const precedents: PrecedentIndex = {
    async add(precedent: Precedent) {
      try {
        await precedentIndexIfAny()?.add(precedent);
      } catch (error) {
        if (precedentWriteWarned) return;
        precedentWriteWarned = true;
        warn(`a precedent was not recorded (later failures are not reported): ${toTinyLLMError(error).message}`);
      }
    },
    async nearest(query, k, nearestOptions) {
      return (await precedentIndexIfAny()?.nearest(query, k, nearestOptions)) ?? [];
    },
  };

  const fitPrompt: PromptFitter = createPromptFitter();

  /** The T0 model, when a backend is up (summaries and facts); `undefined` otherwise. */
  const smallModel = async () => {
    try {
      await context.backendReady();
      return resolveModel({ tier: "T0" });
    } catch {
      return undefined;
    }
  };

  const memoryKind: NodeKind<never> = createMemoryKind({
    store: memoryStoreIfAny,
    // Facts are proposed by the T0 model; with no backend, learn nodes say so and do nothing.
    learn: async ({ store, exchange, scope, owner, abortSignal }) => {
      const small = await smallModel();
      if (!small) return [];
      return learnFromExchange({ store, provider: small.provider, model: small.model, exchange, scope, owner, abortSignal });
    },
  }) as unknown as NodeKind<never>;

  const rememberTool: RememberTool = createRememberTool({
    store: memoryStoreIfAny,
    owner: () => {
      const owners = currentRunOwners();
      if (owners?.user) return { scope: "user", owner: owners.user };
      if (owners?.session) return { scope: "session", owner: owners.session };
      return { scope: "user", owner: "default" };
    },
  });

  /** The state a chat turn's run starts with, and the session it belongs to. */
  const prepareTurn = async (input: { sessions: SessionStore; sessionId: string; message: string; owners: MemoryOwners; abortSignal?: AbortSignal }) => {
    const model = await smallModel();
    const specialist = await (async () => {
      try {
        await context.backendReady();
        return resolveModel({ tier: "T1" });
      } catch {
        return undefined;
      }
    })();
    const prepared = await prepareConversation({
      store: input.sessions,
      sessionId: input.sessionId,
      message: input.message,
      ...(specialist ? { provider: specialist.provider, model: specialist.model } : {}),
      ...(model ? { summarizer: { provider: model.provider, model: model.model } } : {}),
      ...(input.abortSignal ? { abortSignal: input.abortSignal } : {}),
    });
    return {
      state: { [CONVERSATION_FIELD]: prepared.conversation, [MEMORY_OWNERS_FIELD]: input.owners },
      foldedTurns: prepared.foldedTurns,
    };
  };

  return {
    sessionStore,
    memoryStore,
    memoryStoreIfAny,
    precedents,
    precedentIndex: precedentIndexIfAny,
    fitPrompt,
    memoryKind,
    rememberTool,
    prepareTurn,
    async close() {
      await Promise.allSettled([sessions?.close(), memories?.close()]);
      precedentFile?.close();
    },
  };
}

/** What {@link createRuntimeMemory} returns. @internal */
export type RuntimeMemory = ReturnType<typeof createRuntimeMemory>;
