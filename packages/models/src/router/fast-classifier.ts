/**
 * A small, dependency-free multi-label text classifier for routing queries.
 *
 * Method: one-vs-rest logistic regression over sparse features (word uni/bigrams, character
 * n-grams, shape features, lexicon concepts; see {@link FeatureExtractor}), trained by seeded
 * SGD with L2 regularisation for a fixed number of epochs. The per-label probabilities are
 * combined into a posterior over the label *sets* seen in training (so `{code, math}` is a
 * candidate but `{}` or `{code, general}` are not), and the logits are temperature-scaled
 * with a temperature fitted on out-of-fold predictions (k-fold cross-validation on the
 * training examples), so the confidence is calibrated on queries the model has not seen.
 * Queries whose words the model mostly does not know get their confidence scaled down.
 *
 * Everything is deterministic: same options and examples, same model.
 *
 * @module
 */
import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";
import { FeatureExtractor } from "./features";
import type { FeatureWeights } from "./features";
import { DEFAULT_ROUTER_LEXICON } from "./lexicon";
import type { RouterLexicon } from "./lexicon";

/** One label of the classifier and its training text. */
export interface FastLabelSpec {
  /** Label name, unique. */
  name: string;
  /** A description of the label; its sentences are added as (down-weighted) examples. */
  description?: string;
  /**
   * Example queries. A query listed under several labels is one multi-label example (this is
   * how compound routes are trained: list their examples under each of their labels).
   */
  examples: readonly string[];
}

/** Options of {@link trainFastClassifier}. Everything but `labels` has a tested default. */
export interface FastClassifierOptions {
  /** The labels and their examples. At least two labels. */
  labels: readonly FastLabelSpec[];
  /** SGD passes over the examples. Default 12. */
  epochs?: number;
  /** Initial SGD step size, decayed as `lr / (1 + 0.1 · epoch)`. Default 0.8. */
  learningRate?: number;
  /** L2 regularisation strength. Default 3e-3. */
  l2?: number;
  /** Seed of the example shuffling. Default 1. */
  seed?: number;
  /** Sample weight of description sentences relative to examples. Default 0.5. */
  descriptionWeight?: number;
  /**
   * Which label sets `classify` may answer. `"observed"` (default): the sets of the training
   * examples. `"any"`: every non-empty set (plain independent thresholding at 0.5, with the
   * top label when none passes). Or an explicit list of sets.
   */
  labelSets?: "observed" | "any" | readonly (readonly string[])[];
  /**
   * Folds of the cross-validation that fits the confidence temperature. Default 4; `0` or
   * `1` disables it (temperature 1).
   */
  calibrationFolds?: number;
  /**
   * Share of known content words below which the confidence is scaled down linearly
   * (`confidence · coverage / minCoverage`). Default 0.5; `0` disables the scaling. A query
   * with no known word and no shape or concept feature always gets confidence 0.
   */
  minCoverage?: number;
  /** Concept groups; default {@link DEFAULT_ROUTER_LEXICON}; `false` for none. */
  lexicon?: RouterLexicon | false;
  /** Character n-gram lengths, default `[3, 4]`; `false` for none. */
  charNgrams?: readonly [number, number] | false;
  /** Word bigrams, default `true`. */
  wordBigrams?: boolean;
  /** Relative weights of the feature families. */
  featureWeights?: Partial<FeatureWeights>;
}

/** What {@link FastClassifier.classify} returns. */
export interface FastClassification {
  /**
   * Per-label probability in [0, 1] that the label belongs to the query's label set
   * (the marginal of the calibrated set posterior).
   */
  scores: Record<string, number>;
  /** The chosen label set, in the order of the training labels. Never empty. */
  labels: string[];
  /**
   * Calibrated probability that `labels` is exactly the right set, scaled down for queries
   * made mostly of words the model never saw. Compare it with a threshold to decide whether
   * to trust the fast path.
   */
  confidence: number;
}

/** One feature's contribution to a label's logit, for {@link FastClassifier.explain}. */
export interface FeatureContribution {
  feature: string;
  contribution: number;
}

/** Facts about a trained classifier. */
export interface FastClassifierStats {
  /** Distinct training texts (examples and description sentences). */
  examples: number;
  /** Distinct features seen in training. */
  features: number;
  /** The fitted confidence temperature (1 when calibration is off). */
  temperature: number;
  /** Wall time of training, calibration included. */
  trainingMs: number;
}

