import { join } from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openVerdictStore } from "./open-verdict-store";
import { useTempDirs } from "./testing/test-temp-dir";
import type { VerdictRecordInput } from "./verdict-record";
import type { VerdictStore } from "./verdict-store";

const base: VerdictRecordInput = { nodeId: "gate", pass: true, score: 1, decidedBy: "judge", query: "q" };

/** Nearest-rank percentile: the value at rank ceil(p/100 · n) of the sorted values. */
function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

describe("VerdictStore.stats", () => {
  const tempDir = useTempDirs();
  let store: VerdictStore;
  beforeEach(() => {
    store = openVerdictStore({ path: join(tempDir(), "verdicts.db") });
  });
  afterEach(() => store.close());

  const appendAll = (records: Partial<VerdictRecordInput>[]): void => {
    for (const record of records) store.append({ ...base, ...record });
  };

  it("should count, average and take nearest-rank percentiles per group", () => {
    // Inserted out of order: 10, 9, …, 1.
    appendAll(
      Array.from({ length: 10 }, (_, i) => ({
        latencyMs: 10 - i,
        gradingMs: 100 - i,
        pass: i < 3,
        score: i < 3 ? 1 : 0.5,
        decidedBy: i % 2 === 0 ? "judge" : "rules.empty",
      })),
    );
    expect(store.stats({ groupBy: "node" })).toEqual([
      {
        key: "gate",
        total: 10,
        passed: 3,
        undecided: 0,
        passRate: 0.3,
        meanScore: 0.65,
        latencyMs: { p50: 5, p95: 10, mean: 5.5 },
        gradingMs: { p50: 95, p95: 100, mean: 95.5 },
        decidedBy: { judge: 5, "rules.empty": 5 },
      },
    ]);
  });

  it("should give 50 and 95 for the values 1 to 100, and the value itself for one value", () => {
    appendAll(Array.from({ length: 100 }, (_, i) => ({ nodeId: "hundred", latencyMs: ((i * 37) % 100) + 1 })));
    appendAll([{ nodeId: "one", latencyMs: 7.25 }]);
    const groups = store.stats({ groupBy: "node" });
    expect(groups.map((group) => [group.key, group.latencyMs.p50, group.latencyMs.p95])).toEqual([
      ["hundred", 50, 95],
      ["one", 7.25, 7.25],
    ]);
  });

  it("should leave out verdicts without a duration, and give null when none has one", () => {
    appendAll([{ latencyMs: 4 }, { latencyMs: 2 }, {}, {}]);
    const [group] = store.stats({ groupBy: "node" });
    expect(group!.latencyMs).toEqual({ p50: 2, p95: 4, mean: 3 });
    expect(group!.gradingMs).toEqual({ p50: null, p95: null, mean: null });
  });

  it("should match a reference nearest-rank computation on random data", () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const byModel = new Map<string, number[]>();
    const records: Partial<VerdictRecordInput>[] = [];
    for (let i = 0; i < 400; i++) {
      const model = `m${Math.floor(random() * 5)}`;
      const latencyMs = Math.round(random() * 10_000) / 10;
      records.push({ model, latencyMs });
      byModel.set(model, [...(byModel.get(model) ?? []), latencyMs]);
    }
    appendAll(records);
    const groups = store.stats({ groupBy: "model" });
    expect(groups).toHaveLength(byModel.size);
    for (const group of groups) {
      const values = byModel.get(group.key)!;
      expect(group.total).toBe(values.length);
      expect(group.latencyMs.p50).toBe(nearestRank(values, 50));
      expect(group.latencyMs.p95).toBe(nearestRank(values, 95));
      expect(group.latencyMs.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
    }
  });

  it("should group by each field, put verdicts without it under '(none)', and sort the largest group first", () => {
    appendAll([
      { nodeId: "g1", answeredBy: "w1", route: "math", model: "m1" },
      { nodeId: "g2", answeredBy: "w1", route: "code", model: "m1" },
      { nodeId: "g2", answeredBy: "w2", model: "m2" },
      { nodeId: "g3" },
    ]);
    const keys = (groupBy: "node" | "answeredBy" | "route" | "model"): [string, number][] => store.stats({ groupBy }).map((group) => [group.key, group.total]);
    expect(keys("node")).toEqual([
      ["g2", 2],
      ["g1", 1],
      ["g3", 1],
    ]);
    expect(keys("answeredBy")).toEqual([
      ["w1", 2],
      ["(none)", 1],
      ["w2", 1],
    ]);
    expect(keys("route")).toEqual([
      ["(none)", 2],
      ["code", 1],
      ["math", 1],
    ]);
    expect(keys("model")).toEqual([
      ["m1", 2],
      ["(none)", 1],
      ["m2", 1],
    ]);
  });

  it("should only count verdicts since sinceMs (inclusive) and of graphId", () => {
    appendAll([
      { createdAtMs: 1000, graphId: "a", latencyMs: 1 },
      { createdAtMs: 2000, graphId: "a", latencyMs: 2 },
      { createdAtMs: 3000, graphId: "b", latencyMs: 3 },
    ]);
    expect(store.stats({ groupBy: "node", sinceMs: 2000 })[0]).toMatchObject({ total: 2, latencyMs: { p50: 2, p95: 3 } });
    expect(store.stats({ groupBy: "node", graphId: "a" })[0]).toMatchObject({ total: 2, latencyMs: { p50: 1, p95: 2 } });
    expect(store.stats({ groupBy: "node", sinceMs: 2000, graphId: "a" })[0]).toMatchObject({ total: 1, latencyMs: { p50: 2, p95: 2 } });
    expect(store.stats({ groupBy: "node", graphId: "none" })).toEqual([]);
  });

  it("should return no groups for an empty store", () => {
    expect(store.stats({ groupBy: "route" })).toEqual([]);
  });

  it.each<[unknown, string]>([
    [{ groupBy: "nodes" }, "groupBy"],
    [{}, "groupBy"],
    [{ groupBy: "node", sinceMs: "today" }, "sinceMs"],
  ])("should reject the options %j naming %s", (options, field) => {
    let error: unknown;
    try {
      store.stats(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(TinyLLMError.isInstance(error)).toBe(true);
    expect((error as TinyLLMError).code).toBe("GRADING_INPUT_INVALID");
    expect((error as TinyLLMError).message).toContain(`'${field}'`);
  });

  it("keeps undecided verdicts out of pass rates and mean scores", () => {
    store.append({ ...base, pass: true, score: 1, decidedBy: "math.reference" });
    store.append({ ...base, pass: false, score: 0.5, decidedBy: "judge" });
    const undecided = store.append({ ...base, pass: null, score: null, decidedBy: "undecided" });
    expect(undecided).toMatchObject({ pass: null, score: null });
    expect(store.list({ limit: 1 })[0]).toMatchObject({ pass: null, score: null });
    const [group] = store.stats({ groupBy: "node" });
    expect(group).toMatchObject({ total: 3, passed: 1, undecided: 1, passRate: 0.5, meanScore: 0.75 });
  });
});

describe("VerdictStore.each", () => {
  it("visits every matching verdict, newest first, past list's limit", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const { openVerdictStore } = await import("./open-verdict-store");
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-each-"));
    const store = openVerdictStore({ path: path.join(dir, "v.db") });
    try {
      for (let i = 0; i < 150; i++)
        store.append({
          createdAtMs: 1_000 + i,
          nodeId: "gate",
          answeredBy: i % 3 === 0 ? "math" : "code",
          pass: true,
          score: 1,
          decidedBy: "rules",
          query: `q${i}`,
          answer: `a${i}`,
        });
      expect(store.list({ answeredBy: "code" })).toHaveLength(100);
      const seen: number[] = [];
      expect(store.each({ answeredBy: "code" }, (record) => seen.push(record.createdAtMs))).toBe(100);
      const all: string[] = [];
      expect(store.each(undefined, (record) => all.push(record.query))).toBe(150);
      expect(all[0]).toBe("q149");
      expect(all.at(-1)).toBe("q0");
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
      const lean: (string | undefined)[] = [];
      store.each({ answeredBy: "math" }, (record) => lean.push(record.answer), { answers: false });
      expect(lean.every((answer) => answer === undefined)).toBe(true);
      const first = store.list({ limit: 1 })[0]!;
      expect(store.get(first.id)).toEqual(first);
      expect(store.get(999_999)).toBeUndefined();
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
