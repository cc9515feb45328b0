/** log(k!) for k = 0…, grown on demand and shared by the tests below. */
const logFactorials: number[] = [0];

/** log(k!). */
export function logFactorial(k: number): number {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[k]!;
}

/** log of the binomial coefficient n choose k. */
export function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/** Terms smaller than this share of the running sum no longer change a double. */
const negligible = 1e-17;

/**
 * P(X ≥ k) for X ~ Binomial(n, 1/2). The terms are summed from the mode outwards, where they
 * shrink, so the sum stops once they no longer count: O(√n) terms instead of O(n).
 *
 * @internal
 */
export function halfBinomialUpperTail(n: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const term = (i: number) => Math.exp(logChoose(n, i) - n * Math.LN2);
  let sum = 0;
  if (2 * k > n) {
    // Above the mode: terms fall from i = k upwards.
    for (let i = k; i <= n; i++) {
      const t = term(i);
      sum += t;
      if (t < sum * negligible) break;
    }
    return Math.min(1, sum);
  }
  // At or below the mode: 1 − P(X ≤ k − 1), whose terms fall from i = k − 1 downwards.
  for (let i = k - 1; i >= 0; i--) {
    const t = term(i);
    sum += t;
    if (t < sum * negligible) break;
  }
  return Math.max(0, 1 - sum);
}