/** A trained classifier. Immutable; `classify` is synchronous and allocation-light. */
export interface FastClassifier {
  /** The label names, in training order. */
  readonly labelNames: readonly string[];
  /** The label sets `classify` may answer. */
  readonly labelSets: readonly (readonly string[])[];
  /** Training facts. */
  readonly stats: FastClassifierStats;
  /**
   * Classifies one query. With `require`, only label sets that contain every required label are
   * candidates (a rule that is certain of a label, see `RouterConfig.rules`); the posterior is
   * renormalised over them. Required labels no candidate set contains are ignored.
   */
  classify(query: string, options?: { require?: readonly string[] }): FastClassification;
  /** The `top` largest feature contributions to each label's logit, for debugging. */
  explain(query: string, top?: number): Record<string, FeatureContribution[]>;
}

interface Doc {
  indices: Int32Array;
  values: Float64Array;
  targets: Uint8Array;
  weight: number;
  isExample: boolean;
}

const DEFAULT_WEIGHTS: FeatureWeights = { word: 1, char: 1, shape: 0.5, concept: 0.7, cross: 0.7 };

function invalid(message: string): TinyLLMError {
  return new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message });
}

/**
 * Trains a {@link FastClassifier} from labelled example queries. Deterministic; about
 * 30 ms for 200 examples once the code is warm (the first call in a process also pays V8's
 * compilation of this code).
 *
 * @throws {@link @tinyllm/core!TinyLLMError} `INVALID_ARGUMENT` for fewer than two labels,
 * duplicate or empty label names, a label without any example or description, unknown
 * labels in `labelSets`, or `labelSets: "any"` with more than 12 labels.
 *
 * @example
 * ```ts
 * const router = trainFastClassifier({
 *   labels: [
 *     { name: "code", examples: ["fix this python error", "write a sql query", "fibonacci in js"] },
 *     { name: "math", examples: ["what is 15% of 80", "integrate x^2", "fibonacci in js"] },
 *     { name: "general", examples: ["capital of peru", "write a poem"] },
 *   ],
 * });
 * router.classify("solve 2x + 3 = 9"); // { labels: ["math"], confidence: 0.9…, scores: {…} }
 * ```
 */
