import { statSync } from "node:fs";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openVerdictStore } from "./open-verdict-store";
import { useTempDirs } from "./testing/test-temp-dir";
import { verdictStatsIndex, verdictStoreApplicationId, verdictStoreSchemaVersion } from "./verdict-schema";
import { errorOf } from "@tinyllm/models/testing";

const record = { nodeId: "gate", pass: true, score: 1, decidedBy: "judge", query: "q" };

describe("openVerdictStore", () => {
  const tempDir = useTempDirs();

  it("should create the file and its missing parent directories, in WAL mode with the current schema", () => {
    const path = join(tempDir(), "a", "b", "verdicts.db");
    const store = openVerdictStore({ path });
    expect(store.path).toBe(path);
    store.append(record);
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(verdictStoreSchemaVersion);
    expect(raw.pragma("application_id", { simple: true })).toBe(verdictStoreApplicationId);
    raw.close();
  });

  it("should resolve a relative path against the working directory", () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const store = openVerdictStore({ path: "rel.db" });
      expect(store.path).toBe(join(process.cwd(), "rel.db"));
      store.close();
    } finally {
      process.chdir(cwd);
    }
  });

  it("should keep verdicts across reopening", () => {
    const path = join(tempDir(), "verdicts.db");
    const first = openVerdictStore({ path });
    const appended = first.append(record);
    first.close();
    const second = openVerdictStore({ path });
    expect(second.list()).toEqual([appended]);
    expect(second.append(record).id).toBeGreaterThan(appended.id);
    second.close();
  });

  it("should read a store read-only and refuse to append to it", () => {
    const path = join(tempDir(), "verdicts.db");
    const writer = openVerdictStore({ path });
    writer.append(record);
    const reader = openVerdictStore({ path, readonly: true });
    expect(reader.count()).toBe(1);
    writer.append(record);
    expect(reader.count()).toBe(2);
    const error = errorOf(() => reader.append(record));
    expect(error.code).toBe("VERDICT_STORE_FAILED");
    expect(error.message).toMatch(/read-only/);
    reader.close();
    writer.close();
  });

  it("should say that no verdicts were recorded yet when a missing file is opened read-only, without creating it", () => {
    const path = join(tempDir(), "nothing", "verdicts.db");
    const error = errorOf(() => openVerdictStore({ path, readonly: true }));
    expect(error.code).toBe("VERDICT_STORE_FAILED");
    expect(error.message).toContain("No verdicts have been recorded yet");
    expect(error.message).toContain(path);
    expect(error.hint).toMatch(/gate/);
    expect(existsSync(path)).toBe(false);
  });

  it("should say the same for an empty file opened read-only", () => {
    const path = join(tempDir(), "verdicts.db");
    writeFileSync(path, "");
    const error = errorOf(() => openVerdictStore({ path, readonly: true }));
    expect(error.code).toBe("VERDICT_STORE_FAILED");
    expect(error.message).toContain("No verdicts have been recorded yet");
  });

  it.each([
    ["a short text file", "not a database"],
    ["a long text file", "x".repeat(10_000)],
    ["a file with a SQLite-looking start", `SQLite format 3\0${"\x7f".repeat(5000)}`],
  ])("should report %s as corrupt, naming the path and telling to move it aside", (_name, content) => {
    const path = join(tempDir(), "verdicts.db");
    writeFileSync(path, content, "latin1");
    for (const readonly of [false, true]) {
      const error = errorOf(() => openVerdictStore({ path, readonly }));
      expect(error.code).toBe("VERDICT_STORE_CORRUPT");
      expect(error.message).toContain(path);
      expect(error.hint).toContain(path);
      expect(error.hint).toMatch(/move it aside/);
    }
    expect(readFileSync(path, "latin1")).toBe(content);
  });

  it("should report a SQLite database of another program as corrupt and leave it alone", () => {
    const path = join(tempDir(), "other.db");
    const other = new Database(path);
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');");
    other.close();
    const error = errorOf(() => openVerdictStore({ path }));
    expect(error.code).toBe("VERDICT_STORE_CORRUPT");
    expect(error.message).toMatch(/not a TinyLLM verdict store/);
    expect(error.hint).toContain(path);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("user_version", { simple: true })).toBe(0);
    expect(raw.prepare("SELECT body FROM notes").pluck().all()).toEqual(["keep me"]);
    raw.close();
  });

  it("should report a store whose table is missing as corrupt", () => {
    const path = join(tempDir(), "verdicts.db");
    openVerdictStore({ path }).close();
    const raw = new Database(path);
    raw.exec("DROP TABLE verdicts; CREATE TABLE keep (x TEXT)");
    raw.close();
    const error = errorOf(() => openVerdictStore({ path }));
    expect(error.code).toBe("VERDICT_STORE_CORRUPT");
    expect(error.message).toMatch(/damaged schema/);
  });

  it("should report a store whose stats index is missing as corrupt", () => {
    const path = join(tempDir(), "verdicts.db");
    openVerdictStore({ path }).close();
    const raw = new Database(path);
    raw.exec(`DROP INDEX ${verdictStatsIndex}`);
    raw.close();
    const error = errorOf(() => openVerdictStore({ path, readonly: true }));
    expect(error.code).toBe("VERDICT_STORE_CORRUPT");
    expect(error.message).toMatch(/damaged schema/);
  });

  it("should refuse a store written by a newer version, with a hint, and leave it alone", () => {
    const path = join(tempDir(), "verdicts.db");
    openVerdictStore({ path }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${verdictStoreSchemaVersion + 1}`);
    raw.close();
    for (const readonly of [false, true]) {
      const error = errorOf(() => openVerdictStore({ path, readonly }));
      expect(error.code).toBe("VERDICT_STORE_TOO_NEW");
      expect(error.message).toContain(`version ${verdictStoreSchemaVersion + 1}`);
      expect(error.hint).toMatch(/upgrade TinyLLM/);
    }
    const check = new Database(path, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(verdictStoreSchemaVersion + 1);
    check.close();
  });

  it("should upgrade an older store when opened for writing, but not read-only", () => {
    const path = join(tempDir(), "verdicts.db");
    const raw = new Database(path);
    raw.pragma(`application_id = ${verdictStoreApplicationId}`); // version 0: marked but no tables yet
    raw.close();
    const error = errorOf(() => openVerdictStore({ path, readonly: true }));
    expect(error.code).toBe("VERDICT_STORE_FAILED");
    expect(error.hint).toMatch(/without readonly/);
    const store = openVerdictStore({ path });
    expect(store.append(record).id).toBe(1);
    store.close();
  });

  it("should fail with a hint when the path is a directory", () => {
    const path = join(tempDir(), "dir.db");
    mkdirSync(path);
    const error = errorOf(() => openVerdictStore({ path }));
    expect(error.code).toBe("VERDICT_STORE_FAILED");
    expect(error.message).toContain(path);
    expect(error.hint).toBeTruthy();
  });

  it.each([
    [{ path: "" }, "path"],
    [{ path: "x.db", busyTimeoutMs: -1 }, "busyTimeoutMs"],
    [{ path: "x.db", busyTimeoutMs: 1.5 }, "busyTimeoutMs"],
    [{ path: "x.db", readonly: "yes" }, "readonly"],
  ])("should reject bad options %j naming %s", (options, field) => {
    const error = errorOf(() => openVerdictStore(options as never));
    expect(error.code).toBe("GRADING_INPUT_INVALID");
    expect(error.message).toContain(`'${field}'`);
  });

  it("should open a private in-memory store for ':memory:'", () => {
    const store = openVerdictStore({ path: ":memory:" });
    expect(store.path).toBe(":memory:");
    store.append(record);
    expect(store.count()).toBe(1);
    store.close();
  });

  it("should ignore a second close and refuse any other call after close", () => {
    const store = openVerdictStore({ path: join(tempDir(), "verdicts.db") });
    store.close();
    store.close();
    for (const call of [() => store.append(record), () => store.list(), () => store.count(), () => store.stats({ groupBy: "node" })]) {
      const error = errorOf(call);
      expect(error.code).toBe("VERDICT_STORE_FAILED");
      expect(error.message).toMatch(/closed/);
    }
  });

  it("should create a new store readable by its owner only", () => {
    const path = join(tempDir(), "private", "verdicts.db");
    const store = openVerdictStore({ path });
    store.append(record);
    store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
