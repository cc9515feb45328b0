/**
 * Checks of the routing data in benchmarks/routing/: the training routes of the default graph's
 * router (graphs/multi_domain.yaml), and the separate evaluation set. Also a regression guard of the
 * product goal (quality and fast-path share) on that evaluation set.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { decideRoute, fastLabelsFromRoutes } from "./decide-route";
import type { TrainableRoute } from "./decide-route";
import { trainFastClassifier } from "./fast-classifier";
import { RECOMMENDED_CONFIDENCE_THRESHOLD } from "./index";

const dataDir = new URL("../../../../benchmarks/routing/", import.meta.url);

interface GraphFile {
  nodes: { kind: string; config?: { routes: (TrainableRoute & { labels: string[]; description: string; examples: string[] })[] } }[];
}
interface EvalItem {
  query: string;
  labels: string[];
}

// The training routes are the default graph's router config: the graph is their one source.
const graph = parseYaml(readFileSync(new URL("../../../../graphs/multi_domain.yaml", import.meta.url), "utf8")) as GraphFile;
const train = { routes: graph.nodes.find((n) => n.kind === "router")?.config?.routes ?? [] };
const evalLines = readFileSync(new URL("routing-set.jsonl", dataDir), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "");
const evalSet = evalLines.map((line) => JSON.parse(line) as EvalItem);
const trainExamples = train.routes.flatMap((r) => r.examples);

const normalise = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const jaccard = (a: Set<string>, b: Set<string>): number => {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / Math.max(1, a.size + b.size - inter);
};
const wordSet = (text: string): Set<string> => new Set(normalise(text).split(" "));
const charGrams = (text: string): Set<string> => {
  const t = normalise(text);
  const grams = new Set<string>();
  for (let i = 0; i + 4 <= t.length; i++) grams.add(t.slice(i, i + 4));
  return grams;
};

/**
 * Exact match after normalisation, ≥ 0.7 word Jaccard, or ≥ 0.6 character-4-gram Jaccard.
 * (The clash test below inlines the same rule with precomputed sets.)
 */
function isNearDuplicate(a: string, b: string): boolean {
  if (normalise(a) === normalise(b)) return true;
  return jaccard(wordSet(a), wordSet(b)) >= 0.7 || jaccard(charGrams(a), charGrams(b)) >= 0.6;
}

describe("the default graph's router routes", () => {
  it("has the four routes with labels, a description and 30–500 examples each", () => {
    expect(train.routes.map((r) => r.name)).toEqual(["code", "math", "general", "code_math"]);
    expect(train.routes.find((r) => r.name === "code_math")?.labels).toEqual(["code", "math"]);
    for (const route of train.routes) {
      expect(route.description.length).toBeGreaterThan(100);
      expect(route.examples.length).toBeGreaterThanOrEqual(30);
      expect(route.examples.length).toBeLessThanOrEqual(500);
      for (const example of route.examples) expect(typeof example).toBe("string");
    }
  });

  it("has no example twice", () => {
    const seen = new Set(trainExamples.map(normalise));
    expect(seen.size).toBe(trainExamples.length);
  });
});

