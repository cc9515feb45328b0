import { TinyLLMError, type MemoryScope, type MemoryStore } from "@tinyllm/core";
import { z } from "zod";

/** Input of the `remember` tool. */
export const rememberInputSchema = z.object({
  // No length bounds here: the schema becomes a grammar for small models, and the store checks the length.
  fact: z.string().describe("One fact to keep, in a full sentence, e.g. 'The user's sister Dana lives in Lisbon.'"),
});

/** Output of the `remember` tool. */
export const rememberOutputSchema = z.object({
  id: z.string(),
  scope: z.enum(["user", "session", "graph"]),
  /** What to tell the user, e.g. `I'll remember that: Dana lives in Lisbon.` */
  text: z.string(),
});

/** The `remember` tool, in the shape of `@tinyllm/tools`' `Tool` (so a tool registry takes it as is). */
export interface RememberTool {
  readonly name: "remember";
  readonly description: string;
  readonly inputSchema: typeof rememberInputSchema;
  readonly outputSchema: typeof rememberOutputSchema;
  readonly timeoutMs: number;
  /** Takes an explicit request ("remember that …", "please note: …", "don't forget that …") as a call, before any model is asked. */
  fromQuery(query: string): { input: z.infer<typeof rememberInputSchema>; answersQuery: boolean } | undefined;
  execute(input: z.infer<typeof rememberInputSchema>, options: { abortSignal: AbortSignal }): Promise<z.infer<typeof rememberOutputSchema>>;
}

/** Options of {@link createRememberTool}. */
export interface RememberToolOptions {
  /** The long-term store, or `undefined` when none is configured (the tool then fails with a clear error). */
  store: () => MemoryStore | undefined;
  /** Whose memory the current call writes to (the run's user, else its session, else its graph). */
  owner: () => { scope: MemoryScope; owner: string };
}

/** "remember that …", "please note: …", "don't forget that …", "keep in mind …" at the start of a message. */
const explicitRequest = /^\s*(?:(?:please|pls|kindly)[,\s]+)?(?:remember|note|don'?t forget|do not forget|keep in mind)(?:\s+that)?\s*[:,-]?\s+(.+)$/is;
/** Words after "remember" that make it something else: a reminder, a question, an instruction. */
const notAFact = /^(?:to|when|how|what|who|whom|where|why|which|whether|if|me|us|this|these|those|it)\b/i;

/** The fact of an explicit "remember that …" request, or undefined when `query` is not one. */
export function explicitFact(query: string): string | undefined {
  if (query.length > 2_000 || /\?\s*$/.test(query)) return undefined;
  const match = explicitRequest.exec(query);
  const rest = match?.[1]?.trim().replace(/\s+/g, " ");
  if (!rest || rest.length < 3 || notAFact.test(rest)) return undefined;
  const sentence = rest.charAt(0).toUpperCase() + rest.slice(1);
  return /[.!]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * The `remember` tool: lets a specialist store a fact in long-term memory on purpose. The fact
 * goes to the scope {@link RememberToolOptions.owner} names for the current run. An explicit
 * request at the start of the message ("remember that my sister lives in Lisbon") is taken
 * before any model is asked, when the node lets tools act on the query first.
 */
export function createRememberTool(options: RememberToolOptions): RememberTool {
  return {
    name: "remember",
    description:
      "Stores one fact about the user or the task in long-term memory, so later conversations can recall it. Use it when the user asks you to remember something.",
    inputSchema: rememberInputSchema,
    outputSchema: rememberOutputSchema,
    timeoutMs: 10_000,
    fromQuery(query) {
      const fact = explicitFact(query);
      return fact ? { input: { fact }, answersQuery: true } : undefined;
    },
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
      return { id: memory.id, scope: memory.scope, text: `I'll remember that: ${memory.text}` };
    },
  };
}
