import { TinyLLMError, type MemoryScope, type MemoryStore } from "@tinyllm/core";
import { z } from "zod";

/** Input of the `remember` tool. */
export const rememberInputSchema = z.object({
  // No length bounds here: the schema becomes a grammar for small models, and the store checks the length.
  fact: z.string().describe("One fact to keep, in a full sentence, e.g. 'The user's sister Dana lives in Lisbon.'"),
});

/** Output of the `remember` tool. */
export const rememberOutputSchema = z.object({ id: z.string(), scope: z.enum(["user", "session", "graph"]) });

/** The `remember` tool, in the shape of `@tinyllm/tools`' `Tool` (so a tool registry takes it as is). */
export interface RememberTool {
  readonly name: "remember";
  readonly description: string;
  readonly inputSchema: typeof rememberInputSchema;
  readonly outputSchema: typeof rememberOutputSchema;
  readonly timeoutMs: number;
  execute(input: z.infer<typeof rememberInputSchema>, options: { abortSignal: AbortSignal }): Promise<z.infer<typeof rememberOutputSchema>>;
}

/** Options of {@link createRememberTool}. */
export interface RememberToolOptions {
  /** The long-term store, or `undefined` when none is configured (the tool then fails with a clear error). */
  store: () => MemoryStore | undefined;
  /** Whose memory the current call writes to (the run's user, else its session, else its graph). */
  owner: () => { scope: MemoryScope; owner: string };
}

/**
 * The `remember` tool: lets a specialist store a fact in long-term memory on purpose. The fact
 * goes to the scope {@link RememberToolOptions.owner} names for the current run.
 */
export function createRememberTool(options: RememberToolOptions): RememberTool {
  return {
    name: "remember",
    description:
      "Stores one fact about the user or the task in long-term memory, so later conversations can recall it. Use it when the user asks you to remember something.",
    inputSchema: rememberInputSchema,
    outputSchema: rememberOutputSchema,
    timeoutMs: 10_000,
    async execute({ fact }) {
      const store = options.store();
      if (!store) {
        throw new TinyLLMError({
          code: "MEMORY_STORE_FAILED",
          message: "no long-term memory store is configured, so the fact cannot be kept",
          hint: "answer without remembering it",
        });
      }
      const { scope, owner } = options.owner();
      const memory = await store.add({ text: fact, scope, owner, source: "remember" });
      return { id: memory.id, scope: memory.scope };
    },
  };
}
