import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openVerdictStore } from "./open-verdict-store";
import { spawnVerdictChild } from "./testing/spawn-verdict-child";
import type { VerdictChild } from "./testing/spawn-verdict-child";
import { testVerdictRecord } from "./testing/test-verdict-record";
import { fromVerdictRow, toVerdictRow } from "./verdict-row";

describe("verdict store shared by several processes", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tinyllm-verdicts-concurrent-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should let three processes create and append to one new file at once, while this one reads", async () => {
    const path = join(dir, "new", "verdicts.db");
    const perChild = 150;
    const graphIds = ["p0", "p1", "p2"];
    const spawnChild = (graphId: string): VerdictChild => spawnVerdictChild(["append", path, graphId, String(perChild)], join(dir, "ts-cache"));
    // The first child fills the transpile cache, then the others start from it.
    const children = [spawnChild(graphIds[0]!)];
    await children[0]!.waitForLine((line) => line === "ready");
    children.push(...graphIds.slice(1).map(spawnChild));
    // Each child has loaded its code and waits; release them together so that they race on
    // creating the schema and then on every append.
    await Promise.all(children.map((child) => child.waitForLine((line) => line === "ready")));
    for (const child of children) child.process.stdin.write("go\n");
    const reads: number[] = [];
    const exits = Promise.all(children.map((child) => child.exited));
    let done = false;
    void exits.then(() => (done = true));
    while (!done) {
      try {
        const reader = openVerdictStore({ path, readonly: true });
        reads.push(reader.count());
        reader.stats({ groupBy: "node" });
        reader.close();
      } catch (error) {
        // Before the first child has created the schema there is nothing to read yet.
        if (!(error as Error).message.includes("No verdicts have been recorded yet")) throw error;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }

    for (const { code, stderr } of await exits) expect(code, stderr).toBe(0);
    for (const child of children) expect(child.lines).toEqual(["ready", "done"]);
    expect(reads.every((n, i) => i === 0 || n >= reads[i - 1]!)).toBe(true);

    const raw = new Database(path);
    expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    raw.close();
    const store = openVerdictStore({ path });
    expect(store.count()).toBe(graphIds.length * perChild);
    for (const graphId of graphIds) {
      const records = store.list({ graphId, limit: 10_000 });
      expect(records).toHaveLength(perChild);
      // Newest first: seq perChild … 1, each intact.
      records.forEach((record, i) => expect(record).toEqual(fromVerdictRow({ ...toVerdictRow(testVerdictRecord(graphId, perChild - i), 0), id: record.id })));
    }
    store.close();
  }, 60_000);
});
