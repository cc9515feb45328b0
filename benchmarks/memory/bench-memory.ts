/**
 * Long-term and short-term memory on synthetic long conversations (conversation-generator.ts,
 * seeded: the same figures on every run of one machine).
 *
 *   pnpm bench:memory [--conversations 30] [--facts 20] [--sizes 10000,100000] [--rounds 5]
 *                     [--queries 200] [--smoke]
 *
 * 1. Recall@5 of planted facts, asked about with paraphrasing questions at the end of
 *    200-turn conversations: openMemoryStore with no embedding model (its BM25 path, the
 *    "hybrid" retriever as shipped), plain minisearch with default settings (the peer), and a
 *    last-N-turns window (N = the turns that fit the 2k short-term window).
 * 2. Prompt tokens of the short-term window (system + summary stand-in + 5 recalled memories +
 *    the recent turns that fit 2,048 tokens) against the whole history, at 50, 200 and 1000
 *    turns, both counted with @tinyllm/memory's estimateTokens (ceil(chars / 3) + 4 a message).
 * 3. Search latency (k = 5, one owner's scope) at 10k and 100k memories: warm-up, then the
 *    median over rounds of each round's p50 and p95.
 *
 * `--smoke`: 3 conversations, 1k memories, 2 rounds of 50 queries. Last line: one JSON object.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SessionMessage } from "@tinyllm/core";
import { buildPromptWindow, estimateTokens, openMemoryStore, tokenCounter, type SqliteMemoryStore } from "@tinyllm/memory";
import MiniSearch from "minisearch";
import { median, sizeFlag, smoke } from "../executor/stats";
import { distractorMessage, generateConversation, randomFact, seededRandom, type GeneratedConversation } from "./conversation-generator";

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const conversationCount = sizeFlag("conversations", 30, 3);
const factsPerConversation = sizeFlag("facts", 20, 20);
const rounds = sizeFlag("rounds", 5, 2);
const queriesPerRound = sizeFlag("queries", 200, 50);
const sizes = (arg("sizes") ?? (smoke ? "1000" : "10000,100000")).split(",").map(Number);
const k = 5;
const budgetTokens = 2_048;
const system = "You are a helpful assistant running on a small local model. Answer briefly and accurately, and say when you do not know.";
const counter = tokenCounter();

// ---- 1. Recall@5 ------------------------------------------------------------------------

const conversations: GeneratedConversation[] = Array.from({ length: conversationCount }, (_, i) =>
  generateConversation({ seed: 1_000 + i, turns: 200, facts: factsPerConversation }),
);
const ownerOf = (i: number) => ({ scope: "user" as const, owner: `user-${i}` });

interface Retriever {
  name: string;
  search(question: string, conversation: number): Promise<string[]>;
}

/** openMemoryStore (no embedder) and plain minisearch over the same memories. */
async function retrievers(memories: { text: string; conversation: number }[]): Promise<{ retrievers: Retriever[]; close: () => Promise<void> }> {
  const store = openMemoryStore({ path: ":memory:" });
  for (const memory of memories) await store.add({ text: memory.text, ...ownerOf(memory.conversation), source: "bench" });
  const plain = new MiniSearch<{ id: number; text: string; owner: number }>({ fields: ["text"], storeFields: ["text", "owner"] });
  plain.addAll(memories.map((memory, id) => ({ id, text: memory.text, owner: memory.conversation })));
  return {
    retrievers: [
      {
        name: "hybrid (openMemoryStore, no embedding model)",
        search: async (question, conversation) => (await store.search(question, { k, scopes: [ownerOf(conversation)] })).map((hit) => hit.text),
      },
      {
        name: "BM25 alone (minisearch defaults)",
        search: async (question, conversation) =>
          plain
            .search(question, { filter: (result) => result.owner === conversation })
            .slice(0, k)
            .map((result) => result.text as string),
      },
    ],
    close: () => store.close(),
  };
}

/** The short-term window at the end of a conversation, as the runtime would build it. */
async function windowOf(conversation: GeneratedConversation, current: string, memories: string[]) {
  const messages: SessionMessage[] = conversation.turns.map((turn, i) => ({ seq: i + 1, role: turn.role, content: turn.content, atMs: i }));
  // A stand-in for the rolling summary of older turns: about 600 characters of their opening user turns.
  const summaryText = `The user asked about: ${conversation.turns
    .filter((turn) => turn.role === "user")
    .slice(0, 12)
    .map((turn) => turn.content)
    .join(" ")}`.slice(0, 600);
  const window = await buildPromptWindow({
    system,
    summary: { text: summaryText, throughSeq: 0, by: "stand-in", atMs: 0 },
    messages,
    memories: memories.map((text) => ({ text })),
    current,
    contextTokens: budgetTokens,
    reserveTokens: 0,
    counter,
  });
  const fullTokens = estimateTokens([...conversation.turns, { role: "user", content: current }], system);
  return { window, fullTokens, recentTurns: conversation.turns.length - (window.includedFromSeq - 1) };
}

