/**
 * Synthetic verdicts shaped like the ones the gate stores: four specialists (math failing 45% of
 * the time by the reference check, code 20% by its tests, code_math 25%, general 12% by the
 * judge), queries from templates with random slots, answers of 150 to 1,500 characters, every
 * rule check the gate runs with its message and details, judge scores on judged answers, and the
 * gate's feedback on failures. Seeded (mulberry32): a seed always gives the same verdicts.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";

/** A deterministic PRNG (mulberry32), in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const names = ["Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam"];
const items = ["apples", "notebooks", "tickets", "pencils", "shirts", "melons", "cables", "books", "plants", "mugs"];
const langs = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "SQL"];
const codeTasks = [
  "reverses a linked list",
  "checks whether a string is a palindrome",
  "merges two sorted arrays",
  "counts the words in a file",
  "parses an ISO date and returns the weekday",
  "removes duplicates from a list while keeping order",
  "finds the longest common prefix of a list of strings",
  "validates an email address with a regular expression",
  "flattens a nested dictionary",
  "computes a moving average over a window",
];
const topics = [
  "photosynthesis",
  "the French Revolution",
  "how vaccines work",
  "inflation",
  "plate tectonics",
  "the water cycle",
  "machine learning",
  "the Roman Republic",
  "black holes",
  "supply and demand",
];
const filler = [
  "First, note what the question asks for.",
  "Then work through it one step at a time.",
  "Each step follows from the one before it.",
  "This is the usual way to approach it.",
  "A short example makes the idea clearer.",
  "Keep the units consistent throughout.",
  "The result can be checked by substituting it back.",
  "Edge cases deserve a separate look.",
];

interface Specialist {
  node: string;
  route: string;
  failRate: number;
  query: (r: () => number) => string;
  /** Checks after the rule checks, and what decided: for a pass or a failure. */
  decide: (r: () => number, pass: boolean) => { checks: object[]; decidedBy: string; scores?: Record<string, number>; feedback?: string };
}

const pick = <T>(r: () => number, values: readonly T[]): T => values[Math.floor(r() * values.length)]!;
const int = (r: () => number, low: number, high: number) => low + Math.floor(r() * (high - low + 1));
const check = (name: string, stage: string, outcome: string, decisive: boolean, message: string, details?: object) => ({
  name,
  stage,
  outcome,
  decisive,
  message,
  ...(details ? { details } : {}),
  durationMs: 0.1,
});
const judged = (r: () => number, pass: boolean, dimensions: readonly string[]) => {
  const scores = Object.fromEntries(dimensions.map((d) => [d, pass ? 0.7 + 0.3 * r() : 0.1 + 0.5 * r()]));
  return {
    checks: [
      check("judge", "judge", pass ? "pass" : "fail", true, `weighted score ${pass ? "0.82 ≥" : "0.41 <"} threshold 0.7`, { scores, model: "qwen2.5:7b" }),
    ],
    decidedBy: "judge",
    scores,
    ...(pass ? {} : { feedback: "The answer misses part of the question and some claims are not supported; address every part and check the facts." }),
  };
};

