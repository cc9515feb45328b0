import { describe, expect, it } from "vitest";
import { pairedBootstrapInterval } from "./paired-bootstrap";

const repeat = (value: boolean, times: number) => Array<boolean>(times).fill(value);

describe("pairedBootstrapInterval", () => {
  it("is a point when no pair is discordant, or every pair goes one way", () => {
    expect(pairedBootstrapInterval(repeat(true, 10), repeat(true, 10))).toMatchObject({ effect: 0, low: 0, high: 0, notBetter: 1 });
    expect(pairedBootstrapInterval(repeat(false, 10), repeat(true, 10))).toMatchObject({ effect: 1, low: 1, high: 1, notBetter: 0 });
  });

  it("brackets the observed difference, the same way for the same seed", () => {
    // 40 queries: 12 only the candidate passed, 4 only the baseline: +20 points.
    const baseline = [...repeat(false, 12), ...repeat(true, 4), ...repeat(true, 10), ...repeat(false, 14)];
    const candidate = [...repeat(true, 12), ...repeat(false, 4), ...repeat(true, 10), ...repeat(false, 14)];
    const interval = pairedBootstrapInterval(baseline, candidate, { seed: 7 });
    expect(interval.effect).toBeCloseTo(0.2, 12);
    expect(interval.low).toBeLessThan(0.2);
    expect(interval.high).toBeGreaterThan(0.2);
    // The normal approximation: sd = √((16/40 − 0.2²)/40) ≈ 0.095, so about ±0.19 at 95%.
    expect(interval.high - interval.low).toBeGreaterThan(0.3);
    expect(interval.high - interval.low).toBeLessThan(0.45);
    expect(pairedBootstrapInterval(baseline, candidate, { seed: 7 })).toEqual(interval);
    expect(pairedBootstrapInterval(baseline, candidate, { seed: 8 }).notBetter).not.toBe(interval.notBetter);
    expect(interval.notBetter).toBeLessThan(0.05);
  });

  it("refuses bad options and unpaired outcomes", () => {
    expect(() => pairedBootstrapInterval([true], [true], { rounds: 0 })).toThrow(RangeError);
    expect(() => pairedBootstrapInterval([true], [true], { level: 1 })).toThrow(RangeError);
    expect(() => pairedBootstrapInterval([true], [true, false])).toThrow(RangeError);
  });
});