async function recallSetting(label: string, memories: { text: string; conversation: number }[]) {
  const { retrievers: list, close } = await retrievers(memories);
  const found = new Map<string, number>(list.map((r) => [r.name, 0]));
  let windowFound = 0;
  let questions = 0;
  const recentTurns: number[] = [];
  for (const [c, conversation] of conversations.entries()) {
    const { window, recentTurns: n } = await windowOf(conversation, "And one more question.", []);
    recentTurns.push(n);
    for (const fact of conversation.facts) {
      questions++;
      for (const retriever of list)
        if ((await retriever.search(fact.question, c)).includes(fact.fact)) found.set(retriever.name, found.get(retriever.name)! + 1);
      if (fact.turn + 1 >= window.includedFromSeq) windowFound++;
    }
  }
  await close();
  const recall = Object.fromEntries([...found].map(([name, n]) => [name, n / questions]));
  const lastN = windowFound / questions;
  console.log(`\nrecall@${k}, ${label}: ${questions} questions over ${conversations.length} conversations of 200 turns, ${memories.length} memories`);
  for (const [name, value] of Object.entries(recall)) console.log(`  ${name.padEnd(48)} ${value.toFixed(3)}`);
  console.log(`  ${`last-N-turns window (N = ${median(recentTurns)} turns, median)`.padEnd(48)} ${lastN.toFixed(3)}`);
  return { hybrid: recall[list[0]!.name]!, bm25: recall[list[1]!.name]!, lastN, lastNTurns: median(recentTurns), questions, memories: memories.length };
}

console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}memory benchmark: ${conversationCount} conversations × ${factsPerConversation} planted facts (${conversationCount * factsPerConversation} questions); latency at ${sizes.join(", ")} memories`,
);
const factsOnly = await recallSetting(
  "the planted facts as memories",
  conversations.flatMap((conversation, c) => conversation.facts.map((fact) => ({ text: fact.fact, conversation: c }))),
);
const everyUserTurn = await recallSetting(
  "every user turn as a memory (facts among distractors)",
  conversations.flatMap((conversation, c) =>
    conversation.turns.filter((turn) => turn.role === "user").map((turn) => ({ text: turn.content, conversation: c })),
  ),
);

// ---- 2. Prompt tokens ---------------------------------------------------------------------

const tokenRows: { turns: number; window: number; full: number; ratio: number; recentTurns: number }[] = [];
const tokenConversations = smoke ? 1 : 5;
for (const turns of [50, 200, 1000]) {
  const windows: number[] = [];
  const fulls: number[] = [];
  const recents: number[] = [];
  for (let i = 0; i < tokenConversations; i++) {
    const conversation = generateConversation({ seed: 5_000 + turns + i, turns, facts: Math.min(20, turns / 4) });
    const question = conversation.facts[0]!.question;
    // Five recalled memories, as the store recalls them for the first fact's question.
    const store = openMemoryStore({ path: ":memory:" });
    for (const fact of conversation.facts) await store.add({ text: fact.fact, scope: "user", owner: "u" });
    const recalled = (await store.search(question, { k })).map((hit) => hit.text);
    await store.close();
    while (recalled.length < k) recalled.push(conversation.facts[recalled.length]!.fact);
    const { window, fullTokens, recentTurns } = await windowOf(conversation, question, recalled);
    windows.push(window.usedTokens);
    fulls.push(fullTokens);
    recents.push(recentTurns);
  }
  const window = median(windows);
  const full = median(fulls);
  tokenRows.push({ turns, window, full, ratio: window / full, recentTurns: median(recents) });
}
console.log(`\nprompt tokens (estimateTokens: ceil(chars / 3) + 4 per message), median of ${tokenConversations} conversation(s) each`);
console.log("  turns   window (2k budget)   whole history   window/whole   recent turns kept");
for (const row of tokenRows)
  console.log(
    `  ${String(row.turns).padStart(5)}   ${String(row.window).padStart(18)}   ${String(row.full).padStart(13)}   ${`${(row.ratio * 100).toFixed(1)}%`.padStart(12)}   ${String(row.recentTurns).padStart(17)}`,
  );

// ---- 3. Search latency --------------------------------------------------------------------

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const latencyRows: { memories: number; addMs: number; openMs: number; p50: number; p95: number }[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "tinyllm-bench-memory-"));
try {
  for (const size of sizes) {
    const random = seededRandom(size);
    const file = path.join(dir, `memories-${size}.db`);
    let store: SqliteMemoryStore = openMemoryStore({ path: file, maxMemories: size });
    const owners = 10;
    const addStart = performance.now();
    for (let i = 0; i < size; i++) {
      const text = random() < 0.7 ? randomFact(random).fact : distractorMessage(random);
      await store.add({ text, scope: "user", owner: `user-${i % owners}`, source: "bench" });
    }
    const addMs = (performance.now() - addStart) / size;
    await store.close();
    const openStart = performance.now();
    store = openMemoryStore({ path: file, maxMemories: size });
    await store.search("warm", { k });
    const openMs = performance.now() - openStart;
    const queries = Array.from({ length: queriesPerRound }, () => randomFact(random).question);
    const owner = () => ({ scope: "user" as const, owner: `user-${Math.floor(random() * owners)}` });
    for (const query of queries.slice(0, 50)) await store.search(query, { k, scopes: [owner()] });
    const p50s: number[] = [];
    const p95s: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const times: number[] = [];
      for (const query of queries) {
        const scopes = [owner()];
        const start = performance.now();
        await store.search(query, { k, scopes });
        times.push(performance.now() - start);
      }
      p50s.push(percentile(times, 50));
      p95s.push(percentile(times, 95));
    }
    await store.close();
    latencyRows.push({ memories: size, addMs, openMs, p50: median(p50s), p95: median(p95s) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nsearch latency (k = ${k}, one of 10 owners' scope), ${rounds} rounds of ${queriesPerRound} queries after 50 warm-up; median of the rounds' percentiles`,
);
console.log("  memories     p50 ms     p95 ms   add ms/memory   reopen + first search ms");
for (const row of latencyRows)
  console.log(
    `  ${String(row.memories).padStart(8)}   ${row.p50.toFixed(2).padStart(8)}   ${row.p95.toFixed(2).padStart(8)}   ${row.addMs.toFixed(3).padStart(13)}   ${row.openMs.toFixed(0).padStart(24)}`,
  );

