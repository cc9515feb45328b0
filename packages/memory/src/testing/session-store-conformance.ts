/**
 * The behaviour every {@link SessionStore} backend shares, as one suite each backend passes
 * through the interface: create, numbered appends, titles, summaries, settings, list order,
 * clear, delete, bad input and unknown sessions. Test-only.
 *
 * @module
 */
import type { SessionStore } from "@tinyllm/core";
import { afterEach, describe, expect, it } from "vitest";

/** The error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/**
 * Registers the shared session store suite with the caller's vitest. `open` gives a new, empty
 * store for each test; the suite closes it afterwards.
 *
 * @example
 * ```ts
 * describeSessionStoreConformance("SQLite in memory", async () => openSessionStore({ path: ":memory:" }));
 * ```
 */
export function describeSessionStoreConformance(name: string, open: () => Promise<SessionStore>): void {
  describe(`${name} meets the session store contract`, () => {
    const opened: SessionStore[] = [];
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((store) => store.close()));
    });
    const fresh = async (): Promise<SessionStore> => {
      const store = await open();
      opened.push(store);
      return store;
    };

    it("creates a session with a random id, no messages and the settings given", async () => {
      const store = await fresh();
      const a = await store.create({ settings: { graph: "graphs/chat.yaml", user: "ada" } });
      const b = await store.create();
      expect(a.id).toMatch(/^[A-Za-z0-9\-_.:]{1,128}$/);
      expect(a.id).not.toBe(b.id);
      expect(a).toMatchObject({ messageCount: 0, messages: [], settings: { graph: "graphs/chat.yaml", user: "ada" } });
      const got = await store.get(a.id);
      expect(got).toMatchObject({ id: a.id, messageCount: 0, messages: [], settings: { graph: "graphs/chat.yaml", user: "ada" } });
      expect(got!.summary).toBeUndefined();
    });

    it("numbers appended messages 1, 2, … across batches and gives them back in order", async () => {
      const store = await fresh();
      const { id } = await store.create({ id: "chat-1" });
      const first = await store.append(id, [
        { role: "user", content: "Hi, I'm Ada." },
        { role: "assistant", content: "Hello Ada!", runId: "run-1", atMs: 1000 },
      ]);
      expect(first.map((message) => message.seq)).toEqual([1, 2]);
      expect(first[1]).toEqual({ seq: 2, role: "assistant", content: "Hello Ada!", runId: "run-1", atMs: 1000 });
      expect(await store.append(id, [])).toEqual([]);
      const second = await store.append(id, [{ role: "user", content: "What's my name?" }]);
      expect(second[0]!.seq).toBe(3);
      const session = await store.get(id);
      expect(session!.messages.map((message) => [message.seq, message.role, message.content])).toEqual([
        [1, "user", "Hi, I'm Ada."],
        [2, "assistant", "Hello Ada!"],
        [3, "user", "What's my name?"],
      ]);
      expect(session!.messageCount).toBe(3);
      expect(session!.messages[0]!.runId).toBeUndefined();
    });

    it("titles a session with its given title, else the start of its first user message on one line", async () => {
      const store = await fresh();
      const titled = await store.create({ title: "Trip planning" });
      await store.append(titled.id, [{ role: "user", content: "Where should I go?" }]);
      expect((await store.get(titled.id))!.title).toBe("Trip planning");
      const untitled = await store.create();
      const long = "Tell me\nabout the history of the Roman empire, from its founding to the fall of Constantinople";
      await store.append(untitled.id, [
        { role: "system", content: "Be brief." },
        { role: "user", content: long },
      ]);
      const { title } = (await store.get(untitled.id))!;
      expect(title.length).toBeLessThanOrEqual(60);
      expect(title).not.toContain("\n");
      expect(title.startsWith("Tell me about the history")).toBe(true);
    });

    it("lists sessions most recently updated first, with a limit", async () => {
      const store = await fresh();
      await store.create({ id: "a" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.create({ id: "b" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.append("a", [{ role: "user", content: "bump" }]);
      const all = await store.list();
      expect(all.map((info) => info.id)).toEqual(["a", "b"]);
      expect(all[0]).toMatchObject({ id: "a", messageCount: 1, title: "bump" });
      expect(all[0]).not.toHaveProperty("messages");
      expect((await store.list({ limit: 1 })).map((info) => info.id)).toEqual(["a"]);
    });

    it("keeps and replaces the rolling summary", async () => {
      const store = await fresh();
      const { id } = await store.create();
      await store.setSummary(id, { text: "Ada likes tea.", throughSeq: 4, by: "extractive", atMs: 5 });
      expect((await store.get(id))!.summary).toEqual({ text: "Ada likes tea.", throughSeq: 4, by: "extractive", atMs: 5 });
      await store.setSummary(id, { text: "Ada likes tea and cake.", throughSeq: 8, by: "qwen2.5:0.5b", atMs: 9 });
      expect((await store.get(id))!.summary).toEqual({ text: "Ada likes tea and cake.", throughSeq: 8, by: "qwen2.5:0.5b", atMs: 9 });
    });

    it("merges settings, removing keys set to undefined", async () => {
      const store = await fresh();
      const { id } = await store.create({ settings: { graph: "g.yaml", user: "ada" } });
      expect(await store.updateSettings(id, { models: { T1: "qwen2.5:3b" }, user: undefined })).toEqual({ graph: "g.yaml", models: { T1: "qwen2.5:3b" } });
      expect((await store.get(id))!.settings).toEqual({ graph: "g.yaml", models: { T1: "qwen2.5:3b" } });
    });

    it("clears messages and summary but keeps the session and its settings; numbering starts again", async () => {
      const store = await fresh();
      const { id } = await store.create({ settings: { graph: "g.yaml" } });
      await store.append(id, [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
      ]);
      await store.setSummary(id, { text: "s", throughSeq: 1, by: "extractive", atMs: 1 });
      await store.clear(id);
      const cleared = (await store.get(id))!;
      expect(cleared).toMatchObject({ messages: [], messageCount: 0, settings: { graph: "g.yaml" } });
      expect(cleared.summary).toBeUndefined();
      expect((await store.append(id, [{ role: "user", content: "again" }]))[0]!.seq).toBe(1);
    });

    it("deletes a session with everything in it, and says false when there was none", async () => {
      const store = await fresh();
      const { id } = await store.create({ id: "gone" });
      await store.append(id, [{ role: "user", content: "secret" }]);
      expect(await store.delete(id)).toBe(true);
      expect(await store.get(id)).toBeUndefined();
      expect(await store.delete(id)).toBe(false);
      expect(await store.list()).toEqual([]);
      // The id is free again, and the new session starts empty.
      expect((await store.create({ id })).messages).toEqual([]);
      expect((await store.get(id))!.messages).toEqual([]);
    });

    it("refuses a taken id with SESSION_EXISTS and unknown sessions with SESSION_NOT_FOUND", async () => {
      const store = await fresh();
      await store.create({ id: "taken" });
      const exists = await rejectionOf(store.create({ id: "taken" }));
      expect(exists.code).toBe("SESSION_EXISTS");
      expect(exists.hint).toBeTruthy();
      expect(await store.get("nope")).toBeUndefined();
      expect((await rejectionOf(store.append("nope", [{ role: "user", content: "hi" }]))).code).toBe("SESSION_NOT_FOUND");
      expect((await rejectionOf(store.setSummary("nope", { text: "s", throughSeq: 0, by: "x", atMs: 0 }))).code).toBe("SESSION_NOT_FOUND");
      expect((await rejectionOf(store.updateSettings("nope", {}))).code).toBe("SESSION_NOT_FOUND");
      expect((await rejectionOf(store.clear("nope"))).code).toBe("SESSION_NOT_FOUND");
    });

    it("refuses bad input with MEMORY_INPUT_INVALID and appends nothing of a batch with one bad message", async () => {
      const store = await fresh();
      const { id } = await store.create();
      for (const id of ["", "has space", "slash/no", "x".repeat(129)]) expect((await rejectionOf(store.create({ id })))!.code).toBe("MEMORY_INPUT_INVALID");
      const bad = [
        { role: "user", content: "" },
        { role: "user", content: "   " },
        { role: "robot", content: "beep" },
        { role: "user", content: "nul\u0000byte" },
        { role: "user", content: 42 },
      ];
      for (const message of bad) {
        const error = await rejectionOf(store.append(id, [{ role: "user", content: "fine" }, message as never]));
        expect(error.code).toBe("MEMORY_INPUT_INVALID");
        expect(error.message).toContain("message 2");
        expect(error.hint).toBeTruthy();
      }
      expect((await store.get(id))!.messages).toEqual([]);
      expect((await rejectionOf(store.list({ limit: 0 }))).code).toBe("MEMORY_INPUT_INVALID");
    });

    it("gives a clear error for a 1 MB message", async () => {
      const store = await fresh();
      const { id } = await store.create();
      const error = await rejectionOf(store.append(id, [{ role: "user", content: "a".repeat(1_000_000) }]));
      expect(error.code).toBe("MEMORY_INPUT_INVALID");
      expect(error.message).toMatch(/1000000 characters/);
      expect(error.hint).toMatch(/shorten/);
    });

    it("keeps unicode, newlines and tabs exactly", async () => {
      const store = await fresh();
      const { id } = await store.create();
      const content = "Zoë says 你好 👋\n\tindented\r\nline";
      await store.append(id, [{ role: "user", content }]);
      expect((await store.get(id))!.messages[0]!.content).toBe(content);
    });
  });
}
