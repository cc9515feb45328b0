import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openVerdictStore } from "./open-verdict-store";
import { spawnVerdictChild } from "./testing/spawn-verdict-child";
import type { VerdictChild } from "./testing/spawn-verdict-child";
import { testVerdictRecord } from "./testing/test-verdict-record";
import type { VerdictRecord, VerdictRecordInput } from "./verdict-record";
import { fromVerdictRow, toVerdictRow } from "./verdict-row";

const kills = 20;

/** The record `append` stores for `input` under `id`: the answer capped, the query hashed. */
const storedForm = (input: VerdictRecordInput, id: number): VerdictRecord => fromVerdictRow({ ...toVerdictRow(input, 0), id });

describe("verdict store after SIGKILL", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tinyllm-verdicts-crash-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every reported append and stays intact across ${kills} kills mid-append`, async () => {
    const path = join(dir, "verdicts.db");
    const cacheDir = join(dir, "ts-cache");
    let expectedTotal = 0;
    // Each child loads its code and then waits for "go". The children of the next rounds are
    // spawned ahead, so their start-up (half a second to a second) overlaps this round.
    const spawnRound = (round: number): VerdictChild => spawnVerdictChild(["crash", path, `crash-${round}`], cacheDir);
    const ahead = Math.min(3, kills);
    const waiting = [spawnRound(0)];
    try {
      // The first child fills the transpile cache; the others then start from it.
      await waiting[0]!.waitForLine((line) => line === "ready");
      for (let round = 1; round < ahead; round++) waiting.push(spawnRound(round));
      for (let round = 0; round < kills; round++) {
        const graphId = `crash-${round}`;
        // Kill after a random number of reported appends, 3 to 40; the child keeps appending
        // while the signal is on its way, so the kill lands at an arbitrary point of an append.
        const killAfter = 3 + Math.floor(Math.random() * 38);
        const child = waiting.shift()!;
        await child.waitForLine((line) => line === "ready");
        child.process.stdin.write("go\n");
        await child.waitForLine((_line, index) => index >= killAfter);
        child.process.kill("SIGKILL");
        const { signal, stderr } = await child.exited;
        if (round + ahead < kills) waiting.push(spawnRound(round + ahead));
        expect(signal, stderr).toBe("SIGKILL");

        // Every line the child finished writing after "ready" is an append that had returned.
        const reported = child.lines.slice(1).map((line) => line.split(" ").map(Number) as [number, number]);
        expect(reported.length).toBeGreaterThanOrEqual(killAfter);
        expect(reported.map(([, seq]) => seq)).toEqual(reported.map((_, i) => i + 1));

        const raw = new Database(path);
        expect(raw.pragma("integrity_check", { simple: true }), `round ${round}`).toBe("ok");
        raw.close();

        const store = openVerdictStore({ path });
        const stored = new Map<number, VerdictRecord>(store.list({ graphId, limit: 10_000 }).map((record) => [record.id, record]));
        for (const [id, seq] of reported) {
          expect(stored.get(id), `round ${round}, id ${id}, seq ${seq}`).toEqual(storedForm(testVerdictRecord(graphId, seq), id));
        }
        // At most the one append in flight at the kill committed without being reported.
        const unreported = [...stored.values()].filter((record) => !reported.some(([id]) => id === record.id));
        expect(unreported.length, `round ${round}`).toBeLessThanOrEqual(1);
        for (const record of unreported) {
          expect(record.id).toBeGreaterThan(Math.max(...reported.map(([id]) => id)));
          expect(record).toEqual(storedForm(testVerdictRecord(graphId, reported.length + 1), record.id));
        }
        expectedTotal += stored.size;
        expect(store.count()).toBe(expectedTotal);
        store.close();
      }
    } finally {
      // After a failed check, do not leave the next rounds' children waiting.
      for (const child of waiting) child.process.kill("SIGKILL");
    }
  }, 90_000);
});
