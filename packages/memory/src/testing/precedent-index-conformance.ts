/**
 * The behaviour every {@link PrecedentIndex} backend shares, as one suite each backend passes
 * through the interface. Test-only.
 *
 * @module
 */
import type { PrecedentIndex } from "@tinyllm/core";
import { afterEach, describe, expect, it } from "vitest";

/**
 * Registers the shared precedent index suite with the caller's vitest: nearest first with
 * similarities in [0, 1], k respected, scopes kept apart, verdicts and scores kept, and bad
 * precedents refused with `MEMORY_INPUT_INVALID`. `open` gives a new, empty index per test;
 * `close`, when given, runs after each.
 *
 * @example
 * ```ts
 * import { memoryPrecedentIndex } from "@tinyllm/memory";
 * import { describePrecedentIndexConformance } from "@tinyllm/memory/testing";
 *
 * describePrecedentIndexConformance("in memory", () => memoryPrecedentIndex());
 * ```
 */
export function describePrecedentIndexConformance(
  name: string,
  open: () => PrecedentIndex | Promise<PrecedentIndex>,
  close?: (index: PrecedentIndex) => void | Promise<void>,
): void {
  describe(`PrecedentIndex conformance: ${name}`, () => {
    const opened: PrecedentIndex[] = [];
    const fresh = async () => {
      const index = await open();
      opened.push(index);
      return index;
    };
    afterEach(async () => {
      for (const index of opened.splice(0)) await close?.(index);
    });

    it("finds the nearest precedents first, with similarities in [0, 1]", async () => {
      const index = await fresh();
      await index.add({ query: "solve the integral of x squared", route: "math", pass: true, score: 0.9, scope: "s" });
      await index.add({ query: "write a python function to sort a list", route: "code", pass: true, scope: "s" });
      await index.add({ query: "integral of sin x from 0 to pi", route: "math", pass: false, score: 0.2, scope: "s" });
      const near = await index.nearest("what is the integral of x", 2, { scope: "s" });
      expect(near.map((m) => m.route)).toEqual(["math", "math"]);
      expect(near[0]!.similarity).toBeGreaterThanOrEqual(near[1]!.similarity);
      for (const match of near) {
        expect(match.similarity).toBeGreaterThan(0);
        expect(match.similarity).toBeLessThanOrEqual(1);
      }
      const failed = near.find((m) => !m.pass);
      expect(failed).toMatchObject({ query: "integral of sin x from 0 to pi", pass: false, score: 0.2, scope: "s" });
    });

    it("keeps scopes apart, and finds unscoped precedents only without a scope", async () => {
      const index = await fresh();
      await index.add({ query: "convert celsius to fahrenheit", route: "math", pass: true, scope: "a" });
      await index.add({ query: "convert celsius to kelvin", route: "science", pass: true, scope: "b" });
      await index.add({ query: "convert celsius to rankine", route: "other", pass: true });
      expect((await index.nearest("convert celsius", 5, { scope: "a" })).map((m) => m.route)).toEqual(["math"]);
      expect((await index.nearest("convert celsius", 5, { scope: "b" })).map((m) => m.route)).toEqual(["science"]);
      expect((await index.nearest("convert celsius", 5)).map((m) => m.route)).toEqual(["other"]);
      expect(await index.nearest("convert celsius", 5, { scope: "nobody" })).toEqual([]);
    });

    it("returns at most k, none for k ≤ 0, and none when nothing shares a word", async () => {
      const index = await fresh();
      for (let i = 0; i < 6; i++) await index.add({ query: `sort a list of ${i} numbers`, route: "code", pass: true });
      expect(await index.nearest("sort a list", 4)).toHaveLength(4);
      expect(await index.nearest("sort a list", 0)).toEqual([]);
      expect(await index.nearest("zebra migration", 4)).toEqual([]);
    });

    it("refuses malformed precedents with MEMORY_INPUT_INVALID and a hint", async () => {
      const index = await fresh();
      const bad: unknown[] = [
        { query: "", route: "code", pass: true },
        { query: "q", route: "", pass: true },
        { query: "q", route: "code", pass: null },
        { query: "q", route: "code", pass: true, score: 7 },
        { query: "q", route: "code", pass: true, score: Number.NaN },
        null,
      ];
      for (const precedent of bad) {
        const error = await index.add(precedent as never).then(
          () => undefined,
          (thrown: { code?: string; hint?: string }) => thrown,
        );
        expect(error?.code, JSON.stringify(precedent)).toBe("MEMORY_INPUT_INVALID");
        expect(error?.hint).toBeTruthy();
      }
      expect(await index.nearest("q", 5)).toEqual([]);
    });
  });
}
