import { describe, expect, it } from "vitest";
import { decideAdoption } from "./decide-adoption";
import { exactMcNemar } from "./exact-mcnemar";
import { wilsonInterval } from "./wilson-interval";

describe("wilsonInterval", () => {
  it("matches the textbook values", () => {
    // 8 of 10 at 95%: 0.4902 to 0.9433.
    const { low, high } = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4902, 3);
    expect(high).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe("exactMcNemar", () => {
  it("gives the binomial tail of the discordant pairs", () => {
    // 6 discordant, all to the candidate: 1/64 one-sided.
    const base = [false, false, false, false, false, false, true, true];
    const cand = [true, true, true, true, true, true, true, true];
    expect(exactMcNemar(base, cand).pValue).toBeCloseTo(1 / 64, 10);
    expect(exactMcNemar(base, cand, { twoSided: true }).pValue).toBeCloseTo(2 / 64, 10);
    // 14 of 20 discordant to the candidate: P(X ≥ 14 | 20, ½) = 0.057659.
    const b = [...Array(14).fill(false), ...Array(6).fill(true)];
    const c = [...Array(14).fill(true), ...Array(6).fill(false)];
    expect(exactMcNemar(b, c).pValue).toBeCloseTo(0.057659, 5);
    // No discordant pair: p = 1.
    expect(exactMcNemar([true, false], [true, false]).pValue).toBe(1);
  });

  it("refuses outcomes of different lengths", () => {
    expect(() => exactMcNemar([true], [true, false])).toThrow(RangeError);
  });
});

describe("decideAdoption", () => {
  it("adopts a significant, large enough improvement within budget", () => {
    const decision = decideAdoption({ baseline: Array(6).fill(false), candidate: Array(6).fill(true), latencyMs: { baseline: 100, candidate: 20 } });
    expect(decision.adopt).toBe(true);
    expect(decision.baseline.passRate).toBe(0);
    expect(decision.candidate.passRate).toBe(1);
    expect(decision.pValue).toBeCloseTo(1 / 64, 10);
  });

  it("uses the exact unconditional test by default, and the conditional test or the bootstrap when asked", () => {
    // 40 queries: 8 only the candidate passed, 2 only the baseline, 30 both failed (+15 points).
    const baseline = [...Array<boolean>(8).fill(false), true, true, ...Array<boolean>(30).fill(false)];
    const candidate = [...Array<boolean>(8).fill(true), false, false, ...Array<boolean>(30).fill(false)];
    const unconditional = decideAdoption({ baseline, candidate });
    expect(unconditional.test).toBe("exact-unconditional");
    expect(unconditional.adopt).toBe(true);
    expect(unconditional.reasons[0]).toMatch(/^significant: .* exact unconditional McNemar/);
    const conditional = decideAdoption({ baseline, candidate, test: "exact-conditional" });
    expect(conditional.pValue).toBeCloseTo(56 / 1024, 10);
    expect(conditional.adopt).toBe(false);
    const bootstrap = decideAdoption({ baseline, candidate, test: "bootstrap", bootstrap: { seed: 3 } });
    expect(bootstrap.effectInterval!.level).toBeCloseTo(0.9, 12);
    expect(bootstrap.effectInterval!.low).toBeGreaterThan(0);
    expect(bootstrap.adopt).toBe(true);
    expect(unconditional.effectInterval).toBeUndefined();
  });

  it("refuses unpaired outcomes, an unknown test and a bad alpha", () => {
    expect(() => decideAdoption({ baseline: [true], candidate: [] })).toThrow(RangeError);
    expect(() => decideAdoption({ baseline: [], candidate: [], test: "t-test" as never })).toThrow(/unknown paired test 't-test'/);
    expect(() => decideAdoption({ baseline: [], candidate: [], alpha: 5 })).toThrow(RangeError);
  });

  it("refuses a change that is not significant, too small, or over budget, and says which", () => {
    const few = decideAdoption({ baseline: [false, false, true], candidate: [true, true, true] });
    expect(few.adopt).toBe(false);
    expect(few.reasons[0]).toMatch(/^not significant/);
    const small = decideAdoption({
      baseline: Array(100)
        .fill(false)
        .map((_, i) => i < 50),
      candidate: Array(100)
        .fill(false)
        .map((_, i) => i < 56),
      minEffect: 0.1,
    });
    expect(small.pValue).toBeLessThan(0.05);
    expect(small.adopt).toBe(false);
    expect(small.reasons.some((r) => r.startsWith("too small"))).toBe(true);
    const slow = decideAdoption({ baseline: Array(8).fill(false), candidate: Array(8).fill(true), latencyMs: { baseline: 100, candidate: 400 } });
    expect(slow.adopt).toBe(false);
    expect(slow.reasons.some((r) => r.startsWith("latency ms over budget"))).toBe(true);
    expect(decideAdoption({ baseline: [], candidate: [] }).adopt).toBe(false);
  });
});