const specialists: Specialist[] = [
  {
    node: "math",
    route: "math",
    failRate: 0.45,
    query: (r) =>
      pick(r, [
        () => `What is ${int(r, 12, 999)} * ${int(r, 12, 999)}?`,
        () =>
          `${pick(r, names)} buys ${int(r, 2, 30)} ${pick(r, items)} at $${int(r, 2, 60)} each and pays with a $${int(r, 100, 2000)} bill. How much change?`,
        () => `Solve for x: ${int(r, 2, 20)}x + ${int(r, 1, 99)} = ${int(r, 100, 999)}`,
        () => `What is ${int(r, 5, 95)}% of ${int(r, 40, 5000)}?`,
        () => `A train travels ${int(r, 40, 300)} km in ${int(r, 2, 9)} hours. What is its average speed in km per hour?`,
      ])(),
    decide: (r, pass) => {
      const expected = int(r, 10, 99_999);
      const found = pass ? expected : expected + int(r, 1, 500);
      return {
        checks: [
          check(
            "math.reference",
            "deterministic",
            pass ? "pass" : "fail",
            true,
            pass ? `final number ${found} matches the reference` : `final number ${found} ≠ reference ${expected}`,
            {
              expected,
              found,
            },
          ),
        ],
        decidedBy: "math.reference",
        ...(pass ? {} : { feedback: `The final number ${found} does not match the expected ${expected}. Recompute the calculation step by step.` }),
      };
    },
  },
  {
    node: "code",
    route: "code",
    failRate: 0.2,
    query: (r) => `Write a ${pick(r, langs)} function that ${pick(r, codeTasks)}.`,
    decide: (r, pass) => {
      const total = int(r, 3, 8);
      const passed = pass ? total : int(r, 0, total - 1);
      return {
        checks: [
          check("code.run", "deterministic", "pass", false, "the Python code runs", { language: "python" }),
          check("code.tests", "deterministic", pass ? "pass" : "fail", true, `${passed} of ${total} tests pass`, {
            passed,
            total,
            failures: pass ? [] : [{ name: "test_edge_case", actual: "None" }],
          }),
        ],
        decidedBy: "code.tests",
        ...(pass ? {} : { feedback: `${total - passed} tests fail, e.g. test_edge_case returned None. Handle the empty input and run the tests again.` }),
      };
    },
  },
  {
    node: "code_math",
    route: "code_math",
    failRate: 0.25,
    query: (r) => `Write a ${pick(r, langs)} function that returns the ${int(r, 5, 90)}th ${pick(r, ["prime", "Fibonacci number", "triangular number"])}.`,
    decide: (r, pass) => (r() < 0.5 ? judged(r, pass, ["correctness", "efficiency", "code_quality", "explanation"]) : specialists[1]!.decide(r, pass)),
  },
  {
    node: "general",
    route: "general",
    failRate: 0.12,
    query: (r) =>
      pick(r, [
        () => `Explain ${pick(r, topics)} in simple terms.`,
        () => `Give me three facts about ${pick(r, topics)} for a school report.`,
        () => `${pick(r, names)} asks: why does ${pick(r, topics)} matter today?`,
      ])(),
    decide: (r, pass) => judged(r, pass, ["correctness", "completeness", "relevance", "clarity", "safety"]),
  },
];

/** Fills the verdict store at `file` (created by `openVerdictStore`) with `count` verdicts of graph `graphId`. */
export function fillVerdictStore(file: string, count: number, { seed = 1, graphId = "multi_domain" }: { seed?: number; graphId?: string } = {}): void {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO verdicts (created_at_ms, run_id, graph_id, graph_version, node_id, answered_by, route, model, provider, tier, attempt, pass, score, decided_by, scores_json, checks_json, feedback, latency_ms, grading_ms, input_tokens, output_tokens, query_hash, query, answer)
     VALUES (?, ?, ?, '1.0.0', 'gate', ?, ?, 'qwen2.5:3b', 'ollama', 'T1', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const r = prng(seed);
  const start = Date.now() - 30 * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const specialist = specialists[i % specialists.length]!;
      const pass = r() >= specialist.failRate;
      const query = specialist.query(r);
      const answer = Array.from({ length: int(r, 3, 30) }, () => pick(r, filler)).join(" ");
      const chars = answer.length;
      const rules = [
        check("rules.empty", "rules", "pass", false, "the answer is not empty"),
        check("rules.length", "rules", "pass", false, `${chars} characters`, { chars }),
        check("rules.refusal", "rules", "pass", false, "no refusal"),
        check("rules.error_text", "rules", "pass", false, "no error text"),
      ];
      const decided = specialist.decide(r, pass);
      insert.run(
        start + i * 20,
        `run-${i}`,
        graphId,
        specialist.node,
        specialist.route,
        pass ? 1 : 0,
        pass ? 0.7 + 0.3 * r() : 0.4 * r(),
        decided.decidedBy,
        decided.scores ? JSON.stringify(decided.scores) : null,
        JSON.stringify([...rules, ...decided.checks]),
        decided.feedback ?? null,
        int(r, 200, 4000),
        int(r, 1, 900),
        int(r, 150, 600),
        int(r, 20, 400),
        createHash("sha256").update(query).digest("hex"),
        query,
        answer,
      );
    }
  })();
  db.close();
}
