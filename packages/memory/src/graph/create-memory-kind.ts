import { CONVERSATION_FIELD, conversationOf, defineNodeKind, toTinyLLMError, type MemoryScope, type MemoryStore, type NodeKind } from "@tinyllm/core";
import { z } from "zod";
import { MEMORY_OWNERS_FIELD, memoryOwnersOf, scopesOf } from "./memory-owners";

const scope = z.enum(["user", "session", "graph"]);

/** Config of a `memory` node. */
export const MemoryNodeConfigSchema = z.strictObject({
  /**
   * `recall`: search long-term memory for the query and add what is found to the conversation
   * the model nodes see. `learn`: after a passing verdict, propose facts from the exchange and
   * add, update or delete memories (the mem0 way).
   */
  mode: z.enum(["recall", "learn"]),
  /** How many memories to recall. Default 5. */
  k: z.int().min(1).max(50).default(5),
  /** Which scopes to recall from, and (first one present) to learn into. Default user, session, graph. */
  scopes: z.array(scope).min(1).default(["user", "session", "graph"]),
  /** State field with the answer `learn` reads. Default `output`. */
  answer: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default("output"),
});

/** Parsed config of a `memory` node. */
export type MemoryNodeConfig = z.output<typeof MemoryNodeConfigSchema>;

/** What a `learn` node hands to {@link MemoryKindOptions.learn}. */
export interface LearnInput {
  store: MemoryStore;
  exchange: { user: string; assistant: string };
  scope: MemoryScope;
  owner: string;
  abortSignal: AbortSignal;
}

/** Options of {@link createMemoryKind}. */
export interface MemoryKindOptions {
  /** The long-term store, or `undefined` when none is configured: the nodes then do nothing and say so. */
  store: () => MemoryStore | undefined;
  /**
   * Proposes facts from a passing exchange and applies them (e.g. `learnFromExchange` with the
   * T0 model). Without it, `learn` nodes do nothing and say so.
   */
  learn?: (input: LearnInput) => Promise<{ op: string }[]>;
}

/**
 * The `memory` node kind. `mode: recall` (before the specialists) searches long-term memory for
 * the run's input in the scopes its owners name ({@link MEMORY_OWNERS_FIELD}) and adds the
 * memories to the conversation ({@link @tinyllm/core!CONVERSATION_FIELD}); `mode: learn` (after
 * the gate) stores facts from the exchange only when the verdict passed, so failed answers are
 * never stored. Without a store, both do nothing and emit a `memory` node-info saying why; a
 * failing store or model never fails the run.
 */
export function createMemoryKind(options: MemoryKindOptions): NodeKind<MemoryNodeConfig> {
  return defineNodeKind({
    kind: "memory",
    description: "Recalls long-term memories into the conversation, or learns facts from a passing answer.",
    configSchema: MemoryNodeConfigSchema,
    writes: (config) => (config.mode === "recall" ? [CONVERSATION_FIELD] : []),
    // The owners (MEMORY_OWNERS_FIELD) come from the caller when it has them, so they are not a declared read.
    reads: (config) => (config.mode === "recall" ? ["input"] : ["input", config.answer, "verdict"]),
    create: (config) => async (state, context) => {
      const info = (data: Record<string, unknown>) => {
        context.emit({ type: "node-info", name: "memory", data: { mode: config.mode, ...data } });
        context.span.setAttributes({ memory: { mode: config.mode, ...data } });
      };
      const store = options.store();
      if (!store) return info({ skipped: "no memory store is configured" });
      const owners = memoryOwnersOf(state[MEMORY_OWNERS_FIELD]);
      const scopes = scopesOf(owners, config.scopes);
      if (scopes.length === 0) return info({ skipped: `the run names no owner for scopes ${config.scopes.join(", ")}` });
      const query = typeof state.input === "string" ? state.input : JSON.stringify(state.input ?? "");
      if (config.mode === "recall") {
        try {
          const hits = await store.search(query.slice(0, 2_000), { k: config.k, scopes, abortSignal: context.abortSignal });
          info({ recalled: hits.length, ids: hits.map((hit) => hit.id) });
          if (hits.length === 0) return;
          const conversation = conversationOf(state[CONVERSATION_FIELD]) ?? { turns: [] };
          return { patch: { [CONVERSATION_FIELD]: { ...conversation, memories: [...(conversation.memories ?? []), ...hits.map((hit) => hit.text)] } } };
        } catch (thrown) {
          if (context.abortSignal.aborted) throw thrown;
          const error = toTinyLLMError(thrown);
          return info({ failed: { code: error.code, message: error.message.slice(0, 300) } });
        }
      }
      const verdict = state.verdict as { pass?: unknown } | undefined;
      if (verdict?.pass !== true) return info({ skipped: verdict ? "the answer did not pass the gate" : "the run has no verdict to learn from" });
      if (!options.learn) return info({ skipped: "no model to propose facts" });
      const answer = state[config.answer];
      if (typeof answer !== "string" || answer.trim() === "") return info({ skipped: `no answer in '${config.answer}'` });
      const target = scopes[0]!;
      try {
        const ops = await options.learn({
          store,
          exchange: { user: query, assistant: answer },
          scope: target.scope,
          owner: target.owner,
          abortSignal: context.abortSignal,
        });
        const counts: Record<string, number> = {};
        for (const op of ops) counts[op.op] = (counts[op.op] ?? 0) + 1;
        info({ scope: target.scope, ops: counts });
      } catch (thrown) {
        if (context.abortSignal.aborted) throw thrown;
        const error = toTinyLLMError(thrown);
        info({ failed: { code: error.code, message: error.message.slice(0, 300) } });
      }
    },
  });
}