export function trainFastClassifier(options: FastClassifierOptions): FastClassifier {
  const started = performance.now();
  const labelNames = options.labels.map((l) => l.name);
  if (labelNames.length < 2) throw invalid("trainFastClassifier needs at least two labels.");
  if (new Set(labelNames).size !== labelNames.length) throw invalid("Label names must be unique.");
  for (const label of options.labels) {
    if (label.name.trim() === "") throw invalid("Label names must not be empty.");
    if (label.examples.length === 0 && !label.description?.trim()) {
      throw invalid(`Label "${label.name}" has neither examples nor a description.`);
    }
  }
  const L = labelNames.length;
  const epochs = options.epochs ?? 12;
  const learningRate = options.learningRate ?? 0.8;
  const l2 = options.l2 ?? 3e-3;
  const seed = options.seed ?? 1;
  const descriptionWeight = options.descriptionWeight ?? 0.5;
  const folds = options.calibrationFolds ?? 4;
  const minCoverage = options.minCoverage ?? 0.5;
  const extractor = new FeatureExtractor({
    charNgrams: options.charNgrams ?? [3, 4],
    wordBigrams: options.wordBigrams ?? true,
    weights: { ...DEFAULT_WEIGHTS, ...options.featureWeights },
    lexicon: options.lexicon ?? DEFAULT_ROUTER_LEXICON,
  });

  // Collect training texts; the same text under several labels is one multi-label example.
  const texts = new Map<string, { text: string; labels: Set<number>; weight: number; isExample: boolean }>();
  const addText = (text: string, label: number, weight: number, isExample: boolean): void => {
    const key = text.trim().toLowerCase().replace(/\s+/g, " ");
    if (key === "") return;
    const entry = texts.get(key);
    if (entry) {
      entry.labels.add(label);
      entry.weight = Math.max(entry.weight, weight);
      entry.isExample ||= isExample;
    } else texts.set(key, { text, labels: new Set([label]), weight, isExample });
  };
  options.labels.forEach((label, l) => {
    for (const example of label.examples) addText(String(example), l, 1, true);
    for (const sentence of splitSentences(label.description ?? "")) addText(sentence, l, descriptionWeight, false);
  });

  // Vectorise.
  const vocabulary = new Map<number, number>();
  const docs: Doc[] = [];
  for (const { text, labels, weight, isExample } of texts.values()) {
    const { features } = extractor.extract(text);
    const indices = new Int32Array(features.size);
    const values = new Float64Array(features.size);
    let k = 0;
    for (const [name, value] of features) {
      let index = vocabulary.get(name);
      if (index === undefined) {
        index = vocabulary.size;
        vocabulary.set(name, index);
      }
      indices[k] = index;
      values[k] = value;
      k++;
    }
    const targets = new Uint8Array(L);
    for (const l of labels) targets[l] = 1;
    docs.push({ indices, values, targets, weight, isExample });
  }

  // Candidate label sets.
  const labelSets = resolveLabelSets(options.labelSets ?? "observed", labelNames, docs);
  const setMasks = labelSets.map((set) => {
    const mask = new Uint8Array(L);
    for (const name of set) mask[labelNames.indexOf(name)] = 1;
    return mask;
  });

  const F = vocabulary.size;
  const hyper = { epochs, learningRate, l2, seed };
  const model = fit(
    docs,
    docs.map((_, i) => i),
    F,
    L,
    hyper,
  );

  // Temperature from out-of-fold logits.
  let temperature = 1;
  if (folds >= 2 && docs.length >= folds * 2) {
    const oof: { logits: Float64Array; target: number }[] = [];
    const order = shuffled(
      docs.map((_, i) => i),
      mulberry32(seed ^ 0x5bd1e995),
    );
    for (let f = 0; f < folds; f++) {
      const heldOut = order.filter((_, k) => k % folds === f);
      const trainOn = order.filter((_, k) => k % folds !== f);
      const foldModel = fit(docs, trainOn, F, L, hyper);
      for (const i of heldOut) {
        const doc = docs[i];
        if (!doc?.isExample) continue;
        const target = setMasks.findIndex((m) => m.every((v, l) => v === doc.targets[l]));
        if (target < 0) continue;
        oof.push({ logits: logitsOf(foldModel, doc.indices, doc.values, L), target });
      }
    }
    if (oof.length > 0) temperature = fitTemperature(oof, setMasks);
  }

  const stats: FastClassifierStats = {
    examples: docs.length,
    features: F,
    temperature,
    trainingMs: performance.now() - started,
  };

  const lookup = (query: string, withNames = false): { indices: Int32Array; values: Float64Array; coverage: number; names: string[] } => {
    const { features, contentWords, lexiconWords, signals, names: nameOf } = extractor.extract(query, withNames);
    const idx: number[] = [];
    const vals: number[] = [];
    const names: string[] = [];
    for (const [key, value] of features) {
      const index = vocabulary.get(key);
      if (index === undefined) continue;
      idx.push(index);
      vals.push(value);
      if (nameOf) names.push(nameOf.get(key) ?? String(key));
    }
    let known = 0;
    for (const w of contentWords) if (vocabulary.has(w) || lexiconWords.has(w)) known++;
    // Without content words, only shapes or concepts ("2+2?") count as evidence.
    const coverage = contentWords.length === 0 ? (signals > 0 ? 1 : 0) : known / contentWords.length;
    return { indices: Int32Array.from(idx), values: Float64Array.from(vals), coverage, names };
  };

  return {
    labelNames,
    labelSets,
    stats,
    classify(query: string, classifyOptions?: { require?: readonly string[] }): FastClassification {
      const { indices, values, coverage } = lookup(query);
      const logits = logitsOf(model, indices, values, L);
      for (let l = 0; l < L; l++) logits[l] = (logits[l] ?? 0) / temperature;
      const posterior = setPosterior(logits, setMasks);
      const required = classifyOptions?.require?.map((name) => labelNames.indexOf(name)).filter((l) => l >= 0) ?? [];
      const ruled = required.length > 0 && restrictTo(posterior, setMasks, required);
      let best = 0;
      for (let s = 1; s < posterior.length; s++) if ((posterior[s] ?? 0) > (posterior[best] ?? 0)) best = s;
      const scores: Record<string, number> = {};
      labelNames.forEach((name, l) => {
        let p = 0;
        setMasks.forEach((mask, s) => {
          if (mask[l]) p += posterior[s] ?? 0;
        });
        scores[name] = clamp01(p);
      });
      let confidence = posterior[best] ?? 0;
      // A rule is evidence of its own: the coverage of the words does not weaken it.
      if (ruled) return { scores, labels: [...(labelSets[best] ?? [])], confidence: clamp01(confidence) };
      if (coverage === 0) confidence = 0;
      else if (minCoverage > 0 && coverage < minCoverage) confidence *= coverage / minCoverage;
      return { scores, labels: [...(labelSets[best] ?? [])], confidence: clamp01(confidence) };
    },
    explain(query: string, top = 8): Record<string, FeatureContribution[]> {
      const { indices, values, names } = lookup(query, true);
      const out: Record<string, FeatureContribution[]> = {};
      labelNames.forEach((name, l) => {
        const contributions: FeatureContribution[] = [{ feature: "(bias)", contribution: model.bias[l] ?? 0 }];
        for (let k = 0; k < indices.length; k++) {
          const w = model.weights[(indices[k] ?? 0) * L + l] ?? 0;
          contributions.push({ feature: names[k] ?? "?", contribution: w * (values[k] ?? 0) });
        }
        contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
        out[name] = contributions.slice(0, top);
      });
      return out;
    },
  };
}

