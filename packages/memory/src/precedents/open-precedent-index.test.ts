import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describePrecedentIndexConformance } from "../testing/precedent-index-conformance";
import { openPrecedentIndex, type SqlitePrecedentIndex } from "./open-precedent-index";

const dir = mkdtempSync(path.join(tmpdir(), "tinyllm-precedents-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describePrecedentIndexConformance(
  "SQLite in memory",
  () => openPrecedentIndex({ path: ":memory:" }),
  (index) => (index as SqlitePrecedentIndex).close(),
);
describePrecedentIndexConformance(
  "SQLite file",
  () => openPrecedentIndex({ path: path.join(dir, `conformance-${n++}.db`) }),
  (index) => (index as SqlitePrecedentIndex).close(),
);

describe("openPrecedentIndex", () => {
  it("keeps precedents across reopening, in a file only its owner can read", async () => {
    const file = path.join(dir, "reopen.db");
    const first = openPrecedentIndex({ path: file });
    await first.add({ query: "what is 15% of 80", route: "math", pass: true, score: 1, scope: "r" });
    first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = openPrecedentIndex({ path: file });
    expect(second.count()).toBe(1);
    expect(await second.nearest("15% of 80", 3, { scope: "r" })).toMatchObject([{ route: "math", pass: true, score: 1 }]);
    second.close();
  });

  it("sees what another connection added and wiped, before its next search", async () => {
    const file = path.join(dir, "shared.db");
    const reader = openPrecedentIndex({ path: file });
    const writer = openPrecedentIndex({ path: file });
    expect(await reader.nearest("prime numbers", 3)).toEqual([]);
    await writer.add({ query: "list the prime numbers below 50", route: "math", pass: true });
    expect((await reader.nearest("prime numbers", 3)).map((m) => m.route)).toEqual(["math"]);
    writer.wipe();
    expect(await reader.nearest("prime numbers", 3)).toEqual([]);
    await writer.add({ query: "prime numbers in python", route: "code_math", pass: false });
    expect((await reader.nearest("prime numbers", 3)).map((m) => m.route)).toEqual(["code_math"]);
    reader.close();
    writer.close();
  });

  it("keeps only the newest maxPrecedents", async () => {
    const index = openPrecedentIndex({ path: ":memory:", maxPrecedents: 3 });
    for (let i = 0; i < 5; i++) await index.add({ query: `alpha ${i}`, route: `r${i}`, pass: true });
    expect(index.count()).toBe(3);
    expect((await index.nearest("alpha", 10)).map((m) => m.route).sort()).toEqual(["r2", "r3", "r4"]);
    index.close();
  });

  it("refuses a file that is not a precedent index, saying what to do", () => {
    const file = path.join(dir, "not-sqlite.db");
    writeFileSync(file, "this is not a database, just text that someone saved here by mistake".repeat(20));
    let error: { code?: string; hint?: string } | undefined;
    try {
      openPrecedentIndex({ path: file });
    } catch (thrown) {
      error = thrown as { code?: string; hint?: string };
    }
    expect(error?.code).toBe("MEMORY_STORE_CORRUPT");
    expect(error?.hint).toMatch(/TINYLLM_PRECEDENTS/);
  });
});
