import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { describeSessionStoreConformance } from "../testing/session-store-conformance";
import { openSessionStore } from "./open-session-store";
import { sessionStoreApplicationId, sessionStoreSchemaVersion } from "./session-store-schema";

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "tinyllm-sessions-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function errorOf(work: () => unknown): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await work();
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error("expected an error");
}

describeSessionStoreConformance("SQLite file", async () => openSessionStore({ path: join(tempDir(), "sessions.db") }));
describeSessionStoreConformance("SQLite :memory:", async () => openSessionStore({ path: ":memory:" }));

describe("openSessionStore", () => {
  it("creates the file readable by its owner only, in WAL mode, marked and versioned, and keeps sessions across opens", async () => {
    const path = join(tempDir(), "nested", "sessions.db");
    const store = openSessionStore({ path });
    expect(store.path).toBe(path);
    const { id } = await store.create({ title: "kept" });
    await store.append(id, [{ role: "user", content: "remember me" }]);
    await store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("application_id", { simple: true })).toBe(sessionStoreApplicationId);
    expect(raw.pragma("user_version", { simple: true })).toBe(sessionStoreSchemaVersion);
    raw.close();
    const again = openSessionStore({ path });
    expect((await again.get(id))!.messages[0]!.content).toBe("remember me");
    await again.close();
  });

  it("refuses a file that is not SQLite, or another application's database, with MEMORY_STORE_CORRUPT and a hint", async () => {
    const dir = tempDir();
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "this is not a database, just some text that is long enough to look like a header ".repeat(20));
    const notSqlite = await errorOf(() => openSessionStore({ path: garbage }));
    expect(notSqlite.code).toBe("MEMORY_STORE_CORRUPT");
    expect(notSqlite.hint).toMatch(/move it aside|TINYLLM_SESSIONS/);
    const foreign = join(dir, "foreign.db");
    const raw = new Database(foreign);
    raw.exec("CREATE TABLE t (x)");
    raw.close();
    expect((await errorOf(() => openSessionStore({ path: foreign }))).code).toBe("MEMORY_STORE_CORRUPT");
    expect(readFileSync(garbage, "utf8")).toContain("not a database");
  });

  it("refuses a file with a newer schema with MEMORY_STORE_TOO_NEW", async () => {
    const path = join(tempDir(), "sessions.db");
    await openSessionStore({ path }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${sessionStoreSchemaVersion + 1}`);
    raw.close();
    const error = await errorOf(() => openSessionStore({ path }));
    expect(error.code).toBe("MEMORY_STORE_TOO_NEW");
    expect(error.hint).toMatch(/upgrade/);
  });

  it("really deletes a session's messages from the file", async () => {
    const path = join(tempDir(), "sessions.db");
    const store = openSessionStore({ path });
    const { id } = await store.create();
    await store.append(id, [{ role: "user", content: "my password is hunter2" }]);
    await store.delete(id);
    await store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT COUNT(*) AS n FROM messages").get()).toEqual({ n: 0 });
    expect(raw.prepare("SELECT COUNT(*) AS n FROM sessions").get()).toEqual({ n: 0 });
    raw.close();
  });

  it("refuses more messages than maxMessagesPerSession, and bad options", async () => {
    const store = openSessionStore({ path: ":memory:", maxMessagesPerSession: 2, maxMessageChars: 10 });
    const { id } = await store.create();
    await store.append(id, [
      { role: "user", content: "1" },
      { role: "assistant", content: "2" },
    ]);
    expect((await errorOf(() => store.append(id, [{ role: "user", content: "3" }]))).code).toBe("MEMORY_INPUT_INVALID");
    expect((await errorOf(() => store.append(id, [{ role: "user", content: "x".repeat(11) }]))).code).toBe("MEMORY_INPUT_INVALID");
    await store.close();
    expect((await errorOf(() => store.list())).code).toBe("MEMORY_STORE_FAILED");
    expect((await errorOf(() => openSessionStore({ path: ":memory:", maxMessageChars: 0 }))).code).toBe("MEMORY_INPUT_INVALID");
  });

  it("loses nothing when two processes append to one session at once: seqs are unique and dense", async () => {
    const path = join(tempDir(), "sessions.db");
    const store = openSessionStore({ path });
    const { id } = await store.create({ id: "shared" });
    const perChild = 100;
    const child = (tag: string) =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(
          process.execPath,
          ["--conditions=@tinyllm/source", "--import", "tsx", join(here, "append-in-child.fixture.ts"), path, id, String(perChild), tag],
          {
            cwd: here,
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        let stderr = "";
        proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        proc.on("error", reject);
        proc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child ${tag} exited ${code}: ${stderr}`))));
      });
    await Promise.all([child("A"), child("B")]);
    const { messages } = (await store.get(id))!;
    expect(messages).toHaveLength(2 * perChild);
    expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 2 * perChild }, (_, i) => i + 1));
    for (const tag of ["A", "B"]) {
      const mine = messages.filter((message) => message.content.startsWith(`${tag} `)).map((message) => Number(message.content.split(" ")[1]));
      expect(mine).toEqual(Array.from({ length: perChild }, (_, i) => i));
    }
    // Each batch of two stayed together.
    for (let i = 0; i < messages.length; i += 2) expect(messages[i]!.content.split(" ")[0]).toBe(messages[i + 1]!.content.split(" ")[0]);
    await store.close();
  }, 60_000);
});