interface Model {
  weights: Float64Array;
  bias: Float64Array;
}

interface Hyper {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

function fit(docs: readonly Doc[], trainOn: readonly number[], F: number, L: number, hyper: Hyper): Model {
  const weights = new Float64Array(F * L);
  const bias = new Float64Array(L);
  // Start the biases at the weighted log-odds of each label.
  for (let l = 0; l < L; l++) {
    let pos = 0;
    let all = 0;
    for (const i of trainOn) {
      const doc = docs[i];
      if (!doc) continue;
      all += doc.weight;
      if (doc.targets[l]) pos += doc.weight;
    }
    const p = (pos + 0.5) / (all + 1);
    bias[l] = Math.log(p / (1 - p));
  }
  const random = mulberry32(hyper.seed);
  const order = [...trainOn];
  const scratch = new Float64Array(L);
  for (let epoch = 0; epoch < hyper.epochs; epoch++) {
    const lr = hyper.learningRate / (1 + 0.1 * epoch);
    shuffleInPlace(order, random);
    for (const i of order) {
      const doc = docs[i];
      if (doc) sgdStep(weights, bias, doc, L, lr, lr * hyper.l2, scratch);
    }
  }
  return { weights, bias };
}

/**
 * One SGD step of the L one-vs-rest logistic regressions on one example (L2 applied lazily
 * to the weights the example touches). A small function of its own so V8 optimises it
 * after a few calls instead of waiting for on-stack replacement of the epoch loop.
 */
function sgdStep(weights: Float64Array, bias: Float64Array, doc: Doc, L: number, lr: number, decay: number, g: Float64Array): void {
  const { indices, values, targets, weight } = doc;
  const n = indices.length;
  for (let l = 0; l < L; l++) g[l] = bias[l]!;
  for (let k = 0; k < n; k++) {
    const base = indices[k]! * L;
    const v = values[k]!;
    for (let l = 0; l < L; l++) g[l] = g[l]! + weights[base + l]! * v;
  }
  for (let l = 0; l < L; l++) {
    g[l] = (sigmoid(g[l]!) - targets[l]!) * weight * lr;
    bias[l] = bias[l]! - g[l]! * 0.1;
  }
  for (let k = 0; k < n; k++) {
    const base = indices[k]! * L;
    const v = values[k]!;
    for (let l = 0; l < L; l++) {
      const at = base + l;
      weights[at] = weights[at]! - g[l]! * v - decay * weights[at]!;
    }
  }
}

function logitsOf(model: Model, indices: Int32Array, values: Float64Array, L: number): Float64Array {
  const logits = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    let z = model.bias[l] ?? 0;
    for (let k = 0; k < indices.length; k++) z += (model.weights[(indices[k] ?? 0) * L + l] ?? 0) * (values[k] ?? 0);
    logits[l] = z;
  }
  return logits;
}

