/**
 * Decision quality of `decideAdoption` on paired A/B outcomes with known effects: simulated over
 * seeds, computed exactly by enumerating every outcome, and against the Neyman–Pearson bound that
 * no test at the same level can beat.
 *
 * The generative model. Each held-out query is drawn from the node's traffic; the baseline
 * passes it with chance p0. Two models of the candidate on the same query:
 * - correlated (the usual case: a change such as a tool fixes failures and rarely breaks a
 *   pass): the candidate keeps a baseline pass with chance `keep` and fixes a baseline failure
 *   with the chance `fix` that gives the wanted pass rate, p0·keep + (1 − p0)·fix = p0 + effect;
 * - independent: the candidate passes with chance p0 + effect whatever the baseline did.
 * Only the discordant queries move a paired test, so each model reduces to the chance of a
 * baseline-only pass and of a candidate-only pass per query.
 */
import { decideAdoption, type PairedTest } from "@tinyllm/expansion";
import { prng } from "./verdict-generator";

/** Chances, per query, that only the baseline passes and that only the candidate passes. */
export interface Discordance {
  baselineOnly: number;
  candidateOnly: number;
}

/** The correlated model: see the module comment. */
export function correlated(p0: number, effect: number, keep = 0.95): Discordance {
  const fix = (p0 + effect - p0 * keep) / (1 - p0);
  if (fix < 0 || fix > 1) throw new RangeError(`no fix rate gives +${effect} from ${p0} with keep ${keep}`);
  return { baselineOnly: p0 * (1 - keep), candidateOnly: (1 - p0) * fix };
}

/** The independent model: see the module comment. */
export function independent(p0: number, effect: number): Discordance {
  return { baselineOnly: p0 * (1 - p0 - effect), candidateOnly: (1 - p0) * (p0 + effect) };
}

/** Paired outcomes of n queries with x baseline-only passes and y candidate-only passes (the rest fail both). */
function outcomes(n: number, x: number, y: number): { baseline: boolean[]; candidate: boolean[] } {
  const baseline = Array.from({ length: n }, (_, i) => i < x);
  const candidate = Array.from({ length: n }, (_, i) => i >= x && i < x + y);
  return { baseline, candidate };
}

/** Share of `seeds` simulated A/Bs of n queries that `decideAdoption` adopts. */
export function simulatedAdoption(
  chances: Discordance,
  { n, seeds, test, seedBase }: { n: number; seeds: number; test: PairedTest; seedBase: number },
): number {
  let adopted = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const random = prng(seedBase + seed * 7919);
    let x = 0;
    let y = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      if (u < chances.baselineOnly) x++;
      else if (u < chances.baselineOnly + chances.candidateOnly) y++;
    }
    const { baseline, candidate } = outcomes(n, x, y);
    if (decideAdoption({ baseline, candidate, test, bootstrap: { seed } }).adopt) adopted++;
  }
  return adopted / seeds;
}

const logFactorials = [0];
const logFactorial = (k: number) => {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[k]!;
};
/** log P(x baseline-only, y candidate-only, the rest concordant) among n queries. */
const logTrinomial = (n: number, x: number, y: number, a: number, c: number) =>
  logFactorial(n) -
  logFactorial(x) -
  logFactorial(y) -
  logFactorial(n - x - y) +
  (x ? x * Math.log(a) : 0) +
  (y ? y * Math.log(c) : 0) +
  (n - x - y ? (n - x - y) * Math.log1p(-a - c) : 0);

/** Which (x, y) outcomes of n queries `decideAdoption` adopts (one decision per outcome). */
export function adoptionRegion(n: number, test: PairedTest): boolean[][] {
  const region: boolean[][] = [];
  for (let x = 0; x <= n; x++) {
    region.push([]);
    for (let y = 0; x + y <= n; y++) {
      const { baseline, candidate } = outcomes(n, x, y);
      region[x]!.push(decideAdoption({ baseline, candidate, test, bootstrap: { seed: 1 } }).adopt);
    }
  }
  return region;
}

/** The exact chance that an A/B of n queries with these chances lands in `region`. */
export function exactAdoption(region: boolean[][], n: number, chances: Discordance): number {
  let total = 0;
  for (let x = 0; x <= n; x++)
    for (let y = 0; x + y <= n; y++) if (region[x]![y]) total += Math.exp(logTrinomial(n, x, y, chances.baselineOnly, chances.candidateOnly));
  return total;
}

/** The largest false-adoption chance of `region` over every discordance rate δ of a candidate no better (δ/2 each way). */
export function worstFalseAdoption(region: boolean[][], n: number): { rate: number; discordance: number } {
  let worst = { rate: 0, discordance: 0 };
  for (let i = 1; i <= 200; i++) {
    const delta = i / 200;
    const rate = exactAdoption(region, n, { baselineOnly: delta / 2, candidateOnly: delta / 2 });
    if (rate > worst.rate) worst = { rate, discordance: delta };
  }
  return worst;
}

/**
 * An upper bound on the power of any test at level `alpha` against these chances: the power of
 * the most powerful (randomised Neyman–Pearson) test of the alternative against one "no better"
 * point (each query discordant with chance δ, evenly either way), minimised over δ. A test whose
 * false-adoption rate stays within `alpha` for every candidate that is no better keeps it at
 * that point too, so its power is at most this, whatever the test.
 */
export function powerBound(n: number, chances: Discordance, alpha = 0.05): number {
  let best = 1;
  for (let i = 1; i < 100; i++) {
    const delta = i / 100;
    const cells: { alternative: number; null: number; ratio: number }[] = [];
    for (let x = 0; x <= n; x++)
      for (let y = 0; x + y <= n; y++) {
        const la = logTrinomial(n, x, y, chances.baselineOnly, chances.candidateOnly);
        const l0 = logTrinomial(n, x, y, delta / 2, delta / 2);
        cells.push({ alternative: Math.exp(la), null: Math.exp(l0), ratio: la - l0 });
      }
    cells.sort((a, b) => b.ratio - a.ratio);
    let size = 0;
    let power = 0;
    for (const cell of cells) {
      if (size + cell.null <= alpha) {
        size += cell.null;
        power += cell.alternative;
      } else {
        power += (cell.alternative * (alpha - size)) / cell.null;
        break;
      }
    }
    best = Math.min(best, power);
  }
  return best;
}
