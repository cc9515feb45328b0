/**
 * The router on public benchmark questions (see external-sets.ts): per source, the share decided
 * on the fast path and the share of those decisions that contain the expected label; the
 * calibration of the fast classifier's confidence; and the effect of precedents built from half
 * of each source on the other half.
 */
import type { HybridRouter, RouteResult } from "@tinyllm/models";
import { memoryPrecedentIndex } from "@tinyllm/memory";
import { seededRandom } from "../memory/conversation-generator";
import { isRight, type ExternalItem } from "./external-sets";

/** One source's figures. */
export interface SourceFigures {
  source: string;
  questions: number;
  /** Decided without the LLM: the confidence cleared the threshold, or a rule decided. */
  fast: number;
  /** Of those, how many contain the expected label (undefined when the source has none). */
  fastRight?: number;
  /** Routed `general` and nothing else. */
  generalOnly: number;
}

/** One bin of the reliability table. */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** The label sets a source accepts as exactly right, for calibration. */
function acceptable(item: ExternalItem): string[][] {
  if (item.expected === "code") return [["code"], ["code", "math"]];
  return item.expected ? [[item.expected]] : [];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((label) => b.includes(label));
const isExactlyRight = (item: ExternalItem, labels: readonly string[]) => acceptable(item).some((set) => sameSet(set, labels));

/** The route a source stands for, for precedents: math, code or general. */
function goldRoute(item: ExternalItem): string | undefined {
  return item.expected;
}

const isFast = (result: RouteResult) => result.llmError === undefined && result.decidedBy !== "llm";

/** Figures per source (and per MT-Bench category). */
export function bySource(items: readonly ExternalItem[], results: readonly RouteResult[]): SourceFigures[] {
  const figures = new Map<string, SourceFigures>();
  items.forEach((item, i) => {
    const result = results[i] as RouteResult;
    const entry = figures.get(item.source) ?? { source: item.source, questions: 0, fast: 0, generalOnly: 0, ...(item.expected ? { fastRight: 0 } : {}) };
    entry.questions++;
    if (sameSet(result.labels, ["general"])) entry.generalOnly++;
    if (isFast(result)) {
      entry.fast++;
      if (entry.fastRight !== undefined && isRight(item, result.labels)) entry.fastRight++;
    }
    figures.set(item.source, entry);
  });
  return [...figures.values()];
}

/**
 * Confidence bins of the fast classifier (without rules) against how often its label set was
 * exactly right (for code, `code` and `code` + `math` both are), and the expected calibration
 * error: the bins' gaps weighted by their size.
 */
export function reliability(router: HybridRouter, items: readonly ExternalItem[], bins = 10): { table: ReliabilityBin[]; ece: number } {
  const rows = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, count: 0, confidence: 0, right: 0 }));
  let total = 0;
  for (const item of items) {
    if (!item.expected) continue;
    const result = router.classifier.classify(item.query);
    const row = rows[Math.min(bins - 1, Math.floor(result.confidence * bins))]!;
    row.count++;
    row.confidence += result.confidence;
    if (isExactlyRight(item, result.labels)) row.right++;
    total++;
  }
  let ece = 0;
  const table = rows.map((row) => {
    const meanConfidence = row.count ? row.confidence / row.count : 0;
    const accuracy = row.count ? row.right / row.count : 0;
    ece += (row.count / Math.max(1, total)) * Math.abs(accuracy - meanConfidence);
    return { from: row.from, to: row.to, count: row.count, meanConfidence, accuracy };
  });
  return { table, ece };
}

/** Fast-path share and precision over the items that have an expected label among `sources`. */
export function fastFigures(items: readonly ExternalItem[], results: readonly RouteResult[], sources: readonly string[]) {
  let questions = 0;
  let fast = 0;
  let right = 0;
  items.forEach((item, i) => {
    if (!sources.includes(item.source)) return;
    const result = results[i] as RouteResult;
    questions++;
    if (!isFast(result)) return;
    fast++;
    if (isRight(item, result.labels)) right++;
  });
  return { questions, fast, right, share: fast / Math.max(1, questions), precision: right / Math.max(1, fast) };
}

/**
 * Precedents from a seeded half of each source (each question under its source's route, passed),
 * then the other half routed with and without them.
 */
export async function precedentEffect(router: HybridRouter, items: readonly ExternalItem[], seed: number) {
  const random = seededRandom(seed);
  const train: ExternalItem[] = [];
  const heldOut: ExternalItem[] = [];
  const sources = [...new Set(items.map((item) => item.source))];
  for (const source of sources) {
    const own = items.filter((item) => item.source === source && goldRoute(item) !== undefined);
    for (let i = own.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [own[i], own[j]] = [own[j] as ExternalItem, own[i] as ExternalItem];
    }
    train.push(...own.slice(0, Math.floor(own.length / 2)));
    heldOut.push(...own.slice(Math.floor(own.length / 2)));
  }
  const index = memoryPrecedentIndex();
  for (const item of train) await index.add({ query: item.query, route: goldRoute(item) as string, pass: true, scope: router.scope });
  const without: RouteResult[] = [];
  const withIndex: RouteResult[] = [];
  for (const item of heldOut) {
    without.push(await router.route(item.query));
    withIndex.push(await router.route(item.query, { precedents: index }));
  }
  const figures = (results: RouteResult[]) => {
    const fast = results.filter(isFast).length;
    const right = results.filter((result, i) => isFast(result) && isRight(heldOut[i] as ExternalItem, result.labels)).length;
    return { decided_without_llm: fast, share: fast / Math.max(1, results.length), precision: right / Math.max(1, fast) };
  };
  return {
    train: train.length,
    held_out: heldOut.length,
    without: figures(without),
    with: { ...figures(withIndex), decided_by_precedent: withIndex.filter((result) => result.decidedBy === "precedent").length },
  };
}