/** Posterior over the candidate sets, treating the labels as independent Bernoullis. */
function setPosterior(logits: Float64Array, masks: readonly Uint8Array[]): Float64Array {
  const scores = new Float64Array(masks.length);
  let max = -Infinity;
  masks.forEach((mask, s) => {
    let score = 0;
    for (let l = 0; l < logits.length; l++) {
      const z = logits[l] ?? 0;
      score += mask[l] ? logSigmoid(z) : logSigmoid(-z);
    }
    scores[s] = score;
    if (score > max) max = score;
  });
  let total = 0;
  for (let s = 0; s < scores.length; s++) {
    const e = Math.exp((scores[s] ?? 0) - max);
    scores[s] = e;
    total += e;
  }
  for (let s = 0; s < scores.length; s++) scores[s] = (scores[s] ?? 0) / total;
  return scores;
}

/**
 * Keeps only the sets that contain every `required` label and renormalises the posterior over
 * them, in place. Returns false (and changes nothing) when no set contains them all.
 */
function restrictTo(posterior: Float64Array, masks: readonly Uint8Array[], required: readonly number[]): boolean {
  const allowed = masks.map((mask) => required.every((l) => mask[l]));
  const count = allowed.filter(Boolean).length;
  if (count === 0) return false;
  let total = 0;
  for (let s = 0; s < masks.length; s++) if (allowed[s]) total += posterior[s]!;
  for (let s = 0; s < masks.length; s++) posterior[s] = allowed[s] ? (total > 0 ? posterior[s]! / total : 1 / count) : 0;
  return true;
}

/**
 * The temperature minimising the negative log-likelihood of the true label sets under the
 * set posterior, by golden-section search over log T in [1/4, 8] (the loss is smooth and,
 * in practice, unimodal there).
 */
function fitTemperature(oof: readonly { logits: Float64Array; target: number }[], masks: readonly Uint8Array[]): number {
  const L = oof[0]?.logits.length ?? 0;
  const scores = new Float64Array(masks.length);
  const loss = (t: number): number => {
    let total = 0;
    for (const { logits, target } of oof) {
      let max = -Infinity;
      for (let s = 0; s < masks.length; s++) {
        const mask = masks[s]!;
        let score = 0;
        for (let l = 0; l < L; l++) {
          const z = logits[l]! / t;
          score += mask[l] ? logSigmoid(z) : logSigmoid(-z);
        }
        scores[s] = score;
        if (score > max) max = score;
      }
      let sum = 0;
      for (let s = 0; s < masks.length; s++) sum += Math.exp(scores[s]! - max);
      total -= scores[target]! - max - Math.log(sum);
    }
    return total;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.25);
  let hi = Math.log(8);
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = loss(Math.exp(a));
  let fb = loss(Math.exp(b));
  for (let i = 0; i < 24; i++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = loss(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = loss(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

function resolveLabelSets(spec: "observed" | "any" | readonly (readonly string[])[], labelNames: readonly string[], docs: readonly Doc[]): string[][] {
  const canonical = (set: Iterable<string>): string[] => {
    const members = new Set(set);
    return labelNames.filter((n) => members.has(n));
  };
  const unique = (sets: string[][]): string[][] => {
    const seen = new Set<string>();
    return sets.filter((s) => {
      const key = s.join("\u0000");
      if (s.length === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  if (spec === "any") {
    if (labelNames.length > 12) throw invalid('labelSets "any" supports at most 12 labels; list the sets instead.');
    const sets: string[][] = [];
    for (let mask = 1; mask < 1 << labelNames.length; mask++) {
      sets.push(labelNames.filter((_, l) => mask & (1 << l)));
    }
    return sets;
  }
  if (spec === "observed") {
    return unique(docs.map((d) => labelNames.filter((_, l) => d.targets[l])));
  }
  for (const set of spec) {
    for (const name of set) if (!labelNames.includes(name)) throw invalid(`labelSets names unknown label "${name}".`);
  }
  const sets = unique(spec.map((s) => canonical(s)));
  if (sets.length === 0) throw invalid("labelSets must contain at least one non-empty set.");
  return sets;
}

/** Splits a description into sentences (and keeps list-like fragments whole). */
function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleInPlace<T>(array: T[], random: () => number): void {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = array[i] as T;
    array[i] = array[j] as T;
    array[j] = tmp;
  }
}

function shuffled<T>(array: readonly T[], random: () => number): T[] {
  const copy = [...array];
  shuffleInPlace(copy, random);
  return copy;
}