describe("routing-set.jsonl", () => {
  it("has at least 320 labelled queries, roughly balanced, with valid label sets", () => {
    expect(evalSet.length).toBeGreaterThanOrEqual(320);
    const counts = new Map<string, number>();
    for (const item of evalSet) {
      expect(typeof item.query).toBe("string");
      expect(item.query.trim()).not.toBe("");
      const key = [...item.labels].sort().join("+");
      expect(["code", "math", "general", "code+math"]).toContain(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.get("code")).toBeGreaterThanOrEqual(80);
    expect(counts.get("math")).toBeGreaterThanOrEqual(80);
    expect(counts.get("general")).toBeGreaterThanOrEqual(80);
    expect(counts.get("code+math")).toBeGreaterThanOrEqual(45);
  });

  it("has no query twice", () => {
    expect(new Set(evalSet.map((i) => normalise(i.query))).size).toBe(evalSet.length);
  });

  it("the near-duplicate check catches light edits and passes unrelated text", () => {
    expect(isNearDuplicate("What is 15% of 240?", "what is 15 % of 240")).toBe(true);
    expect(isNearDuplicate("How do I read a file line by line in Java?", "How can I read a file line by line in Java")).toBe(true);
    expect(isNearDuplicate("Implement binary search over a sorted array in Java.", "implement a binary search over a sorted array in java")).toBe(true);
    expect(isNearDuplicate("What is 15% of 240?", "Who painted the Mona Lisa?")).toBe(false);
  });

  it("shares no exact or near-duplicate query with the training examples", () => {
    const prepared = trainExamples.map((e) => ({ e, norm: normalise(e), words: wordSet(e), grams: charGrams(e) }));
    const clashes: string[] = [];
    for (const { query } of evalSet) {
      const norm = normalise(query);
      const words = wordSet(query);
      const grams = charGrams(query);
      for (const t of prepared) {
        if (norm === t.norm || jaccard(words, t.words) >= 0.7 || jaccard(grams, t.grams) >= 0.6) clashes.push(`${query} ~ ${t.e}`);
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe("the default router on the evaluation set", () => {
  const started = performance.now();
  const classifier = trainFastClassifier({ labels: fastLabelsFromRoutes(train.routes) });
  const trainingMs = performance.now() - started;

  it("meets the product goal: micro-F1 ≥ 0.9 and ≥ 70% decided on the fast path, ≥ 90% right there", () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let fast = 0;
    let fastRight = 0;
    for (const item of evalSet) {
      const result = classifier.classify(item.query);
      for (const l of result.labels)
        if (item.labels.includes(l)) tp++;
        else fp++;
      for (const l of item.labels) if (!result.labels.includes(l)) fn++;
      if (result.confidence >= RECOMMENDED_CONFIDENCE_THRESHOLD) {
        fast++;
        if ([...result.labels].sort().join() === [...item.labels].sort().join()) fastRight++;
      }
    }
    const microF1 = (2 * tp) / (2 * tp + fp + fn);
    expect(microF1).toBeGreaterThanOrEqual(0.9);
    expect(fast / evalSet.length).toBeGreaterThanOrEqual(0.7);
    expect(fastRight / fast).toBeGreaterThanOrEqual(0.9);
  });

  it("routes the compound example of the brief to code_math", () => {
    const routes = train.routes.map((r) => ({ name: r.name, labels: r.labels }));
    const result = classifier.classify("write a python function that computes the nth fibonacci number");
    expect(decideRoute(result, routes, "general").route).toBe("code_math");
    expect(result.confidence).toBeGreaterThanOrEqual(RECOMMENDED_CONFIDENCE_THRESHOLD);
  });

  // Speed is measured by `pnpm bench:routing`; these bounds only catch a hang, with a wide margin
  // for CI's two loaded cores.
  it("trains and classifies without hanging", () => {
    expect(trainingMs).toBeLessThan(30_000);
    const queries = evalSet.map((i) => i.query);
    for (const q of queries.slice(0, 50)) classifier.classify(q); // warm up
    const t = performance.now();
    for (const q of queries) classifier.classify(q);
    expect((performance.now() - t) / queries.length).toBeLessThan(100);
  });
});

// The public benchmark sets are evaluation data only (`pnpm bench:routing --external`): no example
// of the graph may be one of their questions, or a light edit of one. They are not in the
// repository; ../shared/bench/datasets (or TINYLLM_DATASETS) has them on the project's machines.
const datasetsDir = process.env.TINYLLM_DATASETS ?? new URL("../../../../../shared/bench/datasets/", import.meta.url).pathname;
const publicSets: Record<string, () => string[]> = {
  gsm8k: () =>
    readFileSync(`${datasetsDir}/gsm8k/test.jsonl`, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => String((JSON.parse(l) as { question: string }).question)),
  mbpp: () => (JSON.parse(readFileSync(`${datasetsDir}/mbpp/sanitized-mbpp.json`, "utf8")) as { prompt: string }[]).map((row) => row.prompt),
  humaneval: () =>
    readFileSync(`${datasetsDir}/humaneval/HumanEval.jsonl`, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => String((JSON.parse(l) as { prompt: string }).prompt)),
  mtbench: () =>
    readFileSync(`${datasetsDir}/mt_bench/question.jsonl`, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .flatMap((l) => (JSON.parse(l) as { turns: string[] }).turns),
};

describe.skipIf(!existsSync(datasetsDir))("the graph's examples and the public benchmark sets (skipped where the data sets are not on the machine)", () => {
  const prepared = trainExamples.map((e) => ({ e, norm: normalise(e), words: wordSet(e), grams: charGrams(e) }));
  /** Jaccard can reach a threshold only when the smaller set is at least that share of the larger. */
  const canReach = (a: Set<string>, b: Set<string>, threshold: number) => Math.min(a.size, b.size) >= threshold * Math.max(a.size, b.size);

  for (const [name, read] of Object.entries(publicSets)) {
    it(`shares no exact or near-duplicate question with ${name}`, () => {
      const clashes: string[] = [];
      for (const question of read()) {
        const norm = normalise(question);
        const words = wordSet(question);
        const grams = charGrams(question);
        for (const t of prepared) {
          if (
            norm === t.norm ||
            (canReach(words, t.words, 0.7) && jaccard(words, t.words) >= 0.7) ||
            (canReach(grams, t.grams, 0.6) && jaccard(grams, t.grams) >= 0.6)
          )
            clashes.push(`${question.slice(0, 80)} ~ ${t.e.slice(0, 80)}`);
        }
      }
      expect(clashes).toEqual([]);
    });
  }
});
