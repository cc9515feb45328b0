import { generateObject, toTinyLLMError, type MemoryHit, type MemoryScope, type MemoryStore, type ModelProvider } from "@tinyllm/core";
import { z } from "zod";

const maxFacts = 10;
const maxFactChars = 300;

// No length bounds in the schemas: they become grammars for small models; lengths are checked after.
const FactsSchema = z.object({ facts: z.array(z.string()) });
const DecisionSchema = z.object({ op: z.enum(["add", "update", "delete", "none"]), id: z.string().optional(), text: z.string().optional() });

/** What {@link extractFacts} returns: the facts, and why there are none when the model failed. */
export interface ExtractedFacts {
  facts: string[];
  /** Set when the model's answer stayed invalid after the repair round (then `facts` is empty). */
  problem?: string;
}

/**
 * Proposes facts worth remembering about the user from the latest exchange (the mem0 way):
 * schema-constrained output `{ facts: string[] }`, validated, with one repair round; at most 10
 * facts of at most 300 characters, trimmed and deduplicated.
 */
export async function extractFacts(options: {
  provider: ModelProvider;
  model: string;
  exchange: { user: string; assistant: string };
  abortSignal?: AbortSignal;
}): Promise<ExtractedFacts> {
  const { provider, model, exchange } = options;
  try {
    const { object } = await generateObject({
      provider,
      model,
      schema: FactsSchema,
      system:
        'You extract facts about the user worth remembering in later conversations: their name, people, places, preferences, plans. Answer with JSON {"facts": [...]}: short sentences, or an empty list when there is nothing to keep.',
      messages: [{ role: "user", content: `User: ${exchange.user.slice(0, 2_000)}\nAssistant: ${exchange.assistant.slice(0, 2_000)}` }],
      temperature: 0,
      maxTokens: 256,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    const seen = new Set<string>();
    const facts: string[] = [];
    for (const raw of object.facts) {
      const fact = raw.replace(/\s+/g, " ").trim().slice(0, maxFactChars);
      if (fact.length < 3 || seen.has(fact.toLowerCase())) continue;
      seen.add(fact.toLowerCase());
      facts.push(fact);
      if (facts.length === maxFacts) break;
    }
    return { facts };
  } catch (thrown) {
    if (options.abortSignal?.aborted) throw thrown;
    const error = toTinyLLMError(thrown);
    if (error.code !== "MODEL_OUTPUT_INVALID") throw error;
    return { facts: [], problem: error.message };
  }
}

/** What to do with one candidate fact, given its nearest stored memories. */
export type MemoryDecision = { op: "add" } | { op: "update"; id: string; text: string } | { op: "delete"; id: string } | { op: "none" };

/**
 * Compares a candidate fact with its nearest stored memories and lets the model pick `add`,
 * `update` (an id among them, with the new text), `delete` (a memory the fact contradicts) or
 * `none` (already known). Schema-constrained, one repair round; an id not among `nearest`, or an
 * answer that stays invalid, falls back to `add` when nothing is near and `none` otherwise.
 */
export async function decideMemoryUpdate(options: {
  provider: ModelProvider;
  model: string;
  candidate: string;
  nearest: MemoryHit[];
  abortSignal?: AbortSignal;
}): Promise<MemoryDecision> {
  const { provider, model, candidate, nearest } = options;
  if (nearest.length === 0) return { op: "add" };
  const fallback: MemoryDecision = { op: "none" };
  try {
    const { object } = await generateObject({
      provider,
      model,
      schema: DecisionSchema,
      system:
        'You keep a user\'s memory tidy. Given a new fact and stored memories (with ids), answer JSON {"op": "add" | "update" | "delete" | "none", "id"?: string, "text"?: string}: add a new fact, update a memory it refines (give its id and the new text), delete a memory it contradicts (its id), or none when it is already known.',
      messages: [{ role: "user", content: `New fact: ${candidate}\nStored memories:\n${nearest.map((hit) => `- [${hit.id}] ${hit.text}`).join("\n")}` }],
      temperature: 0,
      maxTokens: 128,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    const ids = new Set(nearest.map((hit) => hit.id));
    if (object.op === "add" || object.op === "none") return { op: object.op };
    if (!object.id || !ids.has(object.id)) return fallback;
    if (object.op === "delete") return { op: "delete", id: object.id };
    const text = object.text?.trim();
    return text ? { op: "update", id: object.id, text: text.slice(0, maxFactChars) } : fallback;
  } catch (thrown) {
    if (options.abortSignal?.aborted) throw thrown;
    const error = toTinyLLMError(thrown);
    if (error.code !== "MODEL_OUTPUT_INVALID") throw error;
    return fallback;
  }
}

/** One change {@link learnFromExchange} made to the store. */
export interface AppliedMemoryOp {
  op: "add" | "update" | "delete" | "none";
  /** The memory added, updated or deleted. */
  id?: string;
  fact: string;
}

/**
 * Learns from an exchange the mem0 way: {@link extractFacts}, then for each fact its `k` nearest
 * memories in the same scope and owner, {@link decideMemoryUpdate}, and the change applied.
 */
export async function learnFromExchange(options: {
  store: MemoryStore;
  provider: ModelProvider;
  model: string;
  exchange: { user: string; assistant: string };
  scope: MemoryScope;
  owner: string;
  k?: number;
  abortSignal?: AbortSignal;
}): Promise<AppliedMemoryOp[]> {
  const { store, provider, model, scope, owner } = options;
  const abort = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const { facts } = await extractFacts({ provider, model, exchange: options.exchange, ...abort });
  const applied: AppliedMemoryOp[] = [];
  for (const fact of facts) {
    const nearest = await store.search(fact, { k: options.k ?? 5, scopes: [{ scope, owner }], ...abort });
    const decision = await decideMemoryUpdate({ provider, model, candidate: fact, nearest, ...abort });
    if (decision.op === "add") applied.push({ op: "add", id: (await store.add({ text: fact, scope, owner, source: "chat" })).id, fact });
    else if (decision.op === "update") applied.push({ op: "update", id: (await store.update(decision.id, decision.text))?.id ?? decision.id, fact });
    else if (decision.op === "delete") {
      await store.forget(decision.id);
      applied.push({ op: "delete", id: decision.id, fact });
    } else applied.push({ op: "none", fact });
  }
  return applied;
}
