import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openVerdictStore } from "./open-verdict-store";
import { useTempDirs } from "./testing/test-temp-dir";
import type { VerdictRecordInput } from "./verdict-record";
import type { VerdictStore } from "./verdict-store";
import { errorOf } from "@tinyllm/models/testing";

const minimal: VerdictRecordInput = { nodeId: "gate", pass: true, score: 0.75, decidedBy: "judge", query: "What is 2+2?" };

const full: Required<VerdictRecordInput> = {
  createdAtMs: 1_700_000_000_123,
  runId: "run-1",
  graphId: "support",
  graphVersion: "3",
  nodeId: "gate",
  answeredBy: "writer",
  route: "math",
  model: "qwen2.5-0.5b",
  provider: "llama",
  tier: "small",
  attempt: 2,
  pass: false,
  score: 0.25,
  decidedBy: "math.reference",
  scores: { correctness: 0, clarity: 0.5 },
  checks: [{ name: "math.reference", pass: false, expected: 4, got: 5 }, null, "text"],
  feedback: "The result is 4, not 5.",
  latencyMs: 1234.5,
  gradingMs: 12.25,
  inputTokens: 42,
  outputTokens: 7,
  query: "What is 2+2? ✓",
  answer: "5 — surely",
  rubric: "math",
};

