import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { captureError, errorOf } from "@tinyllm/models/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openRunStore } from "./open-run-store";
import { runStoreApplicationId, runStoreSchemaVersion } from "./run-store-schema";
import { runStoreConformance } from "./testing/run-store-conformance";
import { useTempDirs } from "./testing/test-temp-dir";

const trace = { version: 1 as const, runId: "r1", graphId: "g", startedAt: new Date(0).toISOString(), spans: [] };
const begin = { graphId: "g", input: "What is 2+2?", startedAtMs: 1_700_000_000_000 };

describe("openRunStore", () => {
  const tempDir = useTempDirs();

  runStoreConformance("SQLite in memory", async () => openRunStore({ path: ":memory:" }));
  runStoreConformance("SQLite file", async () => openRunStore({ path: join(tempDir(), "runs.db") }));

  it("creates the file and its missing parent directories, in WAL mode, marked and versioned, readable by its owner only", async () => {
    const path = join(tempDir(), "a", "b", "runs.db");
    const store = openRunStore({ path });
    expect(store.path).toBe(path);
    await store.begin({ id: "r1", ...begin });
    await store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(runStoreSchemaVersion);
    expect(raw.pragma("application_id", { simple: true })).toBe(runStoreApplicationId);
    raw.close();
  });

  it("keeps runs, events and traces across reopening", async () => {
    const path = join(tempDir(), "runs.db");
    const first = openRunStore({ path });
    await first.begin({ id: "r1", ...begin });
    await first.appendEvents("r1", [{ type: "run-start", runId: "r1", timeMs: 0, graphId: "g", input: "What is 2+2?" }]);
    await first.finish("r1", { status: "ok", output: "4", trace, endedAtMs: 1_700_000_000_100, durationMs: 100 });
    await first.close();
    const second = openRunStore({ path });
    expect(await second.get("r1")).toMatchObject({ status: "ok", output: "4", trace, eventCount: 1 });
    expect((await second.events("r1")).map((item) => item.event.type)).toEqual(["run-start"]);
    await second.begin({ id: "r2", ...begin });
    expect((await second.list()).map((run) => run.id)).toEqual(["r2", "r1"]);
    await second.close();
  });

  it("marks interrupted, on reopen, the runs a process that died left running, and lets them be finished", async () => {
    const path = join(tempDir(), "runs.db");
    const first = openRunStore({ path });
    await first.begin({ id: "dead", ...begin });
    await first.begin({ id: "elsewhere", ...begin });
    await first.begin({ id: "live", ...begin });
    await first.appendEvents("dead", [{ type: "run-start", runId: "dead", timeMs: 0, graphId: "g", input: "x" }]);
    await first.close();
    // A process that has exited, on this host; and one on another host, which cannot be checked.
    const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid;
    const raw = new Database(path);
    raw.prepare("UPDATE runs SET owner = ? WHERE id = 'dead'").run(`${hostname()}:${deadPid}`);
    raw.prepare("UPDATE runs SET owner = 'another-host:1' WHERE id = 'elsewhere'").run();
    raw.close();

    const second = openRunStore({ path });
    const dead = await second.get("dead");
    expect(dead).toMatchObject({ status: "interrupted", eventCount: 1 });
    expect(dead!.endedAtMs).toBeGreaterThanOrEqual(begin.startedAtMs);
    expect((await second.get("elsewhere"))!.status).toBe("running");
    expect((await second.get("live"))!.status).toBe("running");
    expect(await second.markInterrupted()).toBe(0);
    expect((await second.list({ status: "interrupted" })).map((run) => run.id)).toEqual(["dead"]);
    await second.appendEvents("dead", [{ type: "run-end", runId: "dead", timeMs: 5, result: {} as never }]);
    await second.finish("dead", { status: "cancelled", trace, endedAtMs: Date.now(), durationMs: 5 });
    expect((await second.get("dead"))!.status).toBe("cancelled");
    await second.close();
  });

  it("takes interleaved writes of two stores on one file, numbering each run's events in order", async () => {
    const path = join(tempDir(), "runs.db");
    const one = openRunStore({ path });
    const two = openRunStore({ path });
    await one.begin({ id: "a", ...begin });
    await two.begin({ id: "b", ...begin });
    for (let i = 1; i <= 20; i++) {
      await Promise.all([
        one.appendEvents("a", [{ type: "token-delta", runId: "a", timeMs: i, nodeId: "n", text: `${i}` }]),
        two.appendEvents("b", [{ type: "token-delta", runId: "b", timeMs: i, nodeId: "n", text: `${i}` }]),
        (i % 2 ? one : two).appendEvents("a", [{ type: "token-delta", runId: "a", timeMs: i, nodeId: "n", text: `${i}'` }]),
      ]);
    }
    const a = await two.events("a");
    expect(a.map((item) => item.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await one.events("b")).map((item) => item.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await one.close();
    await two.close();
  });

  it.each([
    ["a short text file", "not a database"],
    ["a file with a SQLite-looking start", `SQLite format 3\0${"\x7f".repeat(5000)}`],
  ])("reports %s as corrupt, naming the path and telling to move it aside, and leaves it alone", (_name, content) => {
    const path = join(tempDir(), "runs.db");
    writeFileSync(path, content, "latin1");
    const error = errorOf(() => openRunStore({ path }));
    expect(error.code).toBe("RUN_STORE_CORRUPT");
    expect(error.message).toContain(path);
    expect(error.hint).toMatch(/move it aside/);
    expect(readFileSync(path, "latin1")).toBe(content);
  });

  it("reports another program's database (or the verdict store) as not a run store", () => {
    const path = join(tempDir(), "other.db");
    const other = new Database(path);
    other.exec("CREATE TABLE notes (body TEXT)");
    other.pragma("application_id = 1414289235"); // "TLVS", the verdict store
    other.close();
    const error = errorOf(() => openRunStore({ path }));
    expect(error.code).toBe("RUN_STORE_CORRUPT");
    expect(error.message).toMatch(/not a TinyLLM run store/);
  });

  it("refuses a store written by a newer version, with a hint", async () => {
    const path = join(tempDir(), "runs.db");
    await openRunStore({ path }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${runStoreSchemaVersion + 1}`);
    raw.close();
    const error = errorOf(() => openRunStore({ path }));
    expect(error.code).toBe("RUN_STORE_TOO_NEW");
    expect(error.hint).toMatch(/upgrade TinyLLM/);
  });

  it("says the store is locked when another connection holds the write lock past the busy timeout", async () => {
    const path = join(tempDir(), "runs.db");
    const store = openRunStore({ path, busyTimeoutMs: 50 });
    const raw = new Database(path);
    raw.exec("BEGIN IMMEDIATE");
    const error = await captureError(store.begin({ id: "r1", ...begin }));
    raw.exec("ROLLBACK");
    raw.close();
    expect(error.code).toBe("RUN_STORE_FAILED");
    expect(error.message).toMatch(/locked/);
    expect(error.isRetryable).toBe(true);
    await store.begin({ id: "r1", ...begin });
    await store.close();
  });

  it("fails with a hint when the path is a directory", () => {
    const path = join(tempDir(), "dir.db");
    mkdirSync(path);
    const error = errorOf(() => openRunStore({ path }));
    expect(error.code).toBe("RUN_STORE_FAILED");
    expect(error.message).toContain(path);
    expect(error.hint).toBeTruthy();
  });

  it("rejects bad options naming the field", () => {
    expect(errorOf(() => openRunStore({ path: "" })).message).toContain("'path'");
    expect(errorOf(() => openRunStore({ path: "x.db", busyTimeoutMs: -1 })).code).toBe("INVALID_ARGUMENT");
  });
});
