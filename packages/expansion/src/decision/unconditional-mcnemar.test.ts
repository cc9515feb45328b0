import { describe, expect, it } from "vitest";
import { exactMcNemar } from "./exact-mcnemar";
import { unconditionalMcNemar } from "./unconditional-mcnemar";

/** Paired outcomes of n queries: x only the baseline passed, y only the candidate, the rest both. */
function pairs(n: number, x: number, y: number): { baseline: boolean[]; candidate: boolean[] } {
  const baseline: boolean[] = [];
  const candidate: boolean[] = [];
  for (let i = 0; i < n; i++) {
    baseline.push(i >= y);
    candidate.push(i < y || i >= x + y);
  }
  return { baseline, candidate };
}

const choose = (n: number, k: number) => {
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return value;
};

/** P(z ≥ observed) by brute force over every (x, y) of n queries, each discordant with chance δ. */
function bruteForceChance(n: number, x0: number, y0: number, delta: number): number {
  const z = (x: number, y: number) => (x + y === 0 ? 0 : (y - x) / Math.sqrt(x + y));
  const observed = z(x0, y0);
  let sum = 0;
  for (let x = 0; x <= n; x++)
    for (let y = 0; x + y <= n; y++)
      if (z(x, y) >= observed - 1e-12) sum += choose(n, x + y) * choose(x + y, y) * (delta / 2) ** (x + y) * (1 - delta) ** (n - x - y);
  return sum;
}

describe("unconditionalMcNemar", () => {
  it("matches a hand-computed supremum", () => {
    // 2 only the candidate passed, 1 both: z ≥ √2 only at (x, y) = (0, 2) and (0, 3), with chance
    // 3·δ²(1 − δ)/4 + δ³/8, largest at δ = 0.8: 0.096 + 0.064 = 0.16. The conditional test: 1/4.
    const result = unconditionalMcNemar([false, false, true], [true, true, true]);
    expect(result.pValue).toBeCloseTo(0.16, 8);
    expect(result.discordance).toBeCloseTo(0.8, 4);
    expect(exactMcNemar([false, false, true], [true, true, true]).pValue).toBe(0.25);
  });

  it("agrees with the conditional test when every query is discordant toward the candidate", () => {
    const { baseline, candidate } = pairs(6, 0, 6);
    expect(unconditionalMcNemar(baseline, candidate).pValue).toBeCloseTo(1 / 64, 10);
    expect(unconditionalMcNemar(baseline, candidate, { twoSided: true }).pValue).toBeCloseTo(2 / 64, 10);
  });

  it("agrees with brute force over every outcome", () => {
    for (const [n, x, y] of [
      [12, 1, 6],
      [12, 3, 5],
      [15, 0, 4],
    ] as const) {
      const { baseline, candidate } = pairs(n, x, y);
      const result = unconditionalMcNemar(baseline, candidate, { gridPoints: 400 });
      let sup = 0;
      for (let i = 0; i <= 2000; i++) sup = Math.max(sup, bruteForceChance(n, x, y, i / 2000));
      expect(result.pValue).toBeGreaterThanOrEqual(sup - 1e-9);
      expect(result.pValue).toBeLessThan(sup + 1e-6);
      expect(bruteForceChance(n, x, y, result.discordance)).toBeCloseTo(result.pValue, 9);
    }
  });

  it("keeps its level: on 20 queries no chance of discordance rejects more than 5% of the time", () => {
    const n = 20;
    const rejected: [number, number][] = [];
    for (let x = 0; x <= n; x++)
      for (let y = 0; x + y <= n; y++) {
        const { baseline, candidate } = pairs(n, x, y);
        if (unconditionalMcNemar(baseline, candidate).pValue < 0.05) rejected.push([x, y]);
      }
    for (let i = 1; i < 100; i++) {
      const delta = i / 100;
      let size = 0;
      for (const [x, y] of rejected) size += choose(n, x + y) * choose(x + y, y) * (delta / 2) ** (x + y) * (1 - delta) ** (n - x - y);
      expect(size).toBeLessThanOrEqual(0.05);
    }
  });

  it("rejects where the conditional test is too coarse to", () => {
    // 40 queries, 8 only the candidate passed and 2 only the baseline: P(X ≥ 8 | 10) = 56/1024.
    const { baseline, candidate } = pairs(40, 2, 8);
    expect(exactMcNemar(baseline, candidate).pValue).toBeCloseTo(56 / 1024, 10);
    expect(unconditionalMcNemar(baseline, candidate).pValue).toBeLessThan(0.05);
  });

  it("gives 1 without evidence, and refuses outcomes of different lengths", () => {
    expect(unconditionalMcNemar([true, false], [true, false]).pValue).toBe(1);
    expect(unconditionalMcNemar([], []).pValue).toBe(1);
    const { baseline, candidate } = pairs(10, 3, 3);
    expect(unconditionalMcNemar(baseline, candidate).pValue).toBe(1);
    expect(unconditionalMcNemar(baseline, candidate, { twoSided: true }).pValue).toBe(1);
    expect(() => unconditionalMcNemar([true], [true, false])).toThrow(RangeError);
  });
});