// ---- Targets --------------------------------------------------------------------------------

const at200 = tokenRows.find((row) => row.turns === 200)!;
const at10k = latencyRows.find((row) => row.memories === 10_000);
const targets = {
  hybrid_recall_at_5_ge_0_9: factsOnly.hybrid >= 0.9,
  prompt_tokens_at_200_turns_le_20pct: at200.ratio <= 0.2,
  ...(at10k ? { search_p50_at_10k_lt_5ms: at10k.p50 < 5 } : {}),
};
console.log("\ntargets:");
console.log(
  `  hybrid recall@5 ≥ 0.9 with no embedding model (planted facts as memories): ${factsOnly.hybrid.toFixed(3)} → ${targets.hybrid_recall_at_5_ge_0_9 ? "met" : "NOT met"}`,
);
console.log(
  `  prompt tokens ≤ 20% of the whole history at 200 turns: ${(at200.ratio * 100).toFixed(1)}% → ${targets.prompt_tokens_at_200_turns_le_20pct ? "met" : "NOT met"}`,
);
console.log(
  at10k
    ? `  search p50 < 5 ms at 10k memories: ${at10k.p50.toFixed(2)} ms → ${at10k.p50 < 5 ? "met" : "NOT met"}`
    : "  search p50 < 5 ms at 10k memories: not measured (no 10k size in this run)",
);
const round3 = (n: number) => Number(n.toFixed(3));
console.log(
  JSON.stringify({
    recall_at_5: {
      facts_as_memories: {
        hybrid: round3(factsOnly.hybrid),
        bm25: round3(factsOnly.bm25),
        last_n_turns: round3(factsOnly.lastN),
        questions: factsOnly.questions,
      },
      every_user_turn_as_memory: {
        hybrid: round3(everyUserTurn.hybrid),
        bm25: round3(everyUserTurn.bm25),
        last_n_turns: round3(everyUserTurn.lastN),
        memories: everyUserTurn.memories,
      },
      last_n_turns: factsOnly.lastNTurns,
    },
    prompt_tokens: tokenRows.map((row) => ({ turns: row.turns, window: row.window, whole_history: row.full, ratio: round3(row.ratio) })),
    search_ms: latencyRows.map((row) => ({
      memories: row.memories,
      p50: round3(row.p50),
      p95: round3(row.p95),
      add_ms_per_memory: round3(row.addMs),
      reopen_ms: Math.round(row.openMs),
    })),
    targets,
    ...(smoke ? { smoke: true } : {}),
  }),
);