describe("VerdictStore.append", () => {
  const tempDir = useTempDirs();
  let store: VerdictStore;
  beforeEach(() => {
    store = openVerdictStore({ path: join(tempDir(), "verdicts.db") });
  });
  afterEach(() => store.close());

  it("should store every field and return the record as list reads it", () => {
    const appended = store.append(full);
    expect(appended).toEqual({ ...full, id: 1, queryHash: createHash("sha256").update(full.query).digest("hex") });
    expect(store.list()).toEqual([appended]);
  });

  it("should default createdAtMs to now and leave unset fields out", () => {
    const before = Date.now();
    const appended = store.append(minimal);
    expect(appended.createdAtMs).toBeGreaterThanOrEqual(before);
    expect(appended.createdAtMs).toBeLessThanOrEqual(Date.now());
    expect(Object.keys(appended).sort()).toEqual(["createdAtMs", "decidedBy", "id", "nodeId", "pass", "query", "queryHash", "score"]);
    expect(store.list()).toEqual([appended]);
  });

  it("should give equal queries equal hashes", () => {
    const a = store.append({ ...minimal, query: "same" });
    const b = store.append({ ...minimal, query: "same" });
    const c = store.append({ ...minimal, query: "Same" });
    expect(a.queryHash).toBe(b.queryHash);
    expect(a.queryHash).not.toBe(c.queryHash);
    expect(a.queryHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("should keep an answer of exactly 64 KiB whole", () => {
    const answer = "a".repeat(64 * 1024);
    const appended = store.append({ ...minimal, answer });
    expect(appended.answer).toBe(answer);
    expect(appended.answerTruncated).toBeUndefined();
  });

  it("should cut a longer answer to 64 KiB of UTF-8 on a character boundary and mark it", () => {
    const answer = `x${"€😀".repeat(20_000)}`; // 1 + 7 bytes per repeat
    const appended = store.append({ ...minimal, answer });
    const [listed] = store.list();
    expect(listed).toEqual(appended);
    expect(appended.answerTruncated).toBe(true);
    const bytes = Buffer.byteLength(appended.answer!, "utf8");
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(bytes).toBeGreaterThan(64 * 1024 - 4);
    expect(answer.startsWith(appended.answer!)).toBe(true);
    expect(appended.answer).not.toContain("\uFFFD");
  });

  it("should ignore fields it does not know, so a listed record can be appended again", () => {
    const first = store.append(full);
    const again = store.append({ ...first, extra: "dropped" } as VerdictRecordInput);
    expect(again).toEqual({ ...first, id: first.id + 1 });
    expect(again).not.toHaveProperty("extra");
  });

  it.each<[string, Record<string, unknown>]>([
    ["nodeId", { nodeId: "" }],
    ["nodeId", { nodeId: undefined }],
    ["decidedBy", { decidedBy: 3 }],
    ["query", { query: undefined }],
    ["pass", { pass: "yes" }],
    ["score", { score: 1.5 }],
    ["score", { score: -0.1 }],
    ["score", { score: Number.NaN }],
    ["createdAtMs", { createdAtMs: 1.5 }],
    ["attempt", { attempt: 0 }],
    ["latencyMs", { latencyMs: -1 }],
    ["gradingMs", { gradingMs: Number.POSITIVE_INFINITY }],
    ["inputTokens", { inputTokens: 2.5 }],
    ["scores.clarity", { scores: { clarity: 2 } }],
    ["checks", { checks: { not: "an array" } }],
    ["answer", { answer: 42 }],
  ])("should reject a bad %s with GRADING_INPUT_INVALID naming it, storing nothing", (field, change) => {
    const error = errorOf(() => store.append({ ...minimal, ...change } as VerdictRecordInput));
    expect(error.code).toBe("GRADING_INPUT_INVALID");
    expect(error.message).toContain(`'${field}'`);
    expect(error.hint).toBeTruthy();
    expect(store.count()).toBe(0);
  });

  it("should reject checks that are not JSON data", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    const error = errorOf(() => store.append({ ...minimal, checks: [cyclic] }));
    expect(error.code).toBe("GRADING_INPUT_INVALID");
    expect(error.message).toContain("'checks'");
    expect(store.count()).toBe(0);
  });

  it("should reject a record that is not an object", () => {
    expect(errorOf(() => store.append(null as never)).code).toBe("GRADING_INPUT_INVALID");
  });
});

describe("VerdictStore.list and count", () => {
  const tempDir = useTempDirs();
  let store: VerdictStore;
  beforeEach(() => {
    store = openVerdictStore({ path: join(tempDir(), "verdicts.db") });
    const rows: Partial<VerdictRecordInput>[] = [
      { createdAtMs: 1000, nodeId: "g1", answeredBy: "a", route: "math", model: "m1", graphId: "x", pass: true },
      { createdAtMs: 2000, nodeId: "g1", answeredBy: "b", route: "code", model: "m2", graphId: "x", pass: false },
      { createdAtMs: 2000, nodeId: "g2", answeredBy: "a", route: "math", model: "m1", graphId: "y", pass: false },
      { createdAtMs: 3000, nodeId: "g2", model: "m2", pass: true },
    ];
    for (const row of rows) store.append({ ...minimal, ...row });
  });
  afterEach(() => store.close());

  const ids = (filter?: Parameters<VerdictStore["list"]>[0]): number[] => store.list(filter).map((record) => record.id);

  it("should list newest first, and by id among equal times", () => {
    expect(ids()).toEqual([4, 3, 2, 1]);
  });

  it.each<[Parameters<VerdictStore["list"]>[0], number[]]>([
    [{ sinceMs: 2000 }, [4, 3, 2]],
    [{ untilMs: 2000 }, [1]],
    [{ sinceMs: 2000, untilMs: 3000 }, [3, 2]],
    [{ nodeId: "g1" }, [2, 1]],
    [{ answeredBy: "a" }, [3, 1]],
    [{ route: "math" }, [3, 1]],
    [{ model: "m2" }, [4, 2]],
    [{ graphId: "x" }, [2, 1]],
    [{ pass: false }, [3, 2]],
    [{ pass: true, model: "m1" }, [1]],
    [{ nodeId: "nobody" }, []],
    [{ limit: 2 }, [4, 3]],
  ])("should filter by %j", (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
    expect(store.count(filter)).toBe(filter?.limit === undefined ? expected.length : 4);
  });

  it("should return 100 records by default and at most 10 000", () => {
    store.close();
    store = openVerdictStore({ path: join(tempDir(), "many.db") });
    for (let i = 0; i < 150; i++) store.append(minimal);
    expect(store.list()).toHaveLength(100);
    expect(store.list({ limit: 10_000 })).toHaveLength(150);
    expect(store.count()).toBe(150);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ limit: 0 }, "limit"],
    [{ limit: 10_001 }, "limit"],
    [{ limit: 2.5 }, "limit"],
    [{ sinceMs: "yesterday" }, "sinceMs"],
    [{ pass: 1 }, "pass"],
  ])("should reject the filter %j naming %s", (filter, field) => {
    const error = errorOf(() => store.list(filter as never));
    expect(error.code).toBe("GRADING_INPUT_INVALID");
    expect(error.message).toContain(`'${field}'`);
  });

  it("should reject unknown filter fields, which would otherwise widen the result", () => {
    const error = errorOf(() => store.count({ node: "g1" } as never));
    expect(error.code).toBe("GRADING_INPUT_INVALID");
    expect(error.message).toContain("node");
  });
});
